import Papa from 'papaparse';
import { Readable } from 'node:stream';
import { countNewlines, ImportFileError, type RowHandler } from './text.ts';

const QUOTE_ERRORS: Record<string, [string, string]> = {
  MissingQuotes: ['unterminated-quote', 'A quoted cell is never closed: a " is missing'],
  InvalidQuotes: ['malformed-quotes', 'A quoted cell has text after its closing "'],
};

/**
 * Reads CSV (comma-separated, RFC 4180 quoting, CRLF or LF, multi-line quoted cells) with papaparse as
 * the text streams in. The first non-blank row is the header; every later row must have as many cells.
 * Line numbers count the physical lines of the file, so a row with a multi-line cell spans several.
 */
export function readCsv(text: AsyncIterable<string>, handler: RowHandler): Promise<{ rows: number }> {
  return new Promise((resolve, reject) => {
    let header: string[] | null = null;
    let line = 1;
    let row = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (header === null) reject(new ImportFileError('empty-file', 'The file is empty: no header, no rows'));
      else if (row === 0)
        reject(new ImportFileError('empty-file', 'The file has a header but no data rows', 2));
      else resolve({ rows: row });
    };
    const input = Readable.from(text, { objectMode: true });
    Papa.parse<string[]>(input as unknown as File, {
      delimiter: ',',
      header: false,
      skipEmptyLines: false,
      step(results, parser) {
        if (done) return;
        const cells = results.data;
        const startLine = line;
        for (const cell of cells) line += countNewlines(cell);
        line += 1;
        const quoteError = results.errors.find((e) => e.code in QUOTE_ERRORS);
        if (cells.length === 1 && cells[0] === '' && !quoteError) return; // a blank line
        if (header === null) {
          if (quoteError) {
            const [code, message] = QUOTE_ERRORS[quoteError.code];
            done = true;
            parser.abort();
            reject(new ImportFileError(code, `Header: ${message}`, startLine));
            return;
          }
          header = cells.map((h) => h.trim());
          if (!handler.header(header)) {
            parser.abort();
            finish();
          }
          return;
        }
        row++;
        if (quoteError) {
          const [code, message] = QUOTE_ERRORS[quoteError.code];
          handler.issue({ row, line: startLine, column: null, field: null, code, message });
          return;
        }
        if (cells.length !== header.length) {
          handler.issue({
            row,
            line: startLine,
            column: null,
            field: null,
            code: 'ragged-row',
            message: `The row has ${cells.length} cells; the header has ${header.length}`,
          });
          return;
        }
        const record: Record<string, string> = {};
        header.forEach((h, i) => {
          record[h] = cells[i]!;
        });
        handler.row(record, row, startLine);
      },
      complete: finish,
      error(err: Error) {
        if (done) return;
        done = true;
        reject(err);
      },
    });
  });
}
