/**
 * Bigram keys for the short-query index. The trigram FTS index cannot match terms under three
 * characters, yet many real queries are two: Korean words (추석, 한복), Chinese and Japanese terms.
 * Each word of the text contributes its two-character substrings, hex-encoded so that FTS5's plain
 * `ascii` tokenizer indexes them exactly, whatever the script.
 */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

export const normalizeForIndex = (s: string) => s.normalize('NFC').toLowerCase();

/** The bigram keys of `text`, space-separated (one-character words index as themselves). */
export function bigramKeys(...texts: (string | null)[]): string {
  const keys = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const [word] of normalizeForIndex(text).matchAll(WORD)) {
      const cps = [...word];
      if (cps.length === 1) keys.add(hex(word));
      for (let i = 0; i + 1 < cps.length; i++) keys.add(hex(cps[i]! + cps[i + 1]!));
    }
  }
  return [...keys].join(' ');
}

/** The key of a query term of one or two characters; undefined for anything else. */
export function shortTermKey(term: string): string | undefined {
  const t = normalizeForIndex(term);
  const n = [...t].length;
  return n >= 1 && n <= 2 ? hex(t) : undefined;
}
