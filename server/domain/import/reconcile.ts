// Server start: what import jobs of a stopped process left behind (their state, their hidden rows, their
// uploads).
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Repositories } from '../../db/repositories.ts';
import { interruptedIssue } from './issues.ts';
import { deleteHiddenRows } from './write.ts';

/** A location with a scheme (`postgres://…`, `pglite:…`) names no file to put uploads beside. */
const isFile = (location: string) => !/^[a-z][a-z0-9+.-]*:/i.test(location);

/**
 * Where uploads wait for their job (job.ts): on SQLite a folder next to the database file (same disk; removed
 * with a test's database folder), which a starting server empties (reconcileImports): every job of a dead
 * process is over. On PostgreSQL, whose location is a URL, a folder of this process's own in the system's
 * temporary folder (jobs run in the process that received their file), named by a digest of the location (which
 * never holds the password) and the process id.
 */
export const uploadsDir = (repos: Pick<Repositories, 'location'>) =>
  isFile(repos.location)
    ? `${repos.location}.uploads`
    : join(
        tmpdir(),
        `culture-studio-uploads-${createHash('sha256').update(repos.location).digest('hex').slice(0, 16)}-${process.pid}`,
      );

/**
 * Server start: the import jobs still reading or writing belong to a process that is gone (jobs run in the
 * process that received their file), so they are marked failed, `interrupted`, and take their file again.
 * The items they had written were hidden (never visible) and are deleted here, with those of any import
 * whose clean-up was cut short. Lines to print.
 */
export async function reconcileImports(repos: Pick<Repositories, 'imports' | 'location'>): Promise<string[]> {
  const ids = await repos.imports.interruptRunning(interruptedIssue(), new Date().toISOString());
  // The uploads their jobs were reading.
  if (repos.location !== ':memory:' && repos.location !== '')
    rmSync(uploadsDir(repos), { recursive: true, force: true });
  const lines: string[] = [];
  if (ids.length > 0)
    lines.push(
      `Marked ${ids.length} import${ids.length === 1 ? '' : 's'} interrupted by the last stop as failed (${ids
        .map((id) => `#${id}`)
        .join(', ')}); upload the file again to retry.`,
    );
  for (const id of await repos.imports.withHiddenRows()) {
    const n = await deleteHiddenRows(repos, id);
    lines.push(`Removed the ${n} hidden item${n === 1 ? '' : 's'} of unfinished import #${id}.`);
  }
  return lines;
}
