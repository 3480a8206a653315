import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { CliError, type CliIo } from './command.ts';

/** Writes a file whole or not at all: a temporary file next to it, fsynced, then renamed into place. */
export function writeFileAtomically(target: string, text: string) {
  if (existsSync(target)) throw new CliError(`${target} already exists; choose a new file`);
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.partial-${process.pid}`;
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** The first 50 problems of an import, one line each: where (row, line, column; or the file), id, code, message. */
export function printIssues(
  issues: readonly {
    row: number | null;
    line: number | null;
    column?: string | null;
    id?: string | null;
    code: string;
    message: string;
  }[],
  count: number,
  out: CliIo['out'],
) {
  for (const e of issues.slice(0, 50)) {
    const where = [
      e.row === null ? null : `row ${e.row}`,
      e.line === null ? null : `line ${e.line}`,
      e.column && `column ${e.column}`,
    ]
      .filter(Boolean)
      .join(', ');
    out(`  ${where || 'file'}${e.id ? ` (${e.id})` : ''}: ${e.code}: ${e.message}`);
  }
  if (count > 50) out(`  … and ${count - 50} more`);
}
