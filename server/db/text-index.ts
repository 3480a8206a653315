/**
 * What the search indexes hold (migration 012). Text is folded for search (foldForSearch: case, Latin
 * accents, Arabic harakat and letter variants, Hebrew points, full-width forms) and the fields of one
 * side are joined by line breaks. Terms never contain whitespace, so no match spans two fields.
 *
 * The trigram index serves terms of three or more characters. Shorter terms use a second index of
 * keys: every one- and two-character substring of each whitespace-separated chunk of the folded text,
 * hex-encoded so that FTS5's plain `ascii` tokenizer indexes them exactly, whatever the script.
 */
import { foldForSearch } from '../domain/text-normalize.ts';

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

/** The folded text of one side of an item: its non-empty fields, folded, one per line. */
export function searchText(...fields: (string | null)[]): string {
  return fields
    .filter((f): f is string => !!f)
    .map(foldForSearch)
    .join('\n');
}

/** The short-term keys of folded texts, space-separated. */
export function shortKeys(...texts: (string | null)[]): string {
  const keys = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const chunk of text.split(/\s+/u)) {
      const cps = [...chunk];
      for (let i = 0; i < cps.length; i++) {
        keys.add(hex(cps[i]!));
        if (i + 1 < cps.length) keys.add(hex(cps[i]! + cps[i + 1]!));
      }
    }
  }
  return [...keys].join(' ');
}

/** The index key of a folded query term of one or two characters. */
export const shortTermKey = (foldedTerm: string): string => hex(foldedTerm);

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
      for (let i = 0; i + 1 < cps.length; i++) keys.add(hex(cps[i]! + cps[i + 1]!));
    }
  }
  return [...keys].join(' ');
}
