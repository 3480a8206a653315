import type { ImportIssue, ImportJob, ImportPresetName, ImportState } from '../../schema/import.ts';
import type { Db } from './connection.ts';

interface ImportRow {
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

const toJob = (r: ImportRow): ImportJob => ({
  id: r.id,
  datasetId: r.dataset_id,
  userId: r.user_id,
  fileName: r.file_name,
  format: r.format,
  dryRun: r.dry_run === 1,
  status: r.item_status,
  preset: ((JSON.parse(r.options) as { preset?: ImportPresetName }).preset ??
    null) as ImportPresetName | null,
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

export interface ProvenanceEntry {
  importId: number;
  fileName: string;
  row: number;
  action: 'created' | 'updated' | 'unchanged';
  userId: number;
  userName: string;
  at: string;
}

/** Import jobs and the provenance of imported items. */
export function createImportRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO imports (dataset_id, user_id, file_name, format, options, dry_run, item_status, state, created_at)
     VALUES (@datasetId, @userId, @fileName, @format, @options, @dryRun, @status, 'waiting', @createdAt)`,
  );
  const byId = db.prepare<[number], ImportRow>('SELECT * FROM imports WHERE id = ?');
  const all = db.prepare<[], ImportRow>('SELECT * FROM imports ORDER BY id DESC LIMIT 100');
  const ofDataset = db.prepare<[number], ImportRow>(
    'SELECT * FROM imports WHERE dataset_id = ? ORDER BY id DESC LIMIT 100',
  );
  // A job takes its file once; a job failed because its process died (first issue `interrupted`) takes it
  // again, starting from nothing.
  const start = db.prepare(
    `UPDATE imports SET state = 'reading', bytes_total = @bytesTotal, bytes_read = 0, rows_total = NULL,
       rows_processed = 0, error_count = 0, errors = '[]', created = 0, updated = 0, unchanged = 0,
       finished_at = NULL
     WHERE id = @id AND (state = 'waiting' OR (state = 'failed' AND errors ->> '$[0].code' = @interrupted))`,
  );
  const progress = db.prepare(
    `UPDATE imports SET bytes_read = @bytesRead, rows_processed = @rowsProcessed WHERE id = @id AND state = 'reading'`,
  );
  const writing = db.prepare(
    `UPDATE imports SET state = 'writing', rows_total = @rowsTotal, rows_processed = @rowsTotal
     WHERE id = @id AND state = 'reading'`,
  );
  const finish = db.prepare(
    `UPDATE imports SET state = @state, rows_total = @rowsTotal, error_count = @errorCount, errors = @errors,
       created = @created, updated = @updated, unchanged = @unchanged, finished_at = @finishedAt,
       rows_processed = coalesce(@rowsTotal, rows_processed)
     WHERE id = @id AND state = @from`,
  );
  const interrupt = db.prepare<{ errors: string; finishedAt: string }, { id: number }>(
    `UPDATE imports SET state = 'failed', error_count = 1, errors = @errors, finished_at = @finishedAt
     WHERE state IN ('reading', 'writing') RETURNING id`,
  );
  const externalIds = db.prepare<[number], { id: number; external_id: string }>(
    'SELECT id, external_id FROM items WHERE dataset_id = ? AND external_id IS NOT NULL',
  );
  const addProvenance = db.prepare(
    'INSERT INTO import_items (import_id, item_id, row, action) VALUES (?, ?, ?, ?)',
  );
  const provenance = db.prepare<
    [number],
    {
      import_id: number;
      file_name: string;
      row: number;
      action: ProvenanceEntry['action'];
      user_id: number;
      user_name: string;
      at: string;
    }
  >(
    `SELECT p.import_id, i.file_name, p.row, p.action, i.user_id, u.display_name AS user_name,
       coalesce(i.finished_at, i.created_at) AS at
     FROM import_items p JOIN imports i ON i.id = p.import_id JOIN users u ON u.id = i.user_id
     WHERE p.item_id = ? ORDER BY p.import_id DESC`,
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
     * cleared); false if the job already received a file otherwise.
     */
    start: (id: number, bytesTotal: number | null): boolean =>
      start.run({ id, bytesTotal, interrupted: INTERRUPTED }).changes === 1,
    progress: (id: number, bytesRead: number, rowsProcessed: number): void => {
      progress.run({ id, bytesRead, rowsProcessed });
    },
    /** Moves a reading job to writing; false if it is no longer reading (it was marked interrupted). */
    writing: (id: number, rowsTotal: number): boolean => writing.run({ id, rowsTotal }).changes === 1,
    /** Records the outcome of a job that is still in state `from`; false if it is not (marked interrupted). */
    finish: (id: number, from: 'reading' | 'writing', o: ImportOutcome): boolean =>
      finish.run({ id, from, ...o, errors: JSON.stringify(o.errors) }).changes === 1,
    /**
     * Marks every job still reading or writing as failed with `issue` (its only problem): called when no
     * process can be running them any more. The ids of those jobs.
     */
    interruptRunning: (issue: ImportIssue, finishedAt: string): number[] =>
      interrupt.all({ errors: JSON.stringify([issue]), finishedAt }).map((r) => r.id),
    /** external id → item id for one dataset. */
    externalIds: (datasetId: number): Map<string, number> =>
      new Map(externalIds.all(datasetId).map((r) => [r.external_id, r.id])),
    addProvenance: (
      importId: number,
      itemId: number,
      row: number,
      action: ProvenanceEntry['action'],
    ): void => {
      addProvenance.run(importId, itemId, row, action);
    },
    /** Every import that touched an item, newest first. */
    provenanceOf: (itemId: number): ProvenanceEntry[] =>
      provenance.all(itemId).map((r) => ({
        importId: r.import_id,
        fileName: r.file_name,
        row: r.row,
        action: r.action,
        userId: r.user_id,
        userName: r.user_name,
        at: r.at,
      })),
  };
}
export type ImportRepository = ReturnType<typeof createImportRepository>;
