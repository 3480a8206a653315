import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const parser = new Marked({ gfm: true, async: false });

/**
 * Markdown (a release's CHANGELOG.md) as DOM nodes for a Lit binding: parsed by `marked`, then cleaned by
 * DOMPurify, so whatever the text holds (HTML, `javascript:` links, event attributes) nothing runs. Images,
 * forms and inline styles are dropped too: a changelog has no use for them. Links open without a referrer.
 */
export function markdownFragment(markdown: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(parser.parse(markdown, { async: false }), {
    RETURN_DOM_FRAGMENT: true,
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['img', 'picture', 'video', 'audio', 'form', 'input', 'button', 'style'],
    FORBID_ATTR: ['style'],
  });
  for (const a of fragment.querySelectorAll('a')) a.setAttribute('rel', 'noopener noreferrer');
  return fragment;
}
