// Server start: what import jobs of dead app instances left behind (their state, their hidden rows, their
// uploads).
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { chmod, lstat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Repositories } from '../../db/repositories.ts';
import { defaultStaleBefore } from '../instances.ts';
import { interruptedIssue } from './issues.ts';
import { deleteHiddenRows } from './write.ts';

/** A location with a scheme (`postgres://…`, `pglite:…`) names no file to put uploads beside. */
const isFile = (location: string) => !/^[a-z][a-z0-9+.-]*:/i.test(location);

/**
 * Where uploads wait for their job (job.ts), one folder per attempt (`import-<id>-<attempt>-…`): on SQLite a folder
 * next to the database file (same disk; removed with a test's database folder); on PostgreSQL, whose location is a
 * URL, a folder in the system's temporary folder named by a digest of the location (which never holds the
 * password). It needs no sharing between instances: a job runs in the process that received its file, and nothing
 * else reads it. Instances of one host share it; a start removes only the folders of attempts no longer running
 * (reconcileImports), never a live instance's.
 */
export const uploadsDir = (repos: Pick<Repositories, 'location'>) =>
  isFile(repos.location)
    ? `${repos.location}.uploads`
    : join(
        tmpdir(),
        `culture-studio-uploads-${createHash('sha256').update(repos.location).digest('hex').slice(0, 16)}`,
      );

/**
 * The uploads folder, made for this server's user alone before a file is saved in it. On PostgreSQL it sits in the
 * system's temporary folder under a predictable name, so another local user could make it first and read or swap
 * the uploads: a folder that is not a directory of this user (a symlink, another owner) is refused, and one open to
 * others is closed (mode 700).
 */
export async function privateUploadsDir(repos: Pick<Repositories, 'location'>): Promise<string> {
  const dir = uploadsDir(repos);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stat = await lstat(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) {
    throw new Error(
      `The uploads folder ${dir} is not a folder of this server's user (owner ${stat.uid}${stat.isSymbolicLink() ? ', a symbolic link' : ''}): remove it, or give the server a private TMPDIR`,
    );
  }
  if ((stat.mode & 0o077) !== 0) await chmod(dir, 0o700);
  return dir;
}

/** The folder an upload of attempt `attempt` of job `id` waits in is made with this prefix (mkdtemp). */
export const uploadPrefix = (id: number, attempt: number) => `import-${id}-${attempt}-`;

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
  // The uploads of attempts no longer running (those just interrupted, and any a killed process left).
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

/**
 * Removes the upload folders whose attempt is not running. A folder is made after its job was claimed (state
 * reading, attempt counted), so a folder listed here whose job is running that very attempt is a live instance's.
 */
async function removeStaleUploads(repos: Pick<Repositories, 'imports' | 'location'>): Promise<void> {
  let entries: string[];
  try {
    entries = readdirSync(uploadsDir(repos));
  } catch {
    return; // no uploads folder yet
  }
  for (const entry of entries) {
    const [, id, attempt] = /^import-(\d+)-(\d+)-/.exec(entry) ?? [];
    if (id !== undefined) {
      const job = await repos.imports.get(Number(id));
      if (
        job &&
        (job.state === 'reading' || job.state === 'writing') &&
        (await repos.imports.attemptOf(Number(id))) === Number(attempt)
      )
        continue;
    }
    rmSync(join(uploadsDir(repos), entry), { recursive: true, force: true });
  }
  // The folder itself stays: another instance may be between its mkdir and its mkdtemp in it (job.ts).
}
