import type { DatasetRecord } from '../schema/release.ts';
import type { ItemSplit } from '../schema/item.ts';
import { assertAscendingIds, recordsBySplit } from './record.ts';

const encoder = new TextEncoder();
const LINE_SEPARATORS = /[\u2028\u2029]/;

/**
 * One JSON object on one line, keys in record order. U+2028/U+2029 are escaped: they are legal inside
 * JSON strings but some line readers (Python's str.splitlines) would split a record on them.
 */
export function jsonlLine(value: unknown): string {
  let json = JSON.stringify(value);
  if (LINE_SEPARATORS.test(json)) json = json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return floatAgreement(json) + '\n';
}

/**
 * `annotation.agreement` is a float in every file (`1.0`, never `1`), so a reader that infers column types
 * from JSON (pyarrow, pandas) gets a float column in every config, as the card's features declare. The key
 * with unescaped quotes can only be the record's own: inside a JSON string every quote is escaped.
 */
const AGREEMENT_INTEGER = /(?<!\\)"agreement":(-?\d+)(?=[,}])/;
const floatAgreement = (json: string) => json.replace(AGREEMENT_INTEGER, '"agreement":$1.0');

/**
 * Streams JSONL lines (LF-terminated, UTF-8 without BOM once encoded). Records must already be sorted by
 * id (a release selects them ORDER BY uid); anything else is refused rather than silently reordered.
 */
export function* jsonlLines(records: Iterable<DatasetRecord>): Generator<string> {
  const check = assertAscendingIds();
  for (const record of records) {
    check(record.id);
    yield jsonlLine(record);
  }
}

/** `data/<language>/<split>.jsonl`: `test.jsonl`, and `dev.jsonl` for the few-shot exemplars (if any). */
export function jsonlPath(language: string, split: ItemSplit = 'test'): string {
  return `data/${language}/${split}.jsonl`;
}

export function encodeLines(lines: Iterable<string>): Uint8Array {
  let text = '';
  for (const line of lines) text += line;
  return encoder.encode(text);
}

/** `data/<language>/<split>.jsonl` for every language config and split that has records, in path order. */
export function jsonlFiles(records: readonly DatasetRecord[]): { path: string; bytes: Uint8Array }[] {
  return recordsBySplit(records).map(({ language, split, rows }) => ({
    path: jsonlPath(language, split),
    bytes: encodeLines(jsonlLines(rows)),
  }));
}
