/** A text field of a submitted form: its value, or '' when the form has no such field (a file field is not text). */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}
