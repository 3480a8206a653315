/**
 * Normalisation for comparing free-text answers (short-answer variants, auto-scoring) across scripts.
 * Lossy on purpose, and only for comparison: stored text stays exactly as typed. The rules and the
 * reasons for each are in docs/agreement.md.
 */

export interface NormalizeOptions {
  /**
   * Arabic spelling variants (default true; tatweel is always removed): harakat and Quranic annotation
   * marks removed, alef forms (أ إ آ ٱ → ا), alef maksura (ى → ي) and teh marbuta (ة → ه) unified.
   */
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
/** Alef with hamza above/below, with madda, alef wasla; alef maksura; teh marbuta. */
const ARABIC_LETTER_VARIANTS = /[\u0622\u0623\u0625\u0671\u0649\u0629]/g;
const ARABIC_LETTER_BASE: Record<string, string> = {
  '\u0622': '\u0627',
  '\u0623': '\u0627',
  '\u0625': '\u0627',
  '\u0671': '\u0627',
  '\u0649': '\u064A',
  '\u0629': '\u0647',
};
/** Hebrew points and cantillation (niqqud, te'amim): optional in ordinary writing. */
const HEBREW_POINTS = /[\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7]/g;
/** The Halfwidth and Fullwidth Forms block and the ideographic space. */
const WIDTH_FORMS = /[\u3000\uFF01-\uFFEE]/g;
const COMBINING_DIACRITICS = /[\u0300-\u036F]/g;
const HAS_COMBINING_DIACRITIC = /[\u0300-\u036F]/;
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

/** Arabic harakat and Quranic marks removed, alef/yeh/teh marbuta variants unified (the letters stay). */
function foldArabicSpelling(s: string): string {
  return s.replace(ARABIC_DIACRITICS, '').replace(ARABIC_LETTER_VARIANTS, (c) => ARABIC_LETTER_BASE[c]);
}

/**
 * The script folding search applies to one code point (lower case): what it stands for when
 * searching. Format characters, Arabic harakat and tatweel, Hebrew points and Latin combining marks
 * fold to nothing; Arabic letter variants to their base letter (as in normalizeAnswer); full-width
 * and half-width forms to the ordinary ones (NFKC of those forms only); accented letters to the base.
 */
const searchFoldCache = new Map<string, string>();
function foldCodePointForSearch(c: string): string {
  let folded = searchFoldCache.get(c);
  if (folded !== undefined) return folded;
  folded = c.replace(WIDTH_FORMS, (w) => w.normalize('NFKC')).toLowerCase();
  const decomposed = folded.normalize('NFD');
  // Only Latin-style combining marks: decomposing a Hangul syllable would yield jamo.
  if (HAS_COMBINING_DIACRITIC.test(decomposed)) {
    folded = decomposed.replace(COMBINING_DIACRITICS, '').normalize('NFC');
  }
  folded = foldArabicSpelling(folded.replace(FORMAT, '').replace(TATWEEL, '').replace(HEBREW_POINTS, ''));
  if (searchFoldCache.size < 50_000) searchFoldCache.set(c, folded);
  return folded;
}

/** Text folded for search, one code point at a time (so matches map back to the text as typed). */
export function foldForSearch(text: string): string {
  let out = '';
  for (const c of text) out += foldCodePointForSearch(c);
  return out;
}

/** Where each unit of a folded text came from: `[start, end)` in the original (UTF-16 indexes). */
export interface FoldedText {
  text: string;
  start: number[];
  end: number[];
}

/**
 * foldForSearch with a map back to the original. A code point that folds to nothing (a haraka, a
 * niqqud point) belongs to the letter before it, so a highlight covers the letter with its marks.
 */
export function foldForSearchMapped(text: string): FoldedText {
  let out = '';
  const start: number[] = [];
  const end: number[] = [];
  let at = 0;
  let previous = 0; // where the units of the last letter that folded to something begin
  for (const c of text) {
    const folded = foldCodePointForSearch(c);
    const next = at + c.length;
    if (folded === '') {
      for (let k = previous; k < out.length; k++) end[k] = next;
    } else {
      previous = out.length;
      out += folded;
      for (let k = previous; k < out.length; k++) {
        start[k] = at;
        end[k] = next;
      }
    }
    at = next;
  }
  return { text: out, start, end };
}

/**
 * Normalises an answer for comparison: NFKC, format characters removed, case folded, Arabic tatweel
 * and Hebrew points removed (and by default Arabic harakat, with alef/yeh/teh marbuta unified), digits of any script made ASCII, punctuation and symbols removed,
 * whitespace collapsed — and removed altogether in languages written without spaces.
 */
export function normalizeAnswer(text: string, language: string, options: NormalizeOptions = {}): string {
  const lang = primaryLanguage(language);
  let s = text.normalize('NFKC').replace(FORMAT, '');
  s = caseFold(s, lang).normalize('NFKC');
  s = s.replace(TATWEEL, '').replace(HEBREW_POINTS, '');
  if (options.stripArabicDiacritics ?? true) s = foldArabicSpelling(s);
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
