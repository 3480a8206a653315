import { ImportFileError, type RowHandler } from './text.ts';

/**
 * The line on which each element of a top-level JSON array starts, from one pass over valid JSON text
 * (strings skipped with their escapes; depth counted by brackets and braces).
 */
function elementLines(json: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let expecting = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    if (depth === 1 && expecting && c !== 93 /* ] */) {
      lines.push(line);
      expecting = false;
    }
    if (c === 34 /* " */) {
      for (i++; i < json.length; i++) {
        const d = json.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth++;
      if (depth === 1) expecting = true;
    } else if (c === 93 || c === 125) {
      depth--;
    } else if (c === 44 /* , */ && depth === 1) {
      expecting = true;
    }
  }
  return lines;
}

/**
 * Reads one JSON document holding an array of records (BLEnD's annotation files, CLIcK's files): each element
 * is a row, and its line is where it starts. The document is parsed whole once it has arrived (the import's
 * size limit bounds it); an element that is not an object is reported and the rest are still checked.
 */
export async function readJson(text: AsyncIterable<string>, handler: RowHandler): Promise<{ rows: number }> {
  const pieces: string[] = [];
  for await (const chunk of text) pieces.push(chunk);
  const whole = pieces.join('');
  if (whole.trim() === '') throw new ImportFileError('empty-file', 'The file is empty: no records');
  let value: unknown;
  try {
    value = JSON.parse(whole);
  } catch (e) {
    const why = e instanceof SyntaxError ? e.message.slice(0, 200) : 'invalid JSON';
    throw new ImportFileError('invalid-json', `Not a JSON document: ${why}`);
  }
  if (!Array.isArray(value)) {
    throw new ImportFileError('not-an-array', 'The file must hold one JSON array of records: [{…}, {…}]');
  }
  if (value.length === 0) throw new ImportFileError('empty-file', 'The file is empty: no records');
  const lines = elementLines(whole);
  value.forEach((record: unknown, i) => {
    const row = i + 1;
    const line = lines[i] ?? 1;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      handler.issue({
        row,
        line,
        column: null,
        field: null,
        code: 'not-an-object',
        message: 'Each element of the array must be one JSON object',
      });
      return;
    }
    handler.row(record as Record<string, unknown>, row, line);
  });
  return { rows: value.length };
}
