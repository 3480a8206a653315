// A Jinja-compatible renderer for lm-evaluation-harness templates: nunjucks with its Jinja compatibility and
// the settings lm-eval gives Jinja2 (undefined names are errors, nothing HTML-escaped), plus the Python string
// methods lm-eval's templates call on fields (`question.strip()`).
import nunjucks from 'nunjucks';

nunjucks.installJinjaCompat();

type MemberLookup = (obj: unknown, val: unknown, ...rest: unknown[]) => unknown;
const runtime = (nunjucks as unknown as { runtime: { memberLookup: MemberLookup } }).runtime;
const jinjaLookup = runtime.memberLookup;

/** Python's str methods the templates use; `strip()` without arguments strips whitespace, as Python's. */
const STRING_METHODS: Record<string, (s: string) => () => string> = {
  strip: (s) => () => s.trim(),
  lower: (s) => () => s.toLowerCase(),
  upper: (s) => () => s.toUpperCase(),
};

runtime.memberLookup = function memberLookup(obj, val, ...rest) {
  if (typeof obj === 'string' && typeof val === 'string' && Object.hasOwn(STRING_METHODS, val))
    return STRING_METHODS[val](obj);
  return jinjaLookup.call(this, obj, val, ...rest);
};

const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });

/** Renders a template on a document as lm-eval's `apply_template` does (Jinja2, StrictUndefined). */
export function renderJinja(template: string, doc: object): string {
  return env.renderString(template, doc);
}
