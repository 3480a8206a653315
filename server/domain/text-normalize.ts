/**
 * Normalisation for comparing free-text answers (short-answer variants, auto-scoring) across scripts.
 * Lossy on purpose, and only for comparison: stored text stays exactly as typed. The rules and the
 * reasons for each are in docs/agreement.md.
 */

export interface NormalizeOptions {
  /** Remove Arabic harakat and Quranic annotation marks (default true; tatweel is always removed). */
  stripArabicDiacritics?: boolean;
  /**
   * Remove combining diacritics U+0300–U+036F (accents, tone marks, dots below) after decomposition.
   * Default false: in Yoruba, Vietnamese and others tone marks change the word.
   */
  stripDiacritics?: boolean;
}

/** Languages written without spaces between words, or (Korean) with spacing too variable to compare. */
const SPACELESS_LANGUAGES = new Set(['th', 'lo', 'km', 'my', 'bo', 'dz', 'ja', 'zh', 'yue', 'wuu', 'ko']);

/** Languages whose I/ı and İ/i are separate letters, so case mapping must follow the language. */
const TURKIC_LANGUAGES = new Set(['tr', 'az', 'crh', 'tt', 'ba', 'kk', 'gag']);

/** Format characters: zero-width space/joiners, bidi marks, BOM, soft hyphen. They never change the letters. */
const FORMAT = /\p{Cf}/gu;
const TATWEEL = /\u0640/g;
const ARABIC_DIACRITICS =
  /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E4\u06E7\u06E8\u06EA-\u06ED]/g;
const COMBINING_DIACRITICS = /[\u0300-\u036F]/g;
const DIGIT = /\p{Nd}/gu;
/** Apostrophes inside words (Swahili ng'ombe, Yoruba/Hausa elisions) are deleted rather than split on. */
const APOSTROPHES = /['\u2018\u2019\u201B\u0060\u00B4\u2032]/g;
const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}]+/gu;
const WHITESPACE = /\s+/gu;

const digitCache = new Map<string, string>();

/**
 * The ASCII digit for any Unicode decimal digit. Unicode assigns Nd digits only in contiguous runs
 * of ten ordered 0–9, so the value is the distance from the start of the run, modulo 10.
 */
function asciiDigit(digit: string): string {
  let ascii = digitCache.get(digit);
  if (ascii === undefined) {
    const cp = digit.codePointAt(0) as number;
    let start = cp;
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    ascii = String((cp - start) % 10);
    digitCache.set(digit, ascii);
  }
  return ascii;
}

function primaryLanguage(language: string): string {
  return language.split(/[-_]/)[0].toLowerCase();
}

function caseFold(text: string, lang: string): string {
  if (TURKIC_LANGUAGES.has(lang)) return text.toLocaleLowerCase(lang);
  return (
    text
      .toLocaleLowerCase('und')
      // Language-neutral lowering turns İ into i + combining dot; outside Turkic languages that is i.
      .replace(/i\u0307/g, 'i')
      // Full case folding, which toLowerCase does not do.
      .replace(/ς/g, 'σ')
      .replace(/ß/g, 'ss')
  );
}

/**
 * Normalises an answer for comparison: NFKC, format characters removed, case folded, Arabic tatweel
 * (and by default harakat) removed, digits of any script made ASCII, punctuation and symbols removed,
 * whitespace collapsed — and removed altogether in languages written without spaces.
 */
export function normalizeAnswer(text: string, language: string, options: NormalizeOptions = {}): string {
  const lang = primaryLanguage(language);
  let s = text.normalize('NFKC').replace(FORMAT, '');
  s = caseFold(s, lang).normalize('NFKC');
  s = s.replace(TATWEEL, '');
  if (options.stripArabicDiacritics ?? true) s = s.replace(ARABIC_DIACRITICS, '');
  if (options.stripDiacritics ?? false) {
    s = s.normalize('NFD').replace(COMBINING_DIACRITICS, '').normalize('NFC');
  }
  s = s
    .replace(DIGIT, asciiDigit)
    .replace(APOSTROPHES, '')
    .replace(PUNCTUATION_OR_SYMBOL, ' ')
    .replace(WHITESPACE, ' ')
    .trim();
  return SPACELESS_LANGUAGES.has(lang) ? s.replace(/ /g, '') : s;
}

/**
 * Whether an answer matches one of the accepted variants after normalisation. An answer that
 * normalises to nothing (only punctuation or spaces) never matches, not even an equally empty variant.
 */
export function matchesAnyVariant(
  answer: string,
  variants: readonly string[],
  language: string,
  options: NormalizeOptions = {},
): boolean {
  const normalized = normalizeAnswer(answer, language, options);
  if (normalized === '') return false;
  return variants.some((variant) => normalizeAnswer(variant, language, options) === normalized);
}
