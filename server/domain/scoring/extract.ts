/**
 * Automatic scoring: reading the chosen option, the true/false verdict or the short answer out of a
 * model's free-text response, in the item's language conventions. Pure functions; every score keeps
 * what was extracted so a human can audit it. The rules are documented in docs/scoring.md.
 */
import { matchesAnyVariant, normalizeAnswer } from '../../text-normalize.ts';

/** Option labels by convention; index i of each list labels option i. */
export const OPTION_LABELS = {
  latin: ['A', 'B', 'C', 'D', 'E', 'F'],
  korean: ['가', '나', '다', '라', '마', '바'],
  arabic: ['أ', 'ب', 'ج', 'د', 'ه', 'و'],
  thai: ['ก', 'ข', 'ค', 'ง', 'จ', 'ฉ'],
  devanagari: ['क', 'ख', 'ग', 'घ', 'ङ', 'च'],
  digits: ['1', '2', '3', '4', '5', '6'],
} as const;

/** The labels options are shown with in a prompt for `language` (the same conventions extraction reads). */
export function optionLabels(language: string): readonly string[] {
  const lang = language.split('-')[0].toLowerCase();
  if (lang === 'ko') return OPTION_LABELS.korean;
  if (lang === 'ar') return OPTION_LABELS.arabic;
  if (lang === 'th') return OPTION_LABELS.thai;
  if (lang === 'hi' || lang === 'mr' || lang === 'ne') return OPTION_LABELS.devanagari;
  return OPTION_LABELS.latin;
}

const DIGIT = /\p{Nd}/gu;
const asciiDigits = (s: string) =>
  s.replace(DIGIT, (d) => {
    const cp = d.codePointAt(0)!;
    let start = cp;
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });

/** Alternative spellings of labels: Arabic alif forms and hāʼ with tatweel/heh-doachashmee. */
const LABEL_ALIASES: Record<string, string> = { ا: 'أ', إ: 'أ', آ: 'أ', هـ: 'ه', ھ: 'ه' };

/** label (upper case, canonical) → option index */
function labelIndex(n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const list of Object.values(OPTION_LABELS)) list.slice(0, n).forEach((l, i) => m.set(l, i));
  for (const [alias, canonical] of Object.entries(LABEL_ALIASES)) {
    const i = m.get(canonical);
    if (i !== undefined) m.set(alias, i);
  }
  return m;
}

const LABEL_CHARS = 'A-Fa-f1-6가나다라마바أإآابجدهھوกขคงจฉकखगघङच';
/** A letter or combining mark (Thai and Devanagari vowel signs are marks): what a label must not touch. */
const WORDISH = /[\p{L}\p{M}\p{N}]/u;

/** Explicit "the answer is X" phrases in the languages we ship, then the label. */
const ANSWER_PHRASE = new RegExp(
  String.raw`(?:answer|option|choice|정답|답|보기|선택지|الإجابة|الاجابة|الجواب|الخيار|คำตอบ|ตัวเลือก|ข้อ|उत्तर|विकल्प|jibu|chaguo|ìdáhùn|idahun)` +
    String.raw`\s*(?:is|:|：|은|는|이|가|هي|هو|คือ|है|ni)?\s*(?:is|:|：|는|은)?\s*[:：]?\s*[("'\[«【*]*\s*` +
    `([${LABEL_CHARS}]|هـ)` +
    // Korean labels take the copula: 정답은 다입니다.
    String.raw`(?=입니다|이다|이에요|예요|번|$|[^\p{L}\p{M}\p{N}])`,
  'iu',
);

const LEADING_LABEL = new RegExp(
  String.raw`^[\s*"'«(\[【]*(?:option|choice|보기|ข้อ)?\s*([${LABEL_CHARS}]|هـ)\s*(?:[).:：\]】»、]|$|\s*[-–—]\s)`,
  'iu',
);

const PAREN_LABEL = new RegExp(String.raw`[(\[【]\s*([${LABEL_CHARS}]|هـ)\s*[)\]】]`, 'giu');

function canonicalLabel(raw: string): string {
  return /^[a-f]$/.test(raw) ? raw.toUpperCase() : raw;
}

function clean(response: string): string {
  return asciiDigits(response.normalize('NFKC'))
    .replace(/\p{Cf}/gu, '')
    .replace(/<think>[\s\S]*?<\/think>/gi, '')
    .trim();
}

/** Standalone labels anywhere: a label character with no letter, mark or digit on either side. */
function standaloneLabels(text: string, labels: Map<string, number>): number[] {
  const found = new Set<number>();
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    let c = chars[i];
    if (c === 'ه' && chars[i + 1] === 'ـ') c = 'هـ';
    const index = labels.get(c);
    if (index === undefined) continue;
    const before = chars[i - 1];
    const after = chars[i + (c === 'هـ' ? 2 : 1)];
    if ((before && WORDISH.test(before)) || (after && WORDISH.test(after))) continue;
    // English articles and pronouns: "A good answer", "a", "I".
    if (c === 'A' && after === ' ' && /^\s+[a-z]/.test(chars.slice(i + 1, i + 3).join(''))) continue;
    // Arabic و standing alone is the conjunction "and" far more often than option 6.
    if (c === 'و') continue;
    found.add(index);
  }
  return [...found];
}

export interface ChoiceExtraction {
  /** The chosen option's index, or null when no single option can be read. */
  index: number | null;
  /** How it was read, for audit: `label:B`, `text`, … */
  how: string | null;
}

/**
 * Which option a response chooses. In order: the whole response is a label or an option's text; an
 * explicit "answer: X" phrase; a leading label ("B) …", "(나) …"); a single parenthesised label; the text
 * of exactly one option; a single standalone label. Latin letters, Korean 가나다라, Arabic أ ب ج د, Thai
 * ก ข ค ง, Devanagari क ख ग घ and numbers (in any script's digits) are read for every language.
 */
export function extractChoice(
  response: string,
  options: readonly string[],
  language: string,
): ChoiceExtraction {
  const labels = labelIndex(options.length);
  const text = clean(response);
  const stripped = text.replace(/^[\s*"'«([【]+|[\s*"'»)\]】.。:!]+$/gu, '');
  const asLabel = labels.get(canonicalLabel(stripped));
  if (asLabel !== undefined) return { index: asLabel, how: `label:${stripped}` };

  const normalized = normalizeAnswer(text, language);
  const normalizedOptions = options.map((o) => normalizeAnswer(o, language));
  const exact = normalizedOptions.findIndex((o) => o !== '' && o === normalized);
  if (exact >= 0) return { index: exact, how: 'text' };

  const phrase = ANSWER_PHRASE.exec(text);
  if (phrase) {
    const i = labels.get(canonicalLabel(phrase[1]));
    if (i !== undefined) return { index: i, how: `phrase:${phrase[1]}` };
  }
  const leading = LEADING_LABEL.exec(text);
  if (leading) {
    const i = labels.get(canonicalLabel(leading[1]));
    if (i !== undefined) return { index: i, how: `leading:${leading[1]}` };
  }
  const parens = new Set<number>();
  for (const m of text.matchAll(PAREN_LABEL)) {
    const i = labels.get(canonicalLabel(m[1]));
    if (i !== undefined) parens.add(i);
  }
  if (parens.size === 1) return { index: [...parens][0], how: 'parenthesised' };

  // Option texts inside the response: exactly one (ignoring options contained in a longer matching one).
  const spaced = ` ${normalized} `;
  const contains = (o: string) =>
    o !== '' &&
    (normalized.includes(' ') || o.includes(' ') ? spaced.includes(` ${o} `) : normalized.includes(o));
  const hits = normalizedOptions.map((o, i) => ({ o, i })).filter(({ o }) => contains(o));
  const maximal = hits.filter(
    (h) => !hits.some((g) => g !== h && g.o.length > h.o.length && g.o.includes(h.o)),
  );
  if (maximal.length === 1) return { index: maximal[0].i, how: 'text' };
  if (maximal.length > 1) return { index: null, how: 'ambiguous' };

  const loose = standaloneLabels(text, labels);
  if (loose.length === 1) return { index: loose[0], how: 'standalone' };
  return { index: null, how: loose.length > 1 ? 'ambiguous' : null };
}

/** Words meaning true / false (and yes / no) in the languages we ship; longer forms first. */
const TRUE_WORDS = [
  'true',
  'yes',
  'correct',
  '참',
  '맞습니다',
  '맞아요',
  '맞다',
  '맞음',
  '사실입니다',
  '사실',
  '예',
  '네',
  'صحيح',
  'صح',
  'نعم',
  'จริง',
  'ถูกต้อง',
  'ใช่',
  'सत्य',
  'सही',
  'हाँ',
  'हां',
  'kweli',
  'ndiyo',
  'ndio',
  'òótọ́',
  'ootọ',
  'bẹ́ẹ̀ni',
  'beeni',
];
const FALSE_WORDS = [
  'false',
  'no',
  'incorrect',
  'not true',
  '거짓',
  '틀립니다',
  '틀렸습니다',
  '틀려요',
  '틀리다',
  '틀림',
  '아니요',
  '아니오',
  '아닙니다',
  'خطأ',
  'خاطئ',
  'غير صحيح',
  'ليس صحيحا',
  'لا',
  'เท็จ',
  'ไม่จริง',
  'ไม่ถูกต้อง',
  'ไม่ใช่',
  'असत्य',
  'गलत',
  'ग़लत',
  'नहीं',
  'si kweli',
  'uongo',
  'hapana',
  'irọ́',
  'iro',
  'rárá',
  'rara',
];

/**
 * Which truth value a response states: the verdict word that comes first (the longest one at a tie, so
 * "ไม่ใช่" beats "ใช่", "not true" beats "true", "غير صحيح" beats "صحيح"). Words must stand alone in
 * languages written with spaces; Thai, Korean and the other spaceless languages match inside text.
 */
export function extractTrueFalse(
  response: string,
  language: string,
): { value: boolean | null; word: string | null } {
  const lang = language.split('-')[0].toLowerCase();
  const spaceless = new Set(['th', 'lo', 'km', 'my', 'ja', 'zh', 'ko']).has(lang);
  const text = ` ${clean(response).normalize('NFC').toLowerCase()} `;
  let best: { at: number; len: number; value: boolean; word: string } | null = null;
  const consider = (words: string[], value: boolean) => {
    for (const w of words) {
      const word = w.normalize('NFC');
      let from = 0;
      for (let at = text.indexOf(word, from); at >= 0; at = text.indexOf(word, from)) {
        from = at + 1;
        const before = text[at - 1] ?? ' ';
        const after = text[at + word.length] ?? ' ';
        const isolated = !WORDISH.test(before) && !WORDISH.test(after);
        // Korean verdict verbs take endings (맞습니다, 거짓입니다) but must start a word; 참고 is "reference".
        const koreanStem =
          lang === 'ko' &&
          !WORDISH.test(before) &&
          /^(맞|틀|거짓|참|사실|아닙)/.test(word) &&
          !(word === '참' && after === '고');
        if (!(isolated || koreanStem || (spaceless && lang !== 'ko'))) continue;
        if (!best || at < best.at || (at === best.at && word.length > best.len))
          best = { at, len: word.length, value, word };
        break;
      }
    }
  };
  consider(FALSE_WORDS, false);
  consider(TRUE_WORDS, true);
  // The earliest verdict wins, so one inside a longer one (ใช่ in ไม่ใช่, صحيح in غير صحيح) loses to it.
  const found = best as { at: number; len: number; value: boolean; word: string } | null;
  return found ? { value: found.value, word: found.word } : { value: null, word: null };
}

const ANSWER_PREFIX =
  /^(?:the answer is|answer|정답은?|답은?|الإجابة(?: هي)?|الجواب(?: هو)?|คำตอบ(?:คือ)?|उत्तर(?: है)?|jibu(?: ni)?)\s*[:：]?\s*/iu;

/**
 * Whether a short answer matches an accepted variant: the whole response, its first line or the part after
 * an "answer:" prefix matching a variant after normalisation (docs/agreement.md); failing that, a variant
 * that appears as a whole word sequence inside the response (inside the text for spaceless languages).
 */
export function extractShortAnswer(
  response: string,
  accepted: readonly string[],
  language: string,
): { correct: boolean; extracted: string } {
  const text = clean(response);
  const firstLine = text.split(/\r?\n/)[0] ?? '';
  for (const candidate of [text, firstLine, firstLine.replace(ANSWER_PREFIX, '')]) {
    if (matchesAnyVariant(candidate, accepted, language)) return { correct: true, extracted: candidate };
  }
  const normalized = normalizeAnswer(text, language);
  const spaced = ` ${normalized} `;
  for (const variant of accepted) {
    const v = normalizeAnswer(variant, language);
    if (v === '') continue;
    const inside =
      normalized.includes(' ') || v.includes(' ') ? spaced.includes(` ${v} `) : normalized.includes(v);
    if (inside) return { correct: true, extracted: variant };
  }
  return { correct: false, extracted: firstLine.replace(ANSWER_PREFIX, '').slice(0, 200) };
}
