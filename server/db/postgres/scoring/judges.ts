import type { JudgeRun, JudgeRunState, Judgment, JudgeSettings } from '../../../../schema/judge.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import {
  type JudgedResponse,
  type JudgeFields,
  type judgeQueries,
  type JudgeRow,
  type JudgeRunCounts,
  type JudgmentFields,
  type ResponseToJudge,
  toJudge,
} from '../../scoring/judges.ts';
import type { PgDatabase } from '../database.ts';

// SQLite's row and mapper (server/db/scoring/judges.ts).
const JUDGE_SELECT = `SELECT g.id, g.name, g.model_id, m.name AS model_name, g.rubric, g.temperature, g.max_tokens,
    g.created_at
  FROM judges g JOIN models m ON m.id = g.model_id`;

const RUN_SELECT = `SELECT j.id, j.judge_id AS "judgeId", g.name AS "judgeName", j.run_id AS "runId",
    m.name AS "modelName", r.release_id AS "releaseId", j.state, j.total, j.asked, j.judged, j.unparseable, j.failed,
    j.skipped, j.resent, j.requests, j.error, j.started_at AS "startedAt", j.finished_at AS "finishedAt",
    j.created_at AS "createdAt"
  FROM judge_runs j JOIN judges g ON g.id = j.judge_id JOIN runs r ON r.id = j.run_id JOIN models m ON m.id = r.model_id`;

const countParams = (c: JudgeRunCounts) => [
  c.total,
  c.asked,
  c.judged,
  c.unparseable,
  c.failed,
  c.skipped,
  c.resent,
  c.requests,
];

/** Judges, their runs over model runs, every judge output, and the per-dataset calibration thresholds. */
export function pgJudgeQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof judgeQueries>> {
  const judgeWhere = async (where: string, value: unknown) => {
    const [r] = await db.query<JudgeRow>(`${JUDGE_SELECT} WHERE ${where}`, [value]);
    return r && toJudge(r);
  };
  return {
    // --- judges ---
    insertJudge: async (j: JudgeFields & { createdBy: number; createdAt: string }) => {
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO judges (name, model_id, rubric, temperature, max_tokens, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [j.name, j.modelId, JSON.stringify(j.rubric), j.temperature, j.maxTokens, j.createdBy, j.createdAt],
      );
      return row.id;
    },
    updateJudge: async (id: number, j: JudgeFields) => {
      await db.execute(
        `UPDATE judges SET name = $1, model_id = $2, rubric = $3, temperature = $4, max_tokens = $5 WHERE id = $6`,
        [j.name, j.modelId, JSON.stringify(j.rubric), j.temperature, j.maxTokens, id],
      );
    },
    getJudge: (id: number) => judgeWhere('g.id = $1', id),
    /** By name without regard to ASCII case, as SQLite's NOCASE column compares (the unique index's key). */
    judgeByName: (name: string) =>
      judgeWhere('lower(g.name COLLATE "C") = lower($1::text COLLATE "C")', name),
    listJudges: async () => (await db.query<JudgeRow>(`${JUDGE_SELECT} ORDER BY g.id`)).map(toJudge),

    // --- judge runs ---
    /**
     * The judge run of this judge over this model run, created pending if there is none: two instances asking
     * at once get the same row (the second INSERT waits for the first and does nothing; the SELECT after it then
     * sees the row). Looked up first, so that asking again draws no id (as on SQLite, ids follow one another).
     */
    ensureJudgeRun: async (r: { judgeId: number; runId: number; createdBy: number; createdAt: string }) => {
      const find = async () =>
        (
          await db.query<{ id: number }>('SELECT id FROM judge_runs WHERE judge_id = $1 AND run_id = $2', [
            r.judgeId,
            r.runId,
          ])
        )[0]?.id;
      const existing = await find();
      if (existing !== undefined) return existing;
      const [created] = await db.query<{ id: number }>(
        `INSERT INTO judge_runs (judge_id, run_id, state, created_by, created_at)
         VALUES ($1, $2, 'pending', $3, $4) ON CONFLICT (judge_id, run_id) DO NOTHING RETURNING id`,
        [r.judgeId, r.runId, r.createdBy, r.createdAt],
      );
      return created?.id ?? (await find());
    },
    getJudgeRun: async (id: number) => (await db.query<JudgeRun>(`${RUN_SELECT} WHERE j.id = $1`, [id]))[0],
    listJudgeRuns: (filter: { judge?: number; run?: number }) =>
      db.query<JudgeRun>(
        `${RUN_SELECT} WHERE ($1::bigint IS NULL OR j.judge_id = $1) AND ($2::bigint IS NULL OR j.run_id = $2)
         ORDER BY j.id DESC LIMIT 500`,
        [filter.judge ?? null, filter.run ?? null],
      ),
    /** Marks the judge run running with fresh counts, unless it runs already (false then), in any process. */
    claimJudgeRun: async (id: number, at: string, owner: string | null = null) =>
      (await db.execute(
        `UPDATE judge_runs SET state = 'running', total = 0, asked = 0, judged = 0, unparseable = 0, failed = 0,
           skipped = 0, resent = 0, requests = 0, error = NULL, stop = NULL, started_at = $2, finished_at = NULL,
           owner = $3
         WHERE id = $1 AND state <> 'running'`,
        [id, at, owner],
      )) === 1,
    judgeRunProgress: async (id: number, c: JudgeRunCounts) => {
      await db.execute(
        `UPDATE judge_runs SET total = $2, asked = $3, judged = $4, unparseable = $5, failed = $6, skipped = $7,
           resent = $8, requests = $9
         WHERE id = $1 AND state = 'running'`,
        [id, ...countParams(c)],
      );
    },
    finishJudgeRun: async (
      id: number,
      c: JudgeRunCounts,
      end: { state: JudgeRunState; error: string | null; at: string },
    ) => {
      await db.execute(
        `UPDATE judge_runs SET total = $2, asked = $3, judged = $4, unparseable = $5, failed = $6, skipped = $7,
           resent = $8, requests = $9, state = $10, error = $11, stop = NULL, finished_at = $12
         WHERE id = $1`,
        [id, ...countParams(c), end.state, end.error, end.at],
      );
    },
    /** Asks a running judge run to stop, for a cancel or a server shutting down (false if it is not running). */
    requestJudgeRunStop: async (id: number, stop: 'cancel' | 'shutdown') =>
      (await db.execute(
        `UPDATE judge_runs SET stop = CASE WHEN stop = 'cancel' THEN stop ELSE $1 END
         WHERE id = $2 AND state = 'running'`,
        [stop, id],
      )) === 1,
    judgeRunStop: async (id: number) =>
      (
        await db.query<{ stop: 'cancel' | 'shutdown' | null }>('SELECT stop FROM judge_runs WHERE id = $1', [
          id,
        ])
      )[0]?.stop ?? null,
    /** Every judge run left running by a stopped process becomes `interrupted`; returns their ids, in id order. */
    interruptJudgeRuns: async (at: string, error: string, since: string | null = null) =>
      (
        await db.query<{ id: number }>(
          `WITH done AS (
             UPDATE judge_runs SET state = 'interrupted', stop = NULL, finished_at = $1, error = $2
             WHERE state = 'running'
               AND ($3::timestamptz IS NULL
                 OR NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = judge_runs.owner AND i.seen_at >= $3))
             RETURNING id)
           SELECT id FROM done ORDER BY id`,
          [at, error, since],
        )
      ).map((r) => r.id),

    // --- judgments ---
    /** The model run's responses to rate (open-ended and safety), by item id, with their output's state. */
    responsesToJudge: (judgeRunId: number, runId: number) =>
      db.query<ResponseToJudge>(
        `SELECT x.id AS "responseId", x.uid, x.response, o.state FROM responses x
         LEFT JOIN judgments o ON o.response_id = x.id AND o.judge_run_id = $1
         WHERE x.run_id = $2 AND x.scoring = 'rating' ORDER BY x.uid`,
        [judgeRunId, runId],
      ),
    /**
     * Records that the request for this response is out (before it is sent); a failed or unanswered row is
     * reused, an answered one kept: the unique (judge run, response) makes a run resumed on any instance keep
     * one row per response. An existing row is updated without an INSERT, which would draw an id for nothing.
     */
    markJudgmentSent: async (j: { judgeRunId: number; responseId: number; prompt: string; at: string }) => {
      await db.execute(
        `WITH resent AS (
           UPDATE judgments SET state = 'sent', prompt = $3, raw_output = NULL, parse_error = NULL, sent_at = $4,
             answered_at = NULL
           WHERE judge_run_id = $1 AND response_id = $2 AND state <> 'answered')
         INSERT INTO judgments (judge_run_id, response_id, state, prompt, sent_at)
         SELECT $1, $2, 'sent', $3, $4
         WHERE NOT EXISTS (SELECT 1 FROM judgments WHERE judge_run_id = $1 AND response_id = $2)
         ON CONFLICT (judge_run_id, response_id) DO UPDATE SET state = 'sent', prompt = excluded.prompt,
           raw_output = NULL, parse_error = NULL, sent_at = excluded.sent_at, answered_at = NULL
         WHERE judgments.state <> 'answered'`,
        [j.judgeRunId, j.responseId, j.prompt, j.at],
      );
    },
    storeJudgment: async (
      judgeRunId: number,
      responseId: number,
      f: JudgmentFields & { requests: number; at: string },
    ) => {
      await db.execute(
        `UPDATE judgments SET state = 'answered', raw_output = $3, parse_error = $4, correctness = $5,
           cultural_alignment = $6, language_quality = $7, safety_outcome = $8, comment = $9,
           requests = requests + $10, answered_at = $11
         WHERE judge_run_id = $1 AND response_id = $2`,
        [
          judgeRunId,
          responseId,
          f.rawOutput,
          f.parseError,
          f.correctness,
          f.culturalAlignment,
          f.languageQuality,
          f.safetyOutcome,
          f.comment,
          f.requests,
          f.at,
        ],
      );
    },
    failJudgment: async (judgeRunId: number, responseId: number, reason: string, requests: number) => {
      await db.execute(
        `UPDATE judgments SET state = 'failed', parse_error = $1, requests = requests + $2
         WHERE judge_run_id = $3 AND response_id = $4`,
        [reason, requests, judgeRunId, responseId],
      );
    },
    listJudgments: (judgeRunId: number, q: { after: number; limit: number; unparseable: boolean }) =>
      db.query<Judgment>(
        `SELECT o.id, o.response_id AS "responseId", x.uid AS "itemId", x.language, x.kind, x.format, o.state,
           o.prompt, o.raw_output AS "rawOutput", o.parse_error AS "parseError", o.correctness,
           o.cultural_alignment AS "culturalAlignment", o.language_quality AS "languageQuality",
           o.safety_outcome AS "safetyOutcome", o.requests, o.sent_at AS "sentAt", o.answered_at AS "answeredAt"
         FROM judgments o JOIN responses x ON x.id = o.response_id
         WHERE o.judge_run_id = $1 AND o.id > $2
           AND (NOT $3 OR (o.state = 'answered' AND o.parse_error IS NOT NULL))
         ORDER BY o.id LIMIT $4`,
        [judgeRunId, q.after, q.unparseable, q.limit],
      ),
    /** The judge run's readable outputs with their response's language and kind, by response (as SQLite's index gives them). */
    judgedResponses: (judgeRunId: number) =>
      db.query<JudgedResponse>(
        `SELECT o.response_id AS "responseId", x.run_id AS "runId", x.uid, x.language, x.category, x.kind, x.format,
           o.correctness, o.cultural_alignment AS "culturalAlignment", o.language_quality AS "languageQuality",
           o.safety_outcome AS "safetyOutcome"
         FROM judgments o JOIN responses x ON x.id = o.response_id
         WHERE o.judge_run_id = $1 AND o.state = 'answered' AND o.parse_error IS NULL
         ORDER BY o.response_id`,
        [judgeRunId],
      ),
    unparseableCount: async (judgeRunId: number) =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*) AS n FROM judgments WHERE judge_run_id = $1 AND state = 'answered' AND parse_error IS NOT NULL`,
          [judgeRunId],
        )
      )[0].n,
    /** The dataset a model run's release belongs to. */
    datasetOfRun: async (runId: number) =>
      (
        await db.query<{ dataset_id: number }>(
          'SELECT rel.dataset_id FROM runs r JOIN releases rel ON rel.id = r.release_id WHERE r.id = $1',
          [runId],
        )
      )[0]?.dataset_id,

    // --- settings ---
    judgeSettings: async (datasetId: number) =>
      (
        await db.query<JudgeSettings>(
          `SELECT dataset_id AS "datasetId", alpha_threshold AS "alphaThreshold", min_answers AS "minAnswers"
           FROM judge_settings WHERE dataset_id = $1`,
          [datasetId],
        )
      )[0] ?? { datasetId, alphaThreshold: 0.667, minAnswers: 30 },
    saveJudgeSettings: async (s: JudgeSettings & { at: string }) => {
      await db.execute(
        `INSERT INTO judge_settings (dataset_id, alpha_threshold, min_answers, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (dataset_id) DO UPDATE SET alpha_threshold = excluded.alpha_threshold,
           min_answers = excluded.min_answers, updated_at = excluded.updated_at`,
        [s.datasetId, s.alphaThreshold, s.minAnswers, s.at],
      );
    },
  };
}
