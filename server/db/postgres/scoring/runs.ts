import type { CollectionState, RunStatus } from '../../../../schema/scoring.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import { type CollectionCounts, type runQueries, type RunRow, toRun } from '../../scoring/runs.ts';
import type { PgDatabase } from '../database.ts';

// The four progress counts in one pass over the run's responses (SQLite runs four subqueries on its index).
const RUN_SELECT = `SELECT r.*, m.name AS model_name, rel.version AS release_version, c.responses, c.auto_scored,
    c.correct, c.to_rate
  FROM runs r JOIN models m ON m.id = r.model_id JOIN releases rel ON rel.id = r.release_id
  CROSS JOIN LATERAL (SELECT count(*) AS responses, count(*) FILTER (WHERE x.scoring = 'auto') AS auto_scored,
      count(*) FILTER (WHERE x.correct) AS correct, count(*) FILTER (WHERE x.scoring = 'rating') AS to_rate
    FROM responses x WHERE x.run_id = r.id) c`;

const countParams = (c: CollectionCounts) => [
  c.total,
  c.asked,
  c.answered,
  c.failed,
  c.skipped,
  c.requests,
  JSON.stringify(c.failures),
];

/** Model runs on a release and their collections (a job per run; its state in the run's row). */
export function pgRunQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof runQueries>> {
  return {
    // Parameter types from the contract (SQLite's runQueries).
    insertRun: async (r) => {
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO runs (model_id, release_id, prompt_template, temperature, max_tokens, status, item_count,
           created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $8) RETURNING id`,
        [
          r.modelId,
          r.releaseId,
          r.promptTemplate,
          r.temperature,
          r.maxTokens,
          r.itemCount,
          r.createdBy,
          r.createdAt,
        ],
      );
      return row.id;
    },
    getRun: async (id: number) => {
      const [r] = await db.query<RunRow>(`${RUN_SELECT} WHERE r.id = $1`, [id]);
      return r && toRun(r);
    },
    listRuns: async (filter: { release?: number; model?: number }) =>
      (
        await db.query<RunRow>(
          `${RUN_SELECT} WHERE ($1::bigint IS NULL OR r.release_id = $1) AND ($2::bigint IS NULL OR r.model_id = $2)
           ORDER BY r.id DESC LIMIT 500`,
          [filter.release ?? null, filter.model ?? null],
        )
      ).map(toRun),
    setRunStatus: async (id: number, status: RunStatus, error: string | null, at: string) => {
      await db.execute('UPDATE runs SET status = $1, error = $2, updated_at = $3 WHERE id = $4', [
        status,
        error,
        at,
        id,
      ]);
    },

    // --- collections (a job per run; state in the run's row) ---
    /**
     * Marks the run as collecting with a new, empty collection, unless it already collects (false then). A
     * conditional UPDATE: of two instances claiming at once, the second waits for the first's row lock, sees
     * the run collecting when its condition is checked again, and changes nothing.
     */
    claimCollection: async (id: number, at: string, owner: string | null = null) =>
      (await db.execute(
        `UPDATE runs SET status = 'collecting', error = NULL, collect_state = 'running', collect_total = 0,
           collect_asked = 0, collect_answered = 0, collect_failed = 0, collect_skipped = 0, collect_requests = 0,
           collect_failures = '[]', collect_started_at = $2, collect_finished_at = NULL, collect_cancel = false,
           collect_owner = $3, updated_at = $2
         WHERE id = $1 AND status <> 'collecting'`,
        [id, at, owner],
      )) === 1,
    /** Writes a running collection's counts (the job calls it throttled). */
    collectionProgress: async (id: number, c: CollectionCounts) => {
      await db.execute(
        `UPDATE runs SET collect_total = $2, collect_asked = $3, collect_answered = $4, collect_failed = $5,
           collect_skipped = $6, collect_requests = $7, collect_failures = $8
         WHERE id = $1 AND collect_state = 'running'`,
        [id, ...countParams(c)],
      );
    },
    /** Ends the collection: its last counts, its state, and the run's status and error. */
    finishCollection: async (
      id: number,
      c: CollectionCounts,
      end: { state: CollectionState; status: RunStatus; error: string | null; at: string },
    ) => {
      await db.execute(
        `UPDATE runs SET collect_total = $2, collect_asked = $3, collect_answered = $4, collect_failed = $5,
           collect_skipped = $6, collect_requests = $7, collect_failures = $8, collect_state = $9,
           collect_finished_at = $12, collect_cancel = false, status = $10, error = $11, updated_at = $12
         WHERE id = $1`,
        [id, ...countParams(c), end.state, end.status, end.error, end.at],
      );
    },
    /** Asks the run's running collection to stop (false if none runs). */
    requestCollectionCancel: async (id: number) =>
      (await db.execute(`UPDATE runs SET collect_cancel = true WHERE id = $1 AND collect_state = 'running'`, [
        id,
      ])) === 1,
    collectionCancelRequested: async (id: number) =>
      (await db.query<{ collect_cancel: boolean }>('SELECT collect_cancel FROM runs WHERE id = $1', [id]))[0]
        ?.collect_cancel === true,
    /**
     * Every run left collecting by a stopped process: its collection becomes `interrupted` and the run
     * `pending` again (`complete` if every item has its response). Returns the run ids, in id order.
     */
    interruptCollections: async (at: string, error: string, since: string | null = null) =>
      (
        await db.query<{ id: number }>(
          `WITH done AS (
             UPDATE runs SET collect_state = 'interrupted', collect_finished_at = $1, collect_cancel = false,
               status = CASE WHEN (SELECT count(*) FROM responses x WHERE x.run_id = runs.id) >= item_count
                 THEN 'complete' ELSE 'pending' END,
               error = CASE WHEN (SELECT count(*) FROM responses x WHERE x.run_id = runs.id) >= item_count
                 THEN NULL ELSE $2 END,
               updated_at = $1
             WHERE status = 'collecting'
               AND ($3::timestamptz IS NULL
                 OR NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = runs.collect_owner AND i.seen_at >= $3))
             RETURNING id)
           SELECT id FROM done ORDER BY id`,
          [at, error, since],
        )
      ).map((r) => r.id),
  };
}
