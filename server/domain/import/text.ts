import type { ImportIssue } from '../../../schema/import.ts';

/** A problem with the file as a whole: reading stops, and the report holds this one issue. */
export class ImportFileError extends Error {
  readonly issue: ImportIssue;
  constructor(code: string, message: string, line: number | null = null) {
    super(message);
    this.issue = { row: null, line, column: null, field: null, code, message };
  }
}

/** Receives what a reader finds, row by row. */
export interface RowHandler {
  /** The CSV header; returns false when the file cannot be read with the mapping (reading stops). */
  header(columns: string[]): boolean;
  row(record: Record<string, unknown>, row: number, line: number): void;
  issue(issue: ImportIssue): void;
}

/**
 * Decodes UTF-8 as it streams in, without the BOM. Invalid UTF-8, NUL bytes (a binary file) and files
 * over `limit` bytes stop the import with a file-level issue; `onBytes` reports progress per chunk.
 */
export async function* decodeUtf8(
  source: AsyncIterable<Uint8Array | string>,
  limit: number,
  onBytes: (bytesRead: number) => void,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let line = 1;
  const check = (text: string) => {
    const nul = text.indexOf('\u0000');
    if (nul >= 0) {
      throw new ImportFileError(
        'binary-file',
        `The file holds a NUL byte (line ${line + countNewlines(text.slice(0, nul))}): it is not a text file`,
      );
    }
    line += countNewlines(text);
    return text;
  };
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    bytes += buf.byteLength;
    if (bytes > limit) {
      throw new ImportFileError(
        'file-too-large',
        `The file is larger than ${Math.floor(limit / 1024 / 1024)} MB`,
      );
    }
    let text: string;
    try {
      text = decoder.decode(buf, { stream: true });
    } catch {
      throw new ImportFileError(
        'invalid-utf8',
        `The file is not valid UTF-8 (near line ${line}); save it as UTF-8`,
      );
    }
    onBytes(bytes);
    if (text !== '') yield check(text);
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw new ImportFileError(
      'invalid-utf8',
      `The file ends inside a UTF-8 character (line ${line}); save it as UTF-8`,
    );
  }
  if (rest !== '') yield check(rest);
}

export function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
