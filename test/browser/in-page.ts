// Functions Playwright runs in the page on an element. The tests' tsconfig has no DOM types, so the few
// properties used are typed here; each function is self-contained (it is serialised into the page).

interface PageElement {
  outerHTML: string;
  pattern: string;
  validity: { patternMismatch: boolean };
  textContent: string | null;
  nextElementSibling: PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}

/** One computed style property of the element: `locator.evaluate(computedStyle, 'display')`. */
export const computedStyle = (el: unknown, property: string): string =>
  (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(el)[
    property
  ] ?? '';

/** The start of the element's HTML, to name it in a failure message. */
export const htmlStart = (el: unknown): string => (el as PageElement).outerHTML.slice(0, 80);

/** Whether an input's value breaks its `pattern`. */
export const patternMismatch = (el: unknown): boolean => (el as PageElement).validity.patternMismatch;

/** Whether an input's `pattern` compiles as the browser compiles it: anchored, with the `v` flag. */
export const patternCompiles = (el: unknown): boolean => {
  try {
    new RegExp(`^(?:${(el as PageElement).pattern})$`, 'v');
    return true;
  } catch {
    return false;
  }
};

/** A description list as "term: definition" lines. */
export const definitions = (el: unknown): string[] =>
  [...(el as PageElement).querySelectorAll('dt')].map(
    (dt) => `${dt.textContent?.trim() ?? ''}: ${dt.nextElementSibling?.textContent?.trim() ?? ''}`,
  );
