import { z } from 'zod';

/**
 * Whether `value` (a string, or any JSON value, keys included) holds U+0000 anywhere. No text the API accepts
 * may: PostgreSQL's text cannot store it (SQLite can), so it is refused on both engines alike. A loop, not
 * recursion, for deeply nested values.
 */
export function holdsNul(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (typeof v === 'object' && v !== null) {
      for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
        if (key.includes('\u0000')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

export const NUL_CHARACTER = {
  code: 'nul-character',
  message: 'Text cannot hold a NUL character (U+0000)',
} as const;

/** The options of a refinement refusing U+0000, with its own issue code (a new object each time: zod edits it). */
export const noNul = () => ({ message: NUL_CHARACTER.message, params: { code: NUL_CHARACTER.code } });

/** Text as typed, NFC-normalised so that visually identical strings compare equal; never with U+0000. */
export const text = (max: number) =>
  z
    .string()
    .max(max, { message: `At most ${max} characters` })
    .refine((s) => !s.includes('\u0000'), noNul())
    .transform((s) => s.normalize('NFC'));

/**
 * `tag` in canonical BCP-47 form (`KO` → `ko`, `zh-hant-tw` → `zh-Hant-TW`), or null when it is not a language
 * tag. Syntax through `Intl.getCanonicalLocales` (ICU, no package); the language subtag must also have 2 or 3
 * letters (ISO 639): the syntax allows 4–8 letters, but the IANA registry holds no such language, so a tag like
 * `arabic` or `english` is a word typed instead of a tag.
 */
export function canonicalLanguageTag(tag: string): string | null {
  let canonical: string | undefined;
  try {
    [canonical] = Intl.getCanonicalLocales(tag);
  } catch {
    return null;
  }
  return canonical && /^[a-z]{2,3}(-|$)/.test(canonical) ? canonical : null;
}

/** A BCP-47 language tag for anything written (users, items, release filters), returned in canonical form. */
export const languageTag = z
  .string()
  .max(35)
  .transform((tag, ctx) => {
    const canonical = canonicalLanguageTag(tag);
    if (canonical) return canonical;
    ctx.addIssue({
      code: 'custom',
      message: `"${tag}" is not a BCP-47 language tag (e.g. ar, ko, zh-Hant)`,
      params: { code: 'invalid-language-tag' },
    });
    return z.NEVER;
  });

/**
 * A language to look for (list filters): any tag the syntax allows, so items stored before tags were checked
 * strictly (`arabic`) can still be found and fixed.
 */
export const languageFilter = z
  .string()
  .min(2)
  .max(35)
  .transform((tag, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // fall through to the issue below
    }
    ctx.addIssue({
      code: 'custom',
      message: `"${tag}" is not a BCP-47 language tag`,
      params: { code: 'invalid-language-tag' },
    });
    return z.NEVER;
  });

/** ISO 3166-1 alpha-2 country code, upper case. */
export const countryCode = z
  .string()
  .regex(/^[A-Za-z]{2}$/, { message: 'Use a two-letter ISO 3166 country code, e.g. KR' })
  .transform((c) => c.toUpperCase());

export const roles = ['annotator', 'reviewer', 'maintainer'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const uiLocales = ['en', 'ko'] as const;
export const uiLocaleSchema = z.enum(uiLocales);
export type UiLocale = z.infer<typeof uiLocaleSchema>;

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
