// Import jobs: created with their options, given their file once, checked (check.ts) and written (write.ts)
// on a job thread, cancelled; their problems (issues.ts) and the clean-up at a server start (reconcile.ts).
import {
  MAX_IMPORT_BYTES,
  type CreateImportInput,
  type ImportIssue,
  type ImportJob,
} from '../../../schema/import.ts';
import type { User } from '../../../schema/user.ts';
import type { Repositories } from '../../db/repositories.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { checkImport } from './check.ts';
import { importPresets } from './presets.ts';

/**
 * Called at two points of a running import: `reading` once the job has taken its file (before a byte is
 * read), `written` once every new item is written (hidden) in slices, before the final transaction that
 * applies the updates and makes everything visible. Tests stop a child server there and SIGKILL it. It runs on the thread that started the job, while the job thread waits for
 * it (see server/jobs/hook-channel.ts).
 */
export type ImportHook = (step: 'reading' | 'written') => void | Promise<void>;

/**
 * Bulk import: a job is created with its options, then receives its file once. Reading streams the file
 * through the parser, checks every row (recording progress) and stages the checked rows outside the JS
 * heap; a real import then writes its new items set-based in short slices that no reader sees, and makes
 * them visible in one final transaction that also updates the existing items row by row — all or nothing.
 */
export function createImportService(
  repos: Repositories,
  { hook, owner = null }: { hook?: ImportHook; owner?: string | null } = {},
) {
  const now = () => new Date().toISOString();

  async function job(id: number): Promise<ImportJob> {
    const j = await repos.imports.get(id);
    if (!j) throw notFound('Import');
    return j;
  }

  async function fail(
    id: number,
    from: 'reading' | 'writing',
    issue: ImportIssue,
    attempt: number | null = null,
  ) {
    await repos.imports.finish(
      id,
      from,
      {
        state: 'failed',
        rowsTotal: null,
        errorCount: 1,
        errors: [issue],
        created: 0,
        updated: 0,
        unchanged: 0,
        finishedAt: now(),
      },
      attempt,
    );
    return job(id);
  }

  return {
    presets: () => importPresets,

    async create(user: User, input: CreateImportInput): Promise<ImportJob> {
      if (!(await repos.datasets.exists(input.datasetId))) {
        throw new AppError(400, 'invalid-input', 'Invalid body', {
          issues: [{ path: 'datasetId', code: 'unknown-dataset', message: `No dataset ${input.datasetId}` }],
        });
      }
      return await repos.imports.create({
        datasetId: input.datasetId,
        userId: user.id,
        fileName: input.fileName,
        format: input.format,
        options: { preset: input.preset, mapping: input.mapping, defaults: input.defaults },
        dryRun: input.dryRun,
        status: input.status,
        createdAt: now(),
      });
    },

    get: (id: number): Promise<ImportJob> => job(id),

    list: async (datasetId?: number): Promise<ImportJob[]> => await repos.imports.list(datasetId),

    /**
     * Takes the job's file (the upload is starting): moves the job to reading, or refuses a file too large
     * (413) or a job that already has its file (409). The check runs after, on a job thread (see job.ts).
     */
    async claim(id: number, bytesTotal: number | null): Promise<ImportJob> {
      const j = await job(id);
      if (bytesTotal !== null && bytesTotal > MAX_IMPORT_BYTES) {
        throw new AppError(
          413,
          'payload-too-large',
          `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
        );
      }
      if (!(await repos.imports.start(id, bytesTotal, owner))) {
        throw conflict('import-started', 'This import already received its file; start a new import', {
          state: j.state,
        });
      }
      return job(id);
    },

    /** Ends a claimed job whose file never arrived whole (too large, or the upload broke off). */
    refuseFile: (id: number, issue: ImportIssue): Promise<ImportJob> => fail(id, 'reading', issue),

    /** Ends attempt `attempt` of a running job as failed with `issue` (its job thread stopped), writing nothing. */
    fail: (
      id: number,
      from: 'reading' | 'writing',
      issue: ImportIssue,
      attempt: number,
    ): Promise<ImportJob> => fail(id, from, issue, attempt),

    /** Attempt `attempt` of a claimed job: its file checked and, for a real import, written (checkImport). */
    check: (
      user: User,
      id: number,
      attempt: number,
      source: AsyncIterable<Uint8Array | string>,
      cancelRequested?: () => boolean,
    ): Promise<ImportJob> => checkImport(repos, hook, user, id, attempt, source, cancelRequested),

    /** Asks a running job to stop (409 import-not-running if it is not reading or writing). */
    async cancel(id: number): Promise<ImportJob> {
      const j = await job(id);
      if (!(await repos.imports.requestCancel(id)))
        throw conflict('import-not-running', 'This import is not running', { state: j.state });
      return job(id);
    },

    provenance: async (itemId: number) => await repos.imports.provenanceOf(itemId),
  };
}
export type ImportService = ReturnType<typeof createImportService>;
