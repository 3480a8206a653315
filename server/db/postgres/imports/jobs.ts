import type { AsyncRepository } from '../../async-repository.ts';
import {
  CANCELLED,
  DATASET_BUSY,
  type ImportRow,
  INTERRUPTED,
  type jobQueries,
  toJob,
} from '../../imports/jobs.ts';
import type { PgDatabase } from '../database.ts';
import { violatesUnique } from '../unique-violation.ts';

// SQLite's row and mapper (server/db/imports/jobs.ts): json columns read as their text, dry_run as 0/1.
const COLUMNS = `id, dataset_id, user_id, file_name, format, options::text AS options, dry_run::int AS dry_run,
  item_status, state, bytes_total, bytes_read, rows_total, rows_processed, error_count, errors::text AS errors,
  created, updated, unchanged, created_at, finished_at`;

/**
 * Import jobs on PostgreSQL (server/db/imports/jobs.ts). Every change is one conditional UPDATE, as on SQLite;
 * the one rule SQLite's single writer kept by reading first — one import of a dataset writing at a time, and
 * none while another's hidden rows are left — is the partial unique index imports_one_writer (30-imports.sql).
 */
export function pgJobQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof jobQueries>> {
  const byId = async (id: number) =>
    (await db.query<ImportRow>(`SELECT ${COLUMNS} FROM imports WHERE id = $1`, [id]))[0];

  return {
    create: async (job) => {
      const [row] = await db.query<ImportRow>(
        `INSERT INTO imports (dataset_id, user_id, file_name, format, options, dry_run, item_status, state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting', $8) RETURNING ${COLUMNS}`,
        [
          job.datasetId,
          job.userId,
          job.fileName,
          job.format,
          JSON.stringify(job.options),
          job.dryRun,
          job.status,
          job.createdAt,
        ],
      );
      return toJob(row);
    },
    get: async (id) => {
      const r = await byId(id);
      return r && toJob(r);
    },
    options: async (id) => {
      const r = await byId(id);
      return r && (JSON.parse(r.options) as unknown);
    },
    list: async (datasetId) =>
      (datasetId === undefined
        ? await db.query<ImportRow>(`SELECT ${COLUMNS} FROM imports ORDER BY id DESC LIMIT 100`)
        : await db.query<ImportRow>(
            `SELECT ${COLUMNS} FROM imports WHERE dataset_id = $1 ORDER BY id DESC LIMIT 100`,
            [datasetId],
          )
      ).map(toJob),
    // A job takes its file once; a job failed because its process died (first issue `interrupted`), because it was
    // cancelled or because another import of its dataset was writing takes it again, from nothing.
    start: async (id, bytesTotal, owner = null) =>
      (await db.execute(
        `UPDATE imports SET state = 'reading', attempt = attempt + 1, bytes_total = $2, bytes_read = 0,
           rows_total = NULL, rows_processed = 0, error_count = 0, errors = '[]', created = 0, updated = 0,
           unchanged = 0, finished_at = NULL, cancel_requested = false, owner = $6
         WHERE id = $1 AND (state = 'waiting'
           OR (state = 'failed' AND errors -> 0 ->> 'code' IN ($3, $4, $5)))`,
        [id, bytesTotal, INTERRUPTED, CANCELLED, DATASET_BUSY, owner],
      )) === 1,
    received: async (id, bytesTotal) => {
      await db.execute(`UPDATE imports SET bytes_total = $2 WHERE id = $1 AND state = 'reading'`, [
        id,
        bytesTotal,
      ]);
    },
    requestCancel: async (id) =>
      (await db.execute(
        `UPDATE imports SET cancel_requested = true WHERE id = $1 AND state IN ('reading', 'writing')`,
        [id],
      )) === 1,
    cancelRequested: async (id) =>
      (await db.query<{ c: boolean }>('SELECT cancel_requested AS c FROM imports WHERE id = $1', [id]))[0]
        ?.c === true,
    attemptOf: async (id) =>
      (await db.query<{ attempt: number }>('SELECT attempt FROM imports WHERE id = $1', [id]))[0]?.attempt ??
      0,
    progress: async (id, bytesRead, rowsProcessed, attempt = null) => {
      await db.execute(
        `UPDATE imports SET bytes_read = $2, rows_processed = $3
         WHERE id = $1 AND state = 'reading' AND ($4::integer IS NULL OR attempt = $4)`,
        [id, bytesRead, rowsProcessed, attempt],
      );
    },
    // The NOT EXISTS answers at once in the usual case; when two instances move two imports of one dataset at the
    // same moment, both pass it and the unique index lets one through: the other waits for its commit, then fails
    // (in a savepoint when inside a transaction, so the caller's transaction goes on) and stays reading.
    writing: async (id, rowsTotal, attempt = null) => {
      try {
        return (
          (await db.transaction(() =>
            db.execute(
              `UPDATE imports SET state = 'writing', rows_total = $2, rows_processed = $2
               WHERE id = $1 AND state = 'reading' AND NOT rows_hidden AND ($3::integer IS NULL OR attempt = $3)
                 AND NOT EXISTS (SELECT 1 FROM imports o WHERE o.dataset_id = imports.dataset_id
                   AND o.id <> imports.id AND (o.state = 'writing' OR o.rows_hidden))`,
              [id, rowsTotal, attempt],
            ),
          )) === 1
        );
      } catch (error) {
        if (violatesUnique(error, 'imports_one_writer')) return false;
        throw error;
      }
    },
    finish: async (id, from, o, attempt = null) =>
      (await db.execute(
        `UPDATE imports SET state = $3, rows_total = $5, error_count = $6, errors = $7, created = $8,
           updated = $9, unchanged = $10, finished_at = $11, rows_processed = coalesce($5, rows_processed)
         WHERE id = $1 AND state = $2 AND ($4::integer IS NULL OR attempt = $4)`,
        [
          id,
          from,
          o.state,
          attempt,
          o.rowsTotal,
          o.errorCount,
          JSON.stringify(o.errors),
          o.created,
          o.updated,
          o.unchanged,
          o.finishedAt,
        ],
      )) === 1,
    // One statement: an owner's heartbeat committed before it keeps the job; one committed after it is too late
    // (the job's own conditional updates then find it failed).
    interruptRunning: async (issue, finishedAt, since = null) =>
      (
        await db.query<{ id: number }>(
          `UPDATE imports SET state = 'failed', error_count = 1, errors = $1, finished_at = $2
           WHERE state IN ('reading', 'writing')
             AND ($3::timestamptz IS NULL
                 OR NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = imports.owner AND i.seen_at >= $3))
           RETURNING id`,
          [JSON.stringify([issue]), finishedAt, since],
        )
      )
        .map((r) => r.id)
        .sort((a, b) => a - b),
  };
}
