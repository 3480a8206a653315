import { z } from 'zod';

/** Text as typed, NFC-normalised so that visually identical strings compare equal. */
export const text = (max: number) =>
  z
    .string()
    .max(max, { message: `At most ${max} characters` })
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
