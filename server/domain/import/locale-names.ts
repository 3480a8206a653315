/**
 * English language and country names as benchmark files write them ("Korean", "South Korea") → a BCP-47
 * language tag and an ISO 3166-1 alpha-2 code. The names come from ICU's copy of CLDR through
 * `Intl.DisplayNames` (kept up to date with Node, no package): every code is asked for its English name
 * once, and the answers are turned round. A few names that benchmarks use and CLDR spells otherwise are
 * listed below; anything else unknown is reported by the import, row by row.
 */

/** Names benchmarks use that CLDR calls something else (INCLUDE writes "North Macedonian", "Bengali"). */
const LANGUAGE_ALIASES: Record<string, string> = {
  bengali: 'bn',
  farsi: 'fa',
  'north macedonian': 'mk',
  tagalog: 'tl',
};
const COUNTRY_ALIASES: Record<string, string> = {
  'czech republic': 'CZ',
  'ivory coast': 'CI',
  macau: 'MO',
  'republic of korea': 'KR',
  swaziland: 'SZ',
  turkey: 'TR',
  uae: 'AE',
  uk: 'GB',
  usa: 'US',
  'united states of america': 'US',
  'cabo verde': 'CV',
};
/**
 * Region codes CLDR names that are not countries of ISO 3166-1: user-assigned (AA, QM–QZ, XA–XZ but
 * Kosovo's XK, ZZ), groupings (EU, EZ, UN) and the exceptional reservations for territories (AC, CP, CQ,
 * DG, EA, IC, TA).
 */
const NOT_COUNTRIES = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN|AC|CP|CQ|DG|EA|IC|TA)$/;

/** How names are compared: case, accents' composition, `&` for `and`, and spacing do not matter. */
const key = (name: string) =>
  name
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s*&\s*/g, ' and ')
    .replace(/\s+/g, ' ')
    .trim();

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const pairs = () => [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b));

/**
 * name → code for every code of `codes` that CLDR names in English (long, and with `short` also short forms:
 * "UK", "Bosnia"); the first code to have a name keeps it. Codes are stored as `canon` gives them.
 */
function reverse(
  type: 'language' | 'region',
  codes: string[],
  short: boolean,
  canon: (code: string) => string | null = (c) => c,
): Map<string, string> {
  const names = new Map<string, string>();
  const styles = [new Intl.DisplayNames(['en'], { type, fallback: 'none' })];
  if (short) styles.push(new Intl.DisplayNames(['en'], { type, fallback: 'none', style: 'short' }));
  for (const code of codes) {
    for (const dn of styles) {
      const name = dn.of(code);
      if (!name || names.has(key(name))) continue;
      const c = canon(code);
      if (c) names.set(key(name), c);
    }
  }
  return names;
}

let languages: Map<string, string> | undefined;
let languages3: Map<string, string> | undefined;
let countries: Map<string, string> | undefined;

/** Canonical form of a language code (`in` → `id`, `iw` → `he`), or null if it is none. */
function canonical(code: string): string | null {
  try {
    return Intl.getCanonicalLocales(code)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The BCP-47 tag of an English language name ("Korean" → `ko`, "Persian" → `fa`), or null when the name is
 * unknown. Two-letter (ISO 639-1) codes first; three-letter codes (ISO 639-2/3: "Cebuano" → `ceb`) are looked
 * at only when no two-letter code has the name, and that map is built on the first such name (≈ 0.8 s, once
 * per thread).
 */
export function languageFromName(name: string): string | null {
  const k = key(name);
  if (k === '') return null;
  const alias = LANGUAGE_ALIASES[k];
  if (alias) return alias;
  // Deprecated codes (`in`, `iw`) come after the current ones alphabetically and are stored canonical anyway.
  languages ??= reverse('language', pairs(), true, canonical);
  const two = languages.get(k);
  if (two) return two;
  languages3 ??= reverse(
    'language',
    pairs().flatMap((p) => [...LETTERS].map((c) => p + c)),
    false,
    canonical,
  );
  return languages3.get(k) ?? null;
}

/** The ISO 3166-1 alpha-2 code of an English country name ("South Korea" → `KR`), or null when unknown. */
export function countryFromName(name: string): string | null {
  const k = key(name);
  if (k === '') return null;
  const alias = COUNTRY_ALIASES[k];
  if (alias) return alias;
  countries ??= reverse(
    'region',
    pairs()
      .map((p) => p.toUpperCase())
      .filter((c) => !NOT_COUNTRIES.test(c)),
    true,
  );
  return countries.get(k) ?? null;
}
