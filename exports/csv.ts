import type { ItemSplit } from '../schema/item.ts';
import { datasetRecordKeys, type DatasetRecord } from '../schema/release.ts';
import { assertAscendingIds } from './record.ts';
import { csvCell, csvHeaderOf, type CsvValue } from './csv-cell.ts';
import { encodeLines } from './jsonl.ts';

export const csvPath = 'csv/test.csv';
/** The CSV of a split: csv/test.csv (always written), csv/dev.csv (only when the release has exemplars). */
export const csvPathOf = (split: ItemSplit) => `csv/${split}.csv`;
const CRLF = '\r\n';

function cell(value: DatasetRecord[keyof DatasetRecord]): CsvValue {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  return JSON.stringify(value);
}

/** The first line: BOM and the header row. */
export const csvHeader = (): string => csvHeaderOf(datasetRecordKeys);

/**
 * One CRLF-terminated row, every cell through the one cell writer (exports/csv-cell.ts): arrays and
 * objects as JSON, null as an empty cell. Inlined rather than csvRowOf: a release writes millions of cells.
 */
export function csvRow(record: DatasetRecord): string {
  let line = '';
  for (let i = 0; i < datasetRecordKeys.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cell(record[datasetRecordKeys[i]]));
  }
  return line + CRLF;
}

/**
 * Streams the CSV view of the records: the BOM and header first, then one CRLF-terminated row per record
 * (RFC 4180 quoting; arrays and objects as JSON; null as an empty cell). Records must be sorted by id.
 */
export function* csvLines(records: Iterable<DatasetRecord>): Generator<string> {
  yield csvHeader();
  const check = assertAscendingIds();
  for (const record of records) {
    check(record.id);
    yield csvRow(record);
  }
}

export function csvFile(records: readonly DatasetRecord[]): { path: string; bytes: Uint8Array } {
  return { path: csvPath, bytes: encodeLines(csvLines(records)) };
}

/** csv/dev.csv (when some records are few-shot exemplars) and csv/test.csv (always), in path order. */
export function csvFiles(records: readonly DatasetRecord[]): { path: string; bytes: Uint8Array }[] {
  const dev = records.filter((r) => r.split === 'dev');
  const test = records.filter((r) => r.split !== 'dev');
  return [
    ...(dev.length > 0 ? [{ path: csvPathOf('dev'), bytes: encodeLines(csvLines(dev)) }] : []),
    { path: csvPath, bytes: encodeLines(csvLines(test)) },
  ];
}
