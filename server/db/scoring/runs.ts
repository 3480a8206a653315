import type { CollectionState, Run, RunCollection, RunStatus } from '../../../schema/scoring.ts';
import type { Db } from '../connection.ts';

export interface RunRow {
  id: number;
  model_id: number;
  model_name: string;
  release_id: number;
  release_version: string;
  prompt_template: string | null;
  temperature: number;
  max_tokens: number;
  status: RunStatus;
  item_count: number;
  error: string | null;
  collect_state: CollectionState | null;
  collect_total: number;
  collect_asked: number;
  collect_answered: number;
  collect_failed: number;
  collect_skipped: number;
  collect_requests: number;
  collect_failures: string;
  collect_started_at: string | null;
  collect_finished_at: string | null;
  created_at: string;
  updated_at: string;
  responses: number;
  auto_scored: number;
  correct: number;
  to_rate: number;
}

export const toRun = (r: RunRow): Run => ({
  id: r.id,
  modelId: r.model_id,
  modelName: r.model_name,
  releaseId: r.release_id,
  releaseVersion: r.release_version,
  promptTemplate: r.prompt_template,
  temperature: r.temperature,
  maxTokens: r.max_tokens,
  status: r.status,
  error: r.error,
  progress: {
    items: r.item_count,
    responses: r.responses,
    autoScored: r.auto_scored,
    correct: r.correct,
    toRate: r.to_rate,
  },
  collection:
    r.collect_state === null
      ? null
      : {
          state: r.collect_state,
          total: r.collect_total,
          asked: r.collect_asked,
          answered: r.collect_answered,
          failed: r.collect_failed,
          skipped: r.collect_skipped,
          requests: r.collect_requests,
          failures: JSON.parse(r.collect_failures) as { id: string; reason: string }[],
          startedAt: r.collect_started_at!,
          finishedAt: r.collect_finished_at,
        },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Counts of a collection under way, written by its job (see migration 014). */
export type CollectionCounts = Omit<RunCollection, 'state' | 'startedAt' | 'finishedAt'>;

/** Model runs on a release and their collections (a job per run; its state in the run's row). */
export function runQueries(db: Db) {
  const RUN_SELECT = `SELECT r.*, m.name AS model_name, rel.version AS release_version,
      (SELECT count(*) FROM responses x WHERE x.run_id = r.id) AS responses,
      (SELECT count(*) FROM responses x WHERE x.run_id = r.id AND x.scoring = 'auto') AS auto_scored,
      (SELECT count(*) FROM responses x WHERE x.run_id = r.id AND x.correct = 1) AS correct,
      (SELECT count(*) FROM responses x WHERE x.run_id = r.id AND x.scoring = 'rating') AS to_rate
    FROM runs r JOIN models m ON m.id = r.model_id JOIN releases rel ON rel.id = r.release_id`;
  const runById = db.prepare<[number], RunRow>(`${RUN_SELECT} WHERE r.id = ?`);
  const runsFiltered = db.prepare<{ release: number | null; model: number | null }, RunRow>(
    `${RUN_SELECT} WHERE (@release IS NULL OR r.release_id = @release) AND (@model IS NULL OR r.model_id = @model)
     ORDER BY r.id DESC LIMIT 500`,
  );

  return {
    insertRun: (r: {
      modelId: number;
      releaseId: number;
      promptTemplate: string | null;
      temperature: number;
      maxTokens: number;
      itemCount: number;
      createdBy: number;
      createdAt: string;
    }): number =>
      Number(
        db
          .prepare(
            `INSERT INTO runs (model_id, release_id, prompt_template, temperature, max_tokens, status, item_count,
               created_by, created_at, updated_at)
             VALUES (@modelId, @releaseId, @promptTemplate, @temperature, @maxTokens, 'pending', @itemCount,
               @createdBy, @createdAt, @createdAt)`,
          )
          .run(r).lastInsertRowid,
      ),
    getRun: (id: number): Run | undefined => {
      const r = runById.get(id);
      return r && toRun(r);
    },
    listRuns: (filter: { release?: number; model?: number }): Run[] =>
      runsFiltered.all({ release: filter.release ?? null, model: filter.model ?? null }).map(toRun),
    setRunStatus: (id: number, status: RunStatus, error: string | null, at: string): void => {
      db.prepare('UPDATE runs SET status = ?, error = ?, updated_at = ? WHERE id = ?').run(
        status,
        error,
        at,
        id,
      );
    },

    // --- collections (a job per run; state in the run's row) ---
    /**
     * Marks the run as collecting with a new, empty collection, unless it already collects (false then):
     * the one statement that keeps a run to one running collection across every server process. `owner`: the app
     * instance running it (migration 024).
     */
    claimCollection: (id: number, at: string, owner: string | null = null): boolean =>
      db
        .prepare(
          `UPDATE runs SET status = 'collecting', error = NULL, collect_state = 'running', collect_total = 0,
             collect_asked = 0, collect_answered = 0, collect_failed = 0, collect_skipped = 0, collect_requests = 0,
             collect_failures = '[]', collect_started_at = @at, collect_finished_at = NULL, collect_cancel = 0,
             collect_owner = @owner, updated_at = @at
           WHERE id = @id AND status <> 'collecting'`,
        )
        .run({ id, at, owner }).changes === 1,
    /** Writes a running collection's counts (one tiny transaction; the job calls it throttled). */
    collectionProgress: (id: number, c: CollectionCounts): void => {
      db.prepare(
        `UPDATE runs SET collect_total = @total, collect_asked = @asked, collect_answered = @answered,
           collect_failed = @failed, collect_skipped = @skipped, collect_requests = @requests,
           collect_failures = @failures
         WHERE id = @id AND collect_state = 'running'`,
      ).run({ id, ...c, failures: JSON.stringify(c.failures) });
    },
    /** Ends the collection: its last counts, its state, and the run's status and error. */
    finishCollection: (
      id: number,
      c: CollectionCounts,
      end: { state: CollectionState; status: RunStatus; error: string | null; at: string },
    ): void => {
      db.prepare(
        `UPDATE runs SET collect_total = @total, collect_asked = @asked, collect_answered = @answered,
           collect_failed = @failed, collect_skipped = @skipped, collect_requests = @requests,
           collect_failures = @failures, collect_state = @state, collect_finished_at = @at, collect_cancel = 0,
           status = @status, error = @error, updated_at = @at
         WHERE id = @id`,
      ).run({ id, ...c, failures: JSON.stringify(c.failures), ...end });
    },
    /** Asks the run's running collection to stop (false if none runs). */
    requestCollectionCancel: (id: number): boolean =>
      db.prepare(`UPDATE runs SET collect_cancel = 1 WHERE id = ? AND collect_state = 'running'`).run(id)
        .changes === 1,
    collectionCancelRequested: (id: number): boolean =>
      db.prepare<[number], number>('SELECT collect_cancel FROM runs WHERE id = ?').pluck().get(id) === 1,
    /**
     * Every run left collecting by a stopped process — its owner not seen since `since` (ISO time), gone, or
     * unknown: its collection becomes `interrupted` and the run `pending` again (`complete` if every item has its
     * response). A live instance's collections are left alone. Returns the run ids.
     */
    interruptCollections: (at: string, error: string, since: string | null = null): number[] =>
      db
        .prepare<{ at: string; error: string; since: string | null }, number>(
          `UPDATE runs SET collect_state = 'interrupted', collect_finished_at = @at, collect_cancel = 0,
             status = CASE WHEN (SELECT count(*) FROM responses x WHERE x.run_id = runs.id) >= item_count
               THEN 'complete' ELSE 'pending' END,
             error = CASE WHEN (SELECT count(*) FROM responses x WHERE x.run_id = runs.id) >= item_count
               THEN NULL ELSE @error END,
             updated_at = @at
           WHERE status = 'collecting'
             AND (@since IS NULL
               OR NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = runs.collect_owner AND i.seen_at >= @since))
           RETURNING id`,
        )
        .pluck()
        .all({ at, error, since }),
  };
}
