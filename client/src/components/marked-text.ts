import { html, type TemplateResult } from 'lit';

/**
 * `text` with the `ranges` ([start, end) string indexes, in order, not overlapping) in <mark>. Lit
 * text bindings only: the text is never parsed as HTML, whatever it holds.
 */
export function markedText(text: string, ranges: readonly (readonly [number, number])[]): TemplateResult[] {
  const parts: TemplateResult[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(html`${text.slice(at, start)}`);
    parts.push(html`<mark>${text.slice(start, end)}</mark>`);
    at = end;
  }
  if (at < text.length) parts.push(html`${text.slice(at)}`);
  return parts;
}
