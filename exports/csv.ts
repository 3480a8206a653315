import { datasetRecordKeys, type DatasetRecord } from '../schema/release.ts';
import { assertAscendingIds } from './record.ts';
import { encodeLines } from './jsonl.ts';

export const csvPath = 'csv/test.csv';
const BOM = '\uFEFF';
const CRLF = '\r\n';

/** A cell holding any of these (or a leading or trailing space) is quoted, as Papa.unparse does. */
const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/;
const QUOTE = /"/g;

type Cell = string | number | boolean | null;

/**
 * One CSV cell, RFC 4180: quoted only when it must be, with quotes doubled. Byte for byte what
 * `Papa.unparse` writes with `escapeFormulae: FORMULA_START` (a test holds it to that), without its
 * per-row setup cost.
 */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  if (startsFormula(value)) return `"'${value.replace(QUOTE, '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replace(QUOTE, '""')}"` : value;
}

/**
 * A text cell starting with = + - @ tab or CR (FORMULA_START, /^[=+\-@\t\r]/) is a formula to Excel,
 * LibreOffice and Google Sheets; it gets a leading apostrophe (and quotes). Papaparse's built-in pattern
 * (/^[=+\-@\t\r].*$/) misses multi-line cells, hence ours. Numbers and booleans are written by us, not
 * typed by users, and are left alone (so α = -0.2 stays a number). Checked by the first character code:
 * a release writes millions of cells.
 */
function startsFormula(value: string): boolean {
  switch (value.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // carriage return
      return true;
    default:
      return false;
  }
}

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

/** The first line: BOM and the header row. */
export function csvHeader(): string {
  return BOM + datasetRecordKeys.map(csvCell).join(',') + CRLF;
}

/** One CRLF-terminated row: arrays and objects as JSON, null as an empty cell. */
export function csvRow(record: DatasetRecord): string {
  let line = '';
  for (let i = 0; i < datasetRecordKeys.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cell(record[datasetRecordKeys[i]!]));
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
