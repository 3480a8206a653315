/**
 * A confirmation that outlives one page: set before navigating (a decision, then the next item), shown once by
 * the page that opens next.
 */
let carried: string | null = null;

export function carryNotice(text: string): void {
  carried = text;
}

export function takeNotice(): string | null {
  const text = carried;
  carried = null;
  return text;
}
