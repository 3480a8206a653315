import { z } from 'zod';

/** Text as typed, NFC-normalised so that visually identical strings compare equal. */
export const text = (max: number) =>
  z
    .string()
    .max(max, { message: `At most ${max} characters` })
    .transform((s) => s.normalize('NFC'));

/** A BCP-47 language tag, returned in canonical form (`KO` → `ko`, `zh-hant-tw` → `zh-Hant-TW`). */
export const languageTag = z
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
    ctx.addIssue({ code: 'custom', message: `"${tag}" is not a valid BCP-47 language tag` });
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
