/**
 * Imports as jobs: the upload is saved to a temporary file on the request thread (the socket is there;
 * memory stays bounded, the size limit holds), then the check, and the commit of a real import, run as a
 * task on the jobs pool with its own connection. The request answers 202 with the job reading; its progress
 * is written into the job's row, which GET /api/imports/:id shows.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { MAX_IMPORT_BYTES, type ImportJob } from '../../../schema/import.ts';
import type { User } from '../../../schema/user.ts';
import { INTERRUPTED } from '../../db/imports.ts';
import type { Repositories } from '../../db/repositories.ts';
import { AppError } from '../../errors.ts';
import { openHookChannel } from '../../jobs/hook-channel.ts';
import { sharedPools } from '../../jobs/pool.ts';
import { taskRef } from '../../jobs/task.ts';
import { failedIssue, fileIssue } from './issues.ts';
import { privateUploadsDir, uploadPrefix } from './reconcile.ts';
import { createImportService, type ImportHook } from './service.ts';
import type * as tasks from './tasks.ts';

const importTask = taskRef<typeof tasks.importTask>(new URL('./tasks.ts', import.meta.url), 'importTask');

/** Cancel switches of the imports this process runs, by job id (the row's flag reaches the others). */
const running = new Map<number, AbortController>();

export interface ImportJobOptions {
  hook?: ImportHook;
  /** The app instance the jobs run in (their owner: server/domain/instances.ts); none: a dead owner to others. */
  owner?: string;
  /** Hears of a job thread that failed (a bug or a thread that died). */
  log?: (message: string, err: unknown) => void;
}

class TooLarge extends Error {}

/**
 * Copies `source` into `path`, refusing it past `limit` bytes. Resolves with the number of bytes. The source
 * is never destroyed (its iterator is not closed), so the request can still be answered and the rest drained.
 */
async function saveUpload(source: AsyncIterable<Uint8Array>, path: string, limit: number): Promise<number> {
  let bytes = 0;
  const out = createWriteStream(path);
  const chunks = source[Symbol.asyncIterator]();
  try {
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      bytes += next.value.byteLength;
      if (bytes > limit) throw new TooLarge();
      if (!out.write(next.value)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await finished(out);
  }
  return bytes;
}

/**
 * Runs a claimed job's check (and commit) on the jobs pool, reading `path`; resolves with the finished job.
 * A job thread that fails (not the file: a bug or a stopped thread) leaves the job failed, not running.
 */
export async function runImportJob(
  repos: Repositories,
  userId: number,
  id: number,
  path: string,
  options: ImportJobOptions = {},
): Promise<ImportJob> {
  const service = createImportService(repos);
  // The attempt just claimed (migrations 016, 020): an attempt that fails changes only its own state, never a retry's.
  const abort = new AbortController();
  running.set(id, abort);
  const attempt = await repos.imports.attemptOf(id);
  const channel = openHookChannel('cs-import', options.hook);
  return sharedPools()
    .jobs.run(
      importTask,
      repos.location,
      { importId: id, attempt, userId, path, hookChannel: channel?.name ?? null },
      { signal: abort.signal },
    )
    .catch(async (err: unknown) => {
      const j = await service.get(id);
      if (j.state === 'reading' || j.state === 'writing') {
        await service.fail(id, j.state, failedIssue(j.state), attempt);
      }
      options.log?.(`Import ${id} stopped`, err);
      return service.get(id);
    })
    .finally(() => {
      channel?.close();
      if (running.get(id) === abort) running.delete(id);
    });
}

/**
 * PUT /api/imports/:id/file: claims the job (413 too large, 409 already has its file), saves the upload to a
 * temporary file and starts the job in the background. Returns the job as it is now (reading).
 */
export async function startImport(
  repos: Repositories,
  user: User,
  id: number,
  source: AsyncIterable<Uint8Array>,
  bytesTotal: number | null,
  options: ImportJobOptions = {},
): Promise<ImportJob> {
  const service = createImportService(repos, { owner: options.owner });
  // Before the claim: a folder another user made refuses the upload with the job still waiting for its file.
  const uploads = await privateUploadsDir(repos);
  await service.claim(id, bytesTotal);
  // The attempt names the folder: a start elsewhere keeps it while this attempt runs (reconcileImports).
  const attempt = await repos.imports.attemptOf(id);
  const dir = await mkdtemp(join(uploads, uploadPrefix(id, attempt)));
  const path = join(dir, 'upload');
  let bytes: number;
  try {
    bytes = await saveUpload(source, path, MAX_IMPORT_BYTES);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (err instanceof TooLarge) {
      const message = `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`;
      const job = await service.refuseFile(id, fileIssue('file-too-large', message));
      throw new AppError(413, 'payload-too-large', message, { job });
    }
    // The upload broke off: nothing was read, and the same job takes the file again.
    await service.refuseFile(
      id,
      fileIssue(
        INTERRUPTED,
        'The upload broke off before the whole file arrived; nothing was imported. Upload the file again.',
      ),
    );
    throw err;
  }
  await repos.imports.received(id, bytes);
  void runImportJob(repos, user.id, id, path, options).finally(() =>
    rm(dir, { recursive: true, force: true }),
  );
  return service.get(id);
}

/** POST /api/imports/:id/cancel: asks a running job to stop between batches (409 if it is not running). */
export function cancelImport(repos: Repositories, id: number): Promise<ImportJob> {
  // A job of this process is told through its switch: no write, so no wait for the job's own write lock.
  const local = running.get(id);
  if (local) {
    local.abort();
    return createImportService(repos).get(id);
  }
  return createImportService(repos).cancel(id);
}

/** Import jobs as the API starts and stops them, with this server's hook (tests) and log. */
export function createImportJobService(repos: Repositories, options: ImportJobOptions = {}) {
  return {
    start: (user: User, id: number, source: AsyncIterable<Uint8Array>, bytesTotal: number | null) =>
      startImport(repos, user, id, source, bytesTotal, options),
    cancel: (id: number): Promise<ImportJob> => cancelImport(repos, id),
  };
}
export type ImportJobService = ReturnType<typeof createImportJobService>;
