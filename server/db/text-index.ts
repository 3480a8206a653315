/**
 * What the search indexes hold (migration 012). Text is folded for search (foldForSearch: case, Latin
 * accents, Arabic harakat and letter variants, Hebrew points, full-width forms) and the fields of one
 * side are joined by line breaks. Terms never contain whitespace, so no match spans two fields.
 *
 * The trigram index serves terms of three or more characters. Shorter terms use a second index of
 * keys: every one- and two-character substring of each whitespace-separated chunk of the folded text.
 * FTS5's `ascii` tokenizer keeps every non-ASCII character and ASCII letters and digits inside a token,
 * so those characters are their own key; any other character (ASCII punctuation) is written as an
 * escape, U+E000 and its UTF-8 bytes in hex. A raw key is one or two characters, an escaped one three
 * or more, so no two substrings share a key. Building keys is a JS function per item (cs_search_keys),
 * ≈ 50 µs for a typical item: most of the index catch-up's time, so it stays this plain.
 */
import { foldForSearch } from '../text-normalize.ts';

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

/** The folded text of one side of an item: its non-empty fields, folded, one per line. */
export function searchText(...fields: (string | null)[]): string {
  return fields
    .filter((f): f is string => !!f)
    .map(foldForSearch)
    .join('\n');
}

const ESCAPE = '\uE000';
const WHITESPACE = /\s/u;
const KEPT_ASCII = /[a-z0-9]/;
/** The key of one character; '' for whitespace, which separates chunks. */
const keyCache = new Map<string, string>();
function charKey(c: string): string {
  let key = keyCache.get(c);
  if (key === undefined) {
    if (WHITESPACE.test(c)) key = '';
    else if (c === ESCAPE || (c.charCodeAt(0) < 128 && !KEPT_ASCII.test(c))) key = ESCAPE + hex(c);
    else key = c;
    if (keyCache.size < 100_000) keyCache.set(c, key);
  }
  return key;
}

/** The short-term keys of folded texts, space-separated (repeats are left to FTS5). */
export function shortKeys(...texts: (string | null)[]): string {
  let out = '';
  for (const text of texts) {
    if (!text) continue;
    let previous = '';
    for (const c of text) {
      const key = charKey(c);
      if (key === '') {
        previous = '';
        continue;
      }
      out += previous === '' ? `${key} ` : `${key} ${previous}${key} `;
      previous = key;
    }
  }
  return out;
}

/** The index key of a folded query term of one or two characters (no whitespace). */
export const shortTermKey = (foldedTerm: string): string => [...foldedTerm].map(charKey).join('');

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * The keys of the two-character index of migrations 006 and 011, which migration 012 replaced. Those
 * migrations still call it (as cs_bigram_keys) when a database is migrated from before 012.
 */
export function legacyBigramKeys(...texts: (string | null)[]): string {
  const keys = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const [word] of text.normalize('NFC').toLowerCase().matchAll(WORD)) {
      const cps = [...word];
      if (cps.length === 1) keys.add(hex(word));
      for (let i = 0; i + 1 < cps.length; i++) keys.add(hex(cps[i] + cps[i + 1]));
    }
  }
  return [...keys].join(' ');
}
