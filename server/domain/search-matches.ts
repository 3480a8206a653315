import type { SearchField, SearchMatch } from '../../schema/item.ts';
import type { SearchableText } from '../db/items.ts';
import { foldForSearchMapped } from '../text-normalize.ts';

/** A field longer than this shows a window of it around the first match. */
const WINDOW = 160;
/** Characters kept before the first match in a window. */
const LEAD = 40;
const LIST_SEPARATOR = ' · ';

type Range = [number, number];

/** Where the folded `terms` occur in `text`, as ranges of the text as typed, merged and in order. */
export function matchRanges(text: string, terms: readonly string[]): Range[] {
  const folded = foldForSearchMapped(text);
  const found: Range[] = [];
  for (const term of terms) {
    for (let at = folded.text.indexOf(term); at >= 0; at = folded.text.indexOf(term, at + 1)) {
      found.push([folded.start[at], folded.end[at + term.length - 1]]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Range[] = [];
  for (const r of found) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** The text of a list field with each element's ranges, joined by LIST_SEPARATOR. */
function listRanges(values: readonly string[], terms: readonly string[]): { text: string; ranges: Range[] } {
  let text = '';
  const ranges: Range[] = [];
  values.forEach((value, n) => {
    if (n > 0) text += LIST_SEPARATOR;
    for (const [a, b] of matchRanges(value, terms)) ranges.push([text.length + a, text.length + b]);
    text += value;
  });
  return { text, ranges };
}

const isLowSurrogate = (text: string, at: number) => /[\uDC00-\uDFFF]/.test(text[at] ?? '');

/** A window of a long text around its first range, with `…` where it was cut. */
function shorten(text: string, ranges: Range[]): { text: string; ranges: Range[] } {
  if (text.length <= WINDOW) return { text, ranges };
  let from = Math.max(0, ranges[0][0] - LEAD);
  if (isLowSurrogate(text, from)) from--;
  let to = Math.min(text.length, from + WINDOW);
  if (isLowSurrogate(text, to)) to++;
  const prefix = from > 0 ? '…' : '';
  const shift = prefix.length - from;
  return {
    text: prefix + text.slice(from, to) + (to < text.length ? '…' : ''),
    ranges: ranges.filter(([a]) => a < to).map(([a, b]): Range => [a + shift, Math.min(b, to) + shift]),
  };
}

/**
 * Where a search's folded terms were found in one item: every searchable field holding at least one
 * of them, question side first; the answer side only when the viewer may read the answers.
 */
export function searchMatches(item: SearchableText, terms: readonly string[]): SearchMatch[] {
  const fields: [SearchField, string | null | readonly string[]][] = [
    ['question', item.question],
    ['questionEn', item.questionEn],
    ['options', item.options],
    ['notes', item.notes],
  ];
  if (!item.answersWithheld) {
    fields.push(
      ['referenceAnswer', item.referenceAnswer],
      ['answerEn', item.answerEn],
      ['acceptedAnswers', item.acceptedAnswers],
      ['rationale', item.rationale],
    );
  }
  const matches: SearchMatch[] = [];
  for (const [field, value] of fields) {
    if (value === null || value.length === 0) continue;
    const full =
      typeof value === 'string'
        ? { text: value, ranges: matchRanges(value, terms) }
        : listRanges(value, terms);
    if (full.ranges.length > 0) matches.push({ field, ...shorten(full.text, full.ranges) });
  }
  return matches;
}
