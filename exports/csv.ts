import Papa from 'papaparse';
import { datasetRecordKeys, type DatasetRecord } from '../schema/release.ts';
import { assertAscendingIds } from './record.ts';
import { encodeLines } from './jsonl.ts';

export const csvPath = 'csv/test.csv';
const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * A text cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets; it gets a
 * leading apostrophe. Papaparse's built-in pattern (/^[=+\-@\t\r].*$/) misses multi-line cells, hence ours.
 * Numbers and booleans are written by us, not typed by users, and are left alone (so α = -0.2 stays a number).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

type Cell = string | number | boolean | null;

function cell(value: DatasetRecord[keyof DatasetRecord]): Cell {
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

function row(cells: Cell[]): string {
  return Papa.unparse([cells], { newline: CRLF, escapeFormulae: FORMULA_START }) + CRLF;
}

/**
 * Streams the CSV view of the records: the BOM and header first, then one CRLF-terminated row per record
 * (RFC 4180 quoting; arrays and objects as JSON; null as an empty cell). Records must be sorted by id.
 */
export function* csvLines(records: Iterable<DatasetRecord>): Generator<string> {
  yield BOM + row([...datasetRecordKeys]);
  const check = assertAscendingIds();
  for (const record of records) {
    check(record.id);
    yield row(datasetRecordKeys.map((key) => cell(record[key])));
  }
}

export function csvFile(records: readonly DatasetRecord[]): { path: string; bytes: Uint8Array } {
  return { path: csvPath, bytes: encodeLines(csvLines(records)) };
}
