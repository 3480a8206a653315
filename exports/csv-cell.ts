/**
 * The one CSV cell writer of Culture Studio. Every CSV the tool produces (the release's csv/test.csv, the
 * agreement tables, the scoring report) is written through it, so a cell is escaped the same way everywhere.
 * It imports nothing, so any layer may use it. The rule is in docs/dataset-format.md ("CSV view").
 */

/** What a cell may hold: text from people, or a number or boolean we computed. */
export type CsvValue = string | number | boolean | null;

const BOM = '\uFEFF';
const CRLF = '\r\n';

/** A cell holding any of these (or a leading or trailing space) is quoted, as Papa.unparse does. */
const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/;
const QUOTE = /"/g;

/**
 * Text a spreadsheet could run as a formula: a cell starting with tab or CR, or any line of it whose first
 * non-whitespace character is = + - @ (or their full-width forms ＝ ＋ － ＠). That is a superset of
 * OWASP's list (first character = + - @ tab CR): it also covers leading spaces or line breaks before the
 * sign (" =1", "\n=1") and a formula on a later line of a multi-line cell ("a\n=HYPERLINK(…)"), which
 * spreadsheets that split or trim cells would otherwise run.
 */
const FIRST_LINE = /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
const LATER_LINE = /[\r\n]\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The rule above, with the common case cheap: a release writes millions of cells, few of them multi-line. */
function looksLikeFormula(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first === 0x09 || first === 0x0d) return true;
  if (FIRST_LINE.test(text)) return true;
  return (text.includes('\n') || text.includes('\r')) && LATER_LINE.test(text);
}

/**
 * One CSV cell, RFC 4180: quoted only when it must be, quotes doubled. Text that looks like a formula
 * gets a leading apostrophe (as OWASP recommends) and quotes. Only text is escaped, decided by type:
 * numbers and booleans are ours, never typed by people, and are written as they are (α = -0.12 stays a
 * number). A number kept as text (an id like "-1") is text and is escaped. null is an empty cell.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  if (looksLikeFormula(value)) return `"'${value.replace(QUOTE, '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replace(QUOTE, '""')}"` : value;
}

/** One CRLF-terminated row. */
export function csvRowOf(cells: readonly CsvValue[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i]);
  }
  return line + CRLF;
}

/** The first line of a CSV file: a UTF-8 BOM (so Excel reads UTF-8) and the header row. */
export const csvHeaderOf = (columns: readonly string[]): string => BOM + csvRowOf(columns);

/** A whole CSV file: BOM, header, one CRLF-terminated row per entry. */
export function csvTable(columns: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  let out = csvHeaderOf(columns);
  for (const row of rows) out += csvRowOf(row);
  return out;
}
