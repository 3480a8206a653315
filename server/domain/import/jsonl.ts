import { ImportFileError, type RowHandler } from './text.ts';

/**
 * Reads JSON Lines: one JSON object per line (LF or CRLF); blank lines are skipped. A line that is not
 * JSON, or not an object, is reported with its line number and the rest of the file is still checked.
 */
export async function readJsonl(text: AsyncIterable<string>, handler: RowHandler): Promise<{ rows: number }> {
  let line = 0;
  let row = 0;
  const handle = (raw: string) => {
    line++;
    const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (s.trim() === '') return;
    row++;
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch (e) {
      const why = e instanceof SyntaxError ? e.message.slice(0, 200) : 'invalid JSON';
      handler.issue({
        row,
        line,
        column: null,
        field: null,
        code: 'invalid-json',
        message: `Not JSON: ${why}`,
      });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      handler.issue({
        row,
        line,
        column: null,
        field: null,
        code: 'not-an-object',
        message: 'Each line must be one JSON object',
      });
      return;
    }
    handler.row(value as Record<string, unknown>, row, line);
  };
  // Pieces of the current line: a long line arrives over many chunks and is joined once.
  let pieces: string[] = [];
  for await (const chunk of text) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      pieces.push(chunk.slice(start, nl));
      handle(pieces.join(''));
      pieces = [];
      start = nl + 1;
    }
    if (start < chunk.length) pieces.push(chunk.slice(start));
  }
  if (pieces.length > 0) handle(pieces.join(''));
  if (row === 0) throw new ImportFileError('empty-file', 'The file is empty: no records');
  return { rows: row };
}
