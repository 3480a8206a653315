import { rmSync } from 'node:fs';
import {
  createImportSchema,
  importMappingSchema,
  MAX_IMPORT_BYTES,
  MAX_REPORTED_ISSUES,
  type CreateImportInput,
  type ImportIssue,
  type ImportJob,
  type ImportMapping,
} from '../../../schema/import.ts';
import { itemFieldNames, type Item, type ItemFields, type ItemRevision } from '../../../schema/item.ts';
import type { User } from '../../../schema/user.ts';
import {
  CANCELLED,
  DATASET_BUSY,
  INTERRUPTED,
  type ImportOutcome,
  type ImportStage,
  type StagedMatch,
  type StagedRow,
} from '../../db/imports.ts';
import type { Repositories } from '../../db/repositories.ts';
import { yieldWriteTurn } from '../../db/write-turns.ts';
import { progressGate } from '../../jobs/task.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { newItemUid } from '../items.ts';
import { readCsv } from './csv.ts';
import { readJson } from './json.ts';
import { readJsonl } from './jsonl.ts';
import { RowMapper } from './mapping.ts';
import { importPreset, importPresets } from './presets.ts';
import { decodeUtf8, ImportFileError, type RowHandler } from './text.ts';

/** Checked rows are staged this many at a time (one short transaction of the temporary database). */
const STAGE_BATCH = 1000;
/** While writing, a cancellation is looked for every this many existing items updated. */
const CANCEL_CHECK_ROWS = 500;
/**
 * New items are written this many at a time, each slice its own short write transaction (≈ 10–40 ms here),
 * hidden from every reader until the import's final transaction; the rows of a failed import are deleted
 * as many at a time.
 */
export const WRITE_SLICE = 500;

type Changes = ItemRevision['changes'];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function diff(item: ItemFields, next: ItemFields): Changes {
  const changes: Changes = {};
  for (const f of itemFieldNames) if (!same(item[f], next[f])) changes[f] = [item[f], next[f]];
  return changes;
}

/** The mapping an import reads its file with: a preset or a custom mapping, with defaults laid over. */
export function resolveMapping(input: Pick<CreateImportInput, 'preset' | 'mapping' | 'defaults'>): {
  mapping: ImportMapping;
  strictColumns: boolean;
} {
  const base = input.mapping ?? importPreset(input.preset ?? 'native').mapping;
  const mapping = input.defaults ? { ...base, defaults: { ...base.defaults, ...input.defaults } } : base;
  return { mapping, strictColumns: input.mapping !== undefined };
}

/**
 * Called at two points of a running import: `reading` once the job has taken its file (before a byte is
 * read), `written` once every new item is written (hidden) in slices, before the final transaction that
 * applies the updates and makes everything visible. Tests stop a child server there and SIGKILL it. It runs on the thread that started the job, while the job thread waits for
 * it (see server/jobs/hook-channel.ts).
 */
export type ImportHook = (step: 'reading' | 'written') => void | Promise<void>;

/** A problem with the whole file or job rather than one of its rows. */
export const fileIssue = (code: string, message: string): ImportIssue => ({
  row: null,
  line: null,
  column: null,
  field: null,
  code,
  message,
});

/** The only problem of a job whose process died while it ran (server start marks it; see reconcileImports). */
export const interruptedIssue = () =>
  fileIssue(
    INTERRUPTED,
    'The server stopped while this import ran; nothing was imported. Upload the file again.',
  );

/** The only problem of a job that found another import of its dataset writing (the file can be sent again). */
export const datasetBusyIssue = () =>
  fileIssue(
    DATASET_BUSY,
    'Another import of this dataset was being written; nothing was imported. Upload the file again when it has finished.',
  );

/** The only problem of a job a maintainer stopped (POST /api/imports/:id/cancel). */
export const cancelledIssue = () =>
  fileIssue(CANCELLED, 'The import was cancelled; nothing was imported. Upload the file again to retry.');

/** The problem of a job that failed for a reason other than its rows (a bug, a disk error), by phase. */
export const failedIssue = (phase: 'reading' | 'writing') =>
  phase === 'reading'
    ? fileIssue('read-failed', 'The file could not be read')
    : fileIssue('write-failed', 'Writing failed; nothing was imported');

/**
 * Where uploads wait for their job (job.ts): a folder next to the database file (same disk; removed with a
 * test's database folder). A starting server empties it (reconcileImports): every job of a dead process is over.
 */
export const uploadsDir = (repos: Pick<Repositories, 'db'>) => `${repos.db.name}.uploads`;

/**
 * Deletes the hidden rows of an import that ended without its commit, a slice at a time (they were never
 * visible); the import's flag is cleared with the last slice. Returns how many items were deleted.
 */
export function deleteHiddenRows(repos: Pick<Repositories, 'imports'>, id: number): number {
  let deleted = 0;
  for (let n = -1; n !== 0; deleted += n) {
    yieldWriteTurn();
    n = repos.imports.deleteHiddenRows(id, WRITE_SLICE);
  }
  return deleted;
}

/**
 * Server start: the import jobs still reading or writing belong to a process that is gone (jobs run in the
 * process that received their file), so they are marked failed, `interrupted`, and take their file again.
 * The items they had written were hidden (never visible) and are deleted here, with those of any import
 * whose clean-up was cut short. Lines to print.
 */
export function reconcileImports(repos: Pick<Repositories, 'imports' | 'db'>): string[] {
  const ids = repos.imports.interruptRunning(interruptedIssue(), new Date().toISOString());
  // The uploads their jobs were reading.
  if (repos.db.name !== ':memory:' && repos.db.name !== '')
    rmSync(uploadsDir(repos), { recursive: true, force: true });
  const lines: string[] = [];
  if (ids.length > 0)
    lines.push(
      `Marked ${ids.length} import${ids.length === 1 ? '' : 's'} interrupted by the last stop as failed (${ids
        .map((id) => `#${id}`)
        .join(', ')}); upload the file again to retry.`,
    );
  for (const id of repos.imports.withHiddenRows()) {
    const n = deleteHiddenRows(repos, id);
    lines.push(`Removed the ${n} hidden item${n === 1 ? '' : 's'} of unfinished import #${id}.`);
  }
  return lines;
}

/** What writing one matched row does: update `existing` with `changes` (none: unchanged). */
interface Plan {
  existing: Item;
  changes: Changes;
}

/**
 * Bulk import: a job is created with its options, then receives its file once. Reading streams the file
 * through the parser, checks every row (recording progress) and stages the checked rows outside the JS
 * heap; a real import then writes its new items set-based in short slices that no reader sees, and makes
 * them visible in one final transaction that also updates the existing items row by row — all or nothing.
 */
export function createImportService(
  repos: Repositories,
  { hook }: { hook?: (step: Parameters<ImportHook>[0]) => void } = {},
) {
  const now = () => new Date().toISOString();

  function job(id: number): ImportJob {
    const j = repos.imports.get(id);
    if (!j) throw notFound('Import');
    return j;
  }

  function fail(id: number, from: 'reading' | 'writing', issue: ImportIssue, attempt: number | null = null) {
    repos.imports.finish(
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

  /** Plans a staged row that names an existing item against that item as it is. */
  function plan(match: StagedMatch, status: ImportJob['status']): Plan {
    const existing = repos.items.get(match.itemId)!;
    const changes = diff(existing, match.row.fields);
    if (existing.status !== status) changes.status = [existing.status, status];
    return { existing, changes };
  }

  /** What a real import would do, for a dry run. */
  function count(j: ImportJob, stage: ImportStage): Pick<ImportOutcome, 'created' | 'updated' | 'unchanged'> {
    const created = stage.match(j.datasetId);
    let updated = 0;
    let unchanged = 0;
    for (const m of stage.matches()) {
      if (Object.keys(plan(m, j.status).changes).length > 0) updated++;
      else unchanged++;
    }
    return { created, updated, unchanged };
  }

  /**
   * Writes the new items of the staged rows — with their `create` revisions and provenance, set-based —
   * in slices of WRITE_SLICE rows, each its own short write transaction that lets announced writes go first
   * (db/write-turns.ts). Each slice marks the import's rows hidden (and stops if this attempt was interrupted):
   * nobody sees them until the final transaction.
   * Returns how many items were created.
   */
  function writeNew(
    user: User,
    j: ImportJob,
    attempt: number,
    stage: ImportStage,
    stopping: () => boolean,
    at: string,
  ) {
    const o = { datasetId: j.datasetId, status: j.status, authorId: user.id, at };
    let created = 0;
    for (let after = 0; ;) {
      if (stopping()) throw new ImportCancelled();
      yieldWriteTurn();
      const slice = repos.transaction(() => {
        if (!repos.imports.hide(j.id, attempt)) throw new JobInterrupted();
        return stage.createNewSlice(after, WRITE_SLICE, o);
      });
      if (slice.last === null) return created;
      created += slice.created;
      after = slice.last;
    }
  }

  /**
   * The final transaction's work: each staged row naming an existing item is planned against that item as
   * it is now and written with its revision and provenance, and let go before the next.
   */
  function updateExisting(
    user: User,
    j: ImportJob,
    stage: ImportStage,
    stopping: () => boolean,
    at: string,
  ): Pick<ImportOutcome, 'updated' | 'unchanged'> {
    let updated = 0;
    let unchanged = 0;
    let seen = 0;
    for (const m of stage.matches()) {
      if (++seen % CANCEL_CHECK_ROWS === 0 && stopping()) throw new ImportCancelled();
      const { existing, changes } = plan(m, j.status);
      if (Object.keys(changes).length === 0) {
        repos.imports.addProvenance(j.id, existing.id, m.row.row, 'unchanged');
        unchanged++;
        continue;
      }
      const statusChanged = existing.status !== j.status;
      const ok = repos.items.update(existing.id, existing.version, {
        ...m.row.fields,
        ...(statusChanged ? { status: j.status, submittedAt: at } : {}),
        updatedAt: at,
      });
      if (!ok) throw new Error(`item ${existing.id} changed during the import`);
      const snapshot = repos.items.get(existing.id)!;
      repos.items.insertRevision({
        itemId: existing.id,
        version: snapshot.version,
        userId: user.id,
        action: 'update',
        changes,
        snapshot,
        createdAt: at,
      });
      repos.imports.addProvenance(j.id, existing.id, m.row.row, 'updated');
      updated++;
    }
    return { updated, unchanged };
  }

  return {
    presets: () => importPresets,

    create(user: User, input: CreateImportInput): ImportJob {
      if (!repos.datasets.exists(input.datasetId)) {
        throw new AppError(400, 'invalid-input', 'Invalid body', {
          issues: [{ path: 'datasetId', code: 'unknown-dataset', message: `No dataset ${input.datasetId}` }],
        });
      }
      return repos.imports.create({
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

    get: (id: number): ImportJob => job(id),

    list: (datasetId?: number): ImportJob[] => repos.imports.list(datasetId),

    /**
     * Takes the job's file (the upload is starting): moves the job to reading, or refuses a file too large
     * (413) or a job that already has its file (409). The check runs after, on a job thread (see job.ts).
     */
    claim(id: number, bytesTotal: number | null): ImportJob {
      const j = job(id);
      if (bytesTotal !== null && bytesTotal > MAX_IMPORT_BYTES) {
        throw new AppError(
          413,
          'payload-too-large',
          `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
        );
      }
      if (!repos.imports.start(id, bytesTotal)) {
        throw conflict('import-started', 'This import already received its file; start a new import', {
          state: j.state,
        });
      }
      return job(id);
    },

    /** Ends a claimed job whose file never arrived whole (too large, or the upload broke off). */
    refuseFile: (id: number, issue: ImportIssue): ImportJob => fail(id, 'reading', issue),

    /** Ends attempt `attempt` of a running job as failed with `issue` (its job thread stopped), writing nothing. */
    fail: (id: number, from: 'reading' | 'writing', issue: ImportIssue, attempt: number): ImportJob =>
      fail(id, from, issue, attempt),

    /**
     * Attempt `attempt` of a claimed job: reads the file from `source` and checks every row; unless it is a dry run
     * and if nothing is wrong, writes the new items in hidden slices and makes them visible, with the updates
     * of existing items, in one final transaction. Runs on a job thread (tasks.ts). Stops between batches of
     * rows when `cancelRequested` says so or a maintainer asked through the job's row, leaving nothing.
     * Returns the finished job (state checked, imported or failed).
     */
    async check(
      user: User,
      id: number,
      attempt: number,
      source: AsyncIterable<Uint8Array | string>,
      cancelRequested: () => boolean = () => false,
    ) {
      const j = job(id);
      // Every change below holds only while the job's row still names this attempt.
      if (j.state !== 'reading' || repos.imports.attemptOf(id) !== attempt) return j;
      const options = createImportSchema.parse({
        ...(repos.imports.options(id) as object),
        datasetId: j.datasetId,
        format: j.format,
      });
      const { mapping, strictColumns } = resolveMapping(options);
      importMappingSchema.parse(mapping);
      const mapper = new RowMapper(mapping, (t, n) => repos.taxonomies.hasNode(t, n), strictColumns, {
        file: j.fileName,
      });
      hook?.('reading');

      const errors: ImportIssue[] = [];
      let errorCount = 0;
      const report = (issue: ImportIssue) => {
        errorCount++;
        if (errors.length < MAX_REPORTED_ISSUES) errors.push(issue);
      };
      const stage = repos.imports.stage(id);
      // Rows and problems wait here in file order until the next batch is staged, which finds the
      // duplicate ids: the report lists every problem in file order.
      let pending: (StagedRow | ImportIssue)[] = [];
      let pendingRows = 0;
      const stopping = () => cancelRequested() || repos.imports.cancelRequested(id);
      const flush = () => {
        if (stopping()) throw new ImportCancelled();
        const batch = pending;
        pending = [];
        pendingRows = 0;
        const rows = batch.filter((x): x is StagedRow => 'uid' in x);
        const duplicates = new Map(stage.put(rows).map((d) => [d.row, d.first]));
        for (const x of batch) {
          if (!('uid' in x)) {
            report(x);
            continue;
          }
          const first = duplicates.get(x.row);
          if (first === undefined) continue;
          report({
            row: x.row,
            line: x.line,
            column: null,
            field: 'externalId',
            code: 'duplicate-id',
            message: `The id ${JSON.stringify(x.externalId!.slice(0, 60))} was already used in row ${first}`,
          });
        }
      };
      let processed = 0;
      const due = progressGate();
      const handler: RowHandler = {
        header(columns) {
          const issues = mapper.checkHeader(columns);
          issues.forEach(report);
          return issues.length === 0;
        },
        row(record, row, line) {
          processed = row;
          const result = mapper.mapRow(record, row, line);
          if (!result.ok) {
            pending.push(...result.issues);
            return;
          }
          const { fields, externalId } = result.value;
          pending.push({ row, line, externalId, uid: newItemUid(fields.language), fields });
          if (++pendingRows >= STAGE_BATCH) flush();
        },
        issue(issue) {
          if (issue.row !== null) processed = issue.row;
          pending.push(issue);
        },
      };
      const text = decodeUtf8(source, MAX_IMPORT_BYTES, (bytesRead) => {
        if (due()) repos.imports.progress(id, bytesRead, processed, attempt);
      });
      // Every state change below holds only while the job is where this attempt left it: a server start that
      // found it running (another process's start while this one reads) has marked it interrupted, and then
      // this attempt stops, writing nothing.
      const outcome = (o: Omit<ImportOutcome, 'errorCount' | 'errors' | 'finishedAt'>): ImportOutcome => ({
        ...o,
        errorCount,
        errors,
        finishedAt: now(),
      });
      const finish = (
        from: 'reading' | 'writing',
        o: Omit<ImportOutcome, 'errorCount' | 'errors' | 'finishedAt'>,
      ) => {
        repos.imports.finish(id, from, outcome(o), attempt);
        return job(id);
      };

      const cancelledOutcome = () => {
        errors.length = 0;
        errorCount = 0;
        report(cancelledIssue());
        return { state: 'failed' as const, rowsTotal: null, created: 0, updated: 0, unchanged: 0 };
      };

      let rowsTotal: number | null = null;
      try {
        try {
          const read = { csv: readCsv, jsonl: readJsonl, json: readJson }[j.format];
          rowsTotal = (await read(text, handler)).rows;
          flush();
        } catch (e) {
          if (e instanceof ImportCancelled) return finish('reading', cancelledOutcome());
          flush();
          if (!(e instanceof ImportFileError)) {
            report(failedIssue('reading'));
            finish('reading', { state: 'failed', rowsTotal, created: 0, updated: 0, unchanged: 0 });
            throw e;
          }
          report(e.issue);
        }
        if (errorCount > 0)
          return finish('reading', { state: 'failed', rowsTotal, created: 0, updated: 0, unchanged: 0 });

        if (j.dryRun) return finish('reading', { state: 'checked', rowsTotal, ...count(j, stage) });

        if (stopping()) return finish('reading', cancelledOutcome());
        if (!repos.imports.writing(id, rowsTotal ?? stage.size(), attempt)) {
          // Marked interrupted by another process's start (and maybe taken again), or another import of
          // the dataset is writing.
          if (job(id).state !== 'reading' || repos.imports.attemptOf(id) !== attempt) return job(id);
          errors.length = 0;
          errorCount = 0;
          report(datasetBusyIssue());
          return finish('reading', { state: 'failed', rowsTotal, created: 0, updated: 0, unchanged: 0 });
        }
        const at = now();
        try {
          stage.match(j.datasetId);
          const created = writeNew(user, j, attempt, stage, stopping, at);
          hook?.('written');
          // The final transaction: the updates of existing items, and the new items made visible with the
          // job's outcome — together, or none of it.
          repos.transaction(() => {
            if (stopping()) throw new ImportCancelled();
            const done = updateExisting(user, j, stage, stopping, at);
            repos.imports.reveal(id);
            const o = outcome({ state: 'imported', rowsTotal, created, ...done });
            if (!repos.imports.finish(id, 'writing', o, attempt)) throw new JobInterrupted();
          });
        } catch (e) {
          // Its hidden rows go first, so that a job shown as ended has none left; a start after a crash
          // in between deletes them (reconcileImports: the job is still writing then).
          deleteHiddenRows(repos, id);
          if (e instanceof JobInterrupted) return job(id);
          if (e instanceof ImportCancelled) return finish('writing', cancelledOutcome());
          report(failedIssue('writing'));
          finish('writing', { state: 'failed', rowsTotal, created: 0, updated: 0, unchanged: 0 });
          throw e;
        }
      } finally {
        stage.drop();
      }
      return job(id);
    },

    /** Asks a running job to stop (409 import-not-running if it is not reading or writing). */
    cancel(id: number): ImportJob {
      const j = job(id);
      if (!repos.imports.requestCancel(id))
        throw conflict('import-not-running', 'This import is not running', { state: j.state });
      return job(id);
    },

    provenance: (itemId: number) => repos.imports.provenanceOf(itemId),
  };
}
export type ImportService = ReturnType<typeof createImportService>;

/** Thrown inside a write transaction to roll it back when the job was marked interrupted meanwhile. */
class JobInterrupted extends Error {}

/** Thrown between batches when a maintainer asked the job to stop (inside the write: rolls it back). */
class ImportCancelled extends Error {}
