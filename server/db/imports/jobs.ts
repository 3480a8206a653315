import type { ImportIssue, ImportJob, ImportPresetName, ImportState } from '../../../schema/import.ts';
import type { Db } from '../connection.ts';

/** An imports row as both engines read it (PostgreSQL: dry_run as 0/1, json columns as their text). */
export interface ImportRow {
  id: number;
  dataset_id: number;
  user_id: number;
  file_name: string;
  format: ImportJob['format'];
  options: string;
  dry_run: number;
  item_status: ImportJob['status'];
  state: ImportState;
  bytes_total: number | null;
  bytes_read: number;
  rows_total: number | null;
  rows_processed: number;
  error_count: number;
  errors: string;
  created: number;
  updated: number;
  unchanged: number;
  created_at: string;
  finished_at: string | null;
}

export const toJob = (r: ImportRow): ImportJob => ({
  id: r.id,
  datasetId: r.dataset_id,
  userId: r.user_id,
  fileName: r.file_name,
  format: r.format,
  dryRun: r.dry_run === 1,
  status: r.item_status,
  preset: (JSON.parse(r.options) as { preset?: ImportPresetName }).preset ?? null,
  state: r.state,
  bytesTotal: r.bytes_total,
  bytesRead: r.bytes_read,
  rowsTotal: r.rows_total,
  rowsProcessed: r.rows_processed,
  errorCount: r.error_count,
  errors: JSON.parse(r.errors) as ImportIssue[],
  created: r.created,
  updated: r.updated,
  unchanged: r.unchanged,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** The code of the issue a job gets when its process died while it ran; such a job takes its file again. */
export const INTERRUPTED = 'interrupted';
/** The code of the issue a job gets when a maintainer stopped it; such a job takes its file again too. */
export const CANCELLED = 'cancelled';
/** The code of the issue a job gets when another import of its dataset was writing; it takes its file again. */
export const DATASET_BUSY = 'dataset-busy';

export interface NewImport {
  datasetId: number;
  userId: number;
  fileName: string;
  format: ImportJob['format'];
  /** The options as given (preset, mapping, defaults), kept for the record. */
  options: unknown;
  dryRun: boolean;
  status: ImportJob['status'];
  createdAt: string;
}

export interface ImportOutcome {
  state: Extract<ImportState, 'checked' | 'imported' | 'failed'>;
  rowsTotal: number | null;
  errorCount: number;
  errors: ImportIssue[];
  created: number;
  updated: number;
  unchanged: number;
  finishedAt: string;
}

/**
 * Import jobs: created waiting, started on their file (again after an interruption), their progress, the
 * move to writing, a cancel request, and their outcome.
 */
export function jobQueries(db: Db) {
  const insert = db.prepare(
    `INSERT INTO imports (dataset_id, user_id, file_name, format, options, dry_run, item_status, state, created_at)
     VALUES (@datasetId, @userId, @fileName, @format, @options, @dryRun, @status, 'waiting', @createdAt)`,
  );
  const byId = db.prepare<[number], ImportRow>('SELECT * FROM imports WHERE id = ?');
  const all = db.prepare<[], ImportRow>('SELECT * FROM imports ORDER BY id DESC LIMIT 100');
  const ofDataset = db.prepare<[number], ImportRow>(
    'SELECT * FROM imports WHERE dataset_id = ? ORDER BY id DESC LIMIT 100',
  );
  // A job takes its file once; a job failed because its process died (first issue `interrupted`), because
  // it was cancelled or because another import of its dataset was writing takes it again, from nothing.
  const start = db.prepare(
    `UPDATE imports SET state = 'reading', attempt = attempt + 1, bytes_total = @bytesTotal, bytes_read = 0, rows_total = NULL,
       rows_processed = 0, error_count = 0, errors = '[]', created = 0, updated = 0, unchanged = 0,
       finished_at = NULL, cancel_requested = 0, owner = @owner
     WHERE id = @id AND (state = 'waiting'
       OR (state = 'failed' AND errors ->> '$[0].code' IN (@interrupted, @cancelled, @busy)))`,
  );
  const received = db.prepare(
    `UPDATE imports SET bytes_total = @bytesTotal WHERE id = @id AND state = 'reading'`,
  );
  const requestCancel = db.prepare(
    `UPDATE imports SET cancel_requested = 1 WHERE id = ? AND state IN ('reading', 'writing')`,
  );
  const cancelRequested = db
    .prepare<[number], number>('SELECT cancel_requested FROM imports WHERE id = ?')
    .pluck();
  const progress = db.prepare(
    `UPDATE imports SET bytes_read = @bytesRead, rows_processed = @rowsProcessed
     WHERE id = @id AND state = 'reading' AND (@attempt IS NULL OR attempt = @attempt)`,
  );
  // One import of a dataset writes at a time, and not while another one's hidden rows are still there.
  const writing = db.prepare(
    `UPDATE imports SET state = 'writing', rows_total = @rowsTotal, rows_processed = @rowsTotal
     WHERE id = @id AND state = 'reading' AND rows_hidden = 0 AND (@attempt IS NULL OR attempt = @attempt) AND NOT EXISTS (SELECT 1 FROM imports o
       WHERE o.dataset_id = imports.dataset_id AND o.id <> imports.id AND (o.state = 'writing' OR o.rows_hidden = 1))`,
  );
  const attemptOf = db.prepare<[number], number>('SELECT attempt FROM imports WHERE id = ?').pluck();
  const finish = db.prepare(
    `UPDATE imports SET state = @state, rows_total = @rowsTotal, error_count = @errorCount, errors = @errors,
       created = @created, updated = @updated, unchanged = @unchanged, finished_at = @finishedAt,
       rows_processed = coalesce(@rowsTotal, rows_processed)
     WHERE id = @id AND state = @from AND (@attempt IS NULL OR attempt = @attempt)`,
  );
  // Only jobs whose owner is dead (not seen since @since, or gone) or unknown (rows from before migration 024).
  const interrupt = db.prepare<{ errors: string; finishedAt: string; since: string | null }, { id: number }>(
    `UPDATE imports SET state = 'failed', error_count = 1, errors = @errors, finished_at = @finishedAt
     WHERE state IN ('reading', 'writing')
       AND (@since IS NULL
         OR NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = imports.owner AND i.seen_at >= @since))
     RETURNING id`,
  );

  return {
    create: (job: NewImport): ImportJob => {
      const id = Number(
        insert.run({ ...job, options: JSON.stringify(job.options), dryRun: job.dryRun ? 1 : 0 })
          .lastInsertRowid,
      );
      return toJob(byId.get(id)!);
    },
    get: (id: number): ImportJob | undefined => {
      const r = byId.get(id);
      return r && toJob(r);
    },
    /** The stored options of a job (preset, mapping, defaults) as given. */
    options: (id: number): unknown => {
      const r = byId.get(id);
      return r && (JSON.parse(r.options) as unknown);
    },
    list: (datasetId?: number): ImportJob[] =>
      (datasetId === undefined ? all.all() : ofDataset.all(datasetId)).map(toJob),
    /**
     * Moves a waiting job, or one interrupted by the death of its process, to reading (counts and report
     * cleared), owned by app instance `owner` (migration 024); false if the job already received a file otherwise.
     */
    start: (id: number, bytesTotal: number | null, owner: string | null = null): boolean =>
      start.run({ id, bytesTotal, owner, interrupted: INTERRUPTED, cancelled: CANCELLED, busy: DATASET_BUSY })
        .changes === 1,
    /** Records the size of the file a reading job received (its upload may not have said). */
    received: (id: number, bytesTotal: number): void => {
      received.run({ id, bytesTotal });
    },
    /** Asks a reading or writing job to stop; false if it is not running. */
    requestCancel: (id: number): boolean => requestCancel.run(id).changes === 1,
    /** Whether a maintainer asked the job to stop. */
    cancelRequested: (id: number): boolean => cancelRequested.get(id) === 1,
    /** The job's attempt (migrations 016, 020): the number a running check passes to what follows. */
    attemptOf: (id: number): number => attemptOf.get(id) ?? 0,
    /** Records how far attempt `attempt` (null: whichever) of a reading job got. */
    progress: (id: number, bytesRead: number, rowsProcessed: number, attempt: number | null = null): void => {
      progress.run({ id, bytesRead, rowsProcessed, attempt });
    },
    /**
     * Moves a reading job (of attempt `attempt`) to writing; false if it is no longer reading or no longer that attempt
     * (it was marked interrupted, and maybe taken again), or if another import of its dataset is writing or
     * something still has hidden rows (the job stays reading).
     */
    writing: (id: number, rowsTotal: number, attempt: number | null = null): boolean =>
      writing.run({ id, rowsTotal, attempt }).changes === 1,
    /**
     * Records the outcome of a job that is still in state `from` (and in attempt `attempt`, unless null); false if it
     * is not (marked interrupted, or taken again).
     */
    finish: (
      id: number,
      from: 'reading' | 'writing',
      o: ImportOutcome,
      attempt: number | null = null,
    ): boolean => finish.run({ id, from, attempt, ...o, errors: JSON.stringify(o.errors) }).changes === 1,
    /**
     * Marks every job still reading or writing whose owner is dead — not seen since `since` (ISO time), gone, or
     * unknown — as failed with `issue` (its only problem): no process can be running them any more. A live
     * instance's jobs are left alone; without `since`, every running job. The ids of those jobs.
     */
    interruptRunning: (issue: ImportIssue, finishedAt: string, since: string | null = null): number[] =>
      interrupt.all({ errors: JSON.stringify([issue]), finishedAt, since }).map((r) => r.id),
  };
}
