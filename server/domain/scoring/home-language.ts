/**
 * A model's home language, from its country (ISO 3166-1 alpha-2): the language most of the country's people
 * speak and its government writes, as the primary subtag of a BCP 47 tag. Countries with several such
 * languages take the one with the most speakers (India: Hindi; Switzerland: German; Canada: English);
 * a country not listed here has no home language, and its model's home-language columns stay empty.
 * The choice is documented in docs/scoring.md, "Home language".
 */
const HOME_LANGUAGES: Readonly<Record<string, string>> = {
  AE: 'ar',
  AR: 'es',
  AT: 'de',
  AU: 'en',
  BD: 'bn',
  BE: 'nl',
  BR: 'pt',
  CA: 'en',
  CH: 'de',
  CL: 'es',
  CN: 'zh',
  CO: 'es',
  CZ: 'cs',
  DE: 'de',
  DK: 'da',
  DZ: 'ar',
  EG: 'ar',
  ES: 'es',
  ET: 'am',
  FI: 'fi',
  FR: 'fr',
  GB: 'en',
  GH: 'en',
  GR: 'el',
  HK: 'zh',
  HU: 'hu',
  ID: 'id',
  IE: 'en',
  IL: 'he',
  IN: 'hi',
  IQ: 'ar',
  IR: 'fa',
  IT: 'it',
  JO: 'ar',
  JP: 'ja',
  KE: 'sw',
  KR: 'ko',
  KW: 'ar',
  KZ: 'kk',
  LB: 'ar',
  LK: 'si',
  MA: 'ar',
  MX: 'es',
  MY: 'ms',
  NG: 'en',
  NL: 'nl',
  NO: 'nb',
  NP: 'ne',
  NZ: 'en',
  PE: 'es',
  PH: 'fil',
  PK: 'ur',
  PL: 'pl',
  PT: 'pt',
  QA: 'ar',
  RO: 'ro',
  RU: 'ru',
  SA: 'ar',
  SE: 'sv',
  SG: 'en',
  TH: 'th',
  TN: 'ar',
  TR: 'tr',
  TW: 'zh',
  TZ: 'sw',
  UA: 'uk',
  UG: 'en',
  US: 'en',
  UZ: 'uz',
  VN: 'vi',
  ZA: 'en',
};

export function homeLanguage(country: string | null): string | null {
  return country === null ? null : (HOME_LANGUAGES[country.toUpperCase()] ?? null);
}

/** Whether an item's language tag (`ar-EG`, `ko`) is in `language` (a primary subtag). */
export function inLanguage(tag: string, language: string): boolean {
  return tag.split('-')[0].toLowerCase() === language;
}
