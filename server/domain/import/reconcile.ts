// Server start: what import jobs of a stopped process left behind (their state, their hidden rows, their
// uploads).
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Repositories } from '../../db/repositories.ts';
import { defaultStaleBefore } from '../instances.ts';
import { interruptedIssue } from './issues.ts';
import { deleteHiddenRows } from './write.ts';

/**
 * Where uploads wait for their job (job.ts): a folder next to the database file (same disk; removed with a
 * test's database folder), one folder per upload (`import-<id>-…`). A starting server removes those of jobs that
 * are not running (reconcileImports); a live instance's running jobs keep theirs.
 */
export const uploadsDir = (repos: Pick<Repositories, 'location'>) => `${repos.location}.uploads`;

/**
 * Server start: the import jobs still reading or writing whose owner is dead (not seen since `since`, or gone;
 * jobs run in the process that received their file, server/domain/instances.ts) are marked failed,
 * `interrupted`, and take their file again; a live instance's jobs are left alone.
 * The items they had written were hidden (never visible) and are deleted here, with those of any import
 * whose clean-up was cut short. Lines to print.
 */
export async function reconcileImports(
  repos: Pick<Repositories, 'imports' | 'location'>,
  since: string = defaultStaleBefore(),
): Promise<string[]> {
  const ids = await repos.imports.interruptRunning(interruptedIssue(), new Date().toISOString(), since);
  // The uploads of jobs no longer running (those just interrupted, and any a killed process left).
  if (repos.location !== ':memory:' && repos.location !== '') await removeStaleUploads(repos);
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

async function removeStaleUploads(repos: Pick<Repositories, 'imports' | 'location'>): Promise<void> {
  let entries: string[];
  try {
    entries = readdirSync(uploadsDir(repos));
  } catch {
    return; // no uploads folder yet
  }
  for (const entry of entries) {
    const id = /^import-(\d+)-/.exec(entry)?.[1];
    const job = id === undefined ? undefined : await repos.imports.get(Number(id));
    if (job && (job.state === 'reading' || job.state === 'writing')) continue;
    rmSync(join(uploadsDir(repos), entry), { recursive: true, force: true });
  }
  // The folder itself too when nothing is left in it (rmdir refuses a folder a live job has just used).
  try {
    rmdirSync(uploadsDir(repos));
  } catch {
    // not empty, or gone
  }
}
