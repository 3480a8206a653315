import type {
  Judge,
  JudgeRun,
  JudgeRunState,
  Judgment,
  JudgeSettings,
  Rubric,
} from '../../../schema/judge.ts';
import type { Correctness, SafetyOutcome } from '../../../schema/scoring.ts';
import type { Db } from '../connection.ts';

/** A judges row with its model's name, as both engines read it. */
export interface JudgeRow {
  id: number;
  name: string;
  model_id: number;
  model_name: string;
  rubric: string;
  temperature: number;
  max_tokens: number;
  created_at: string;
}

export const toJudge = (r: JudgeRow): Judge => ({
  id: r.id,
  name: r.name,
  modelId: r.model_id,
  modelName: r.model_name,
  rubric: JSON.parse(r.rubric) as Rubric,
  temperature: r.temperature,
  maxTokens: r.max_tokens,
  createdAt: r.created_at,
});

export interface JudgeFields {
  name: string;
  modelId: number;
  rubric: Rubric;
  temperature: number;
  maxTokens: number;
}

/** Counts of a judge run under way, written by its job. */
export type JudgeRunCounts = Pick<
  JudgeRun,
  'total' | 'asked' | 'judged' | 'unparseable' | 'failed' | 'skipped' | 'resent' | 'requests'
>;

/** A rated response of a model run and where its judge output stands in one judge run (null: never asked). */
export interface ResponseToJudge {
  responseId: number;
  uid: string;
  response: string;
  state: Judgment['state'] | null;
}

/** What a stored output holds once read (all null when unreadable). */
export interface JudgmentFields {
  rawOutput: string;
  parseError: string | null;
  correctness: Correctness | null;
  culturalAlignment: number | null;
  languageQuality: number | null;
  safetyOutcome: SafetyOutcome | null;
  comment: string | null;
}

/** One response both the judge (parsed) and humans may have rated, for calibration. */
export interface JudgedResponse {
  responseId: number;
  runId: number;
  uid: string;
  language: string;
  category: string;
  kind: string;
  format: string;
  correctness: Correctness;
  culturalAlignment: number;
  languageQuality: number;
  safetyOutcome: SafetyOutcome | null;
}

const RUN_SELECT = `SELECT j.id, j.judge_id AS judgeId, g.name AS judgeName, j.run_id AS runId, m.name AS modelName,
    r.release_id AS releaseId, j.state, j.total, j.asked, j.judged, j.unparseable, j.failed, j.skipped, j.resent,
    j.requests, j.error, j.started_at AS startedAt, j.finished_at AS finishedAt, j.created_at AS createdAt
  FROM judge_runs j JOIN judges g ON g.id = j.judge_id JOIN runs r ON r.id = j.run_id JOIN models m ON m.id = r.model_id`;

/** Judges, their runs over model runs, every judge output, and the per-dataset calibration thresholds. */
export function judgeQueries(db: Db) {
  const judgeSelect = `SELECT g.*, m.name AS model_name FROM judges g JOIN models m ON m.id = g.model_id`;
  return {
    // --- judges ---
    insertJudge: (j: JudgeFields & { createdBy: number; createdAt: string }): number =>
      Number(
        db
          .prepare(
            `INSERT INTO judges (name, model_id, rubric, temperature, max_tokens, created_by, created_at)
             VALUES (@name, @modelId, @rubric, @temperature, @maxTokens, @createdBy, @createdAt)`,
          )
          .run({ ...j, rubric: JSON.stringify(j.rubric) }).lastInsertRowid,
      ),
    updateJudge: (id: number, j: JudgeFields): void => {
      db.prepare(
        `UPDATE judges SET name = @name, model_id = @modelId, rubric = @rubric, temperature = @temperature,
           max_tokens = @maxTokens WHERE id = @id`,
      ).run({ ...j, id, rubric: JSON.stringify(j.rubric) });
    },
    getJudge: (id: number): Judge | undefined => {
      const r = db.prepare<[number], JudgeRow>(`${judgeSelect} WHERE g.id = ?`).get(id);
      return r && toJudge(r);
    },
    judgeByName: (name: string): Judge | undefined => {
      const r = db.prepare<[string], JudgeRow>(`${judgeSelect} WHERE g.name = ?`).get(name);
      return r && toJudge(r);
    },
    listJudges: (): Judge[] => db.prepare<[], JudgeRow>(`${judgeSelect} ORDER BY g.id`).all().map(toJudge),

    // --- judge runs ---
    /** The judge run of this judge over this model run, created pending if there is none. */
    ensureJudgeRun: (r: { judgeId: number; runId: number; createdBy: number; createdAt: string }): number => {
      db.prepare(
        `INSERT INTO judge_runs (judge_id, run_id, state, created_by, created_at)
         VALUES (@judgeId, @runId, 'pending', @createdBy, @createdAt) ON CONFLICT (judge_id, run_id) DO NOTHING`,
      ).run(r);
      return db
        .prepare<[number, number], number>('SELECT id FROM judge_runs WHERE judge_id = ? AND run_id = ?')
        .pluck()
        .get(r.judgeId, r.runId)!;
    },
    getJudgeRun: (id: number): JudgeRun | undefined =>
      db.prepare<[number], JudgeRun>(`${RUN_SELECT} WHERE j.id = ?`).get(id),
    listJudgeRuns: (filter: { judge?: number; run?: number }): JudgeRun[] =>
      db
        .prepare<{ judge: number | null; run: number | null }, JudgeRun>(
          `${RUN_SELECT} WHERE (@judge IS NULL OR j.judge_id = @judge) AND (@run IS NULL OR j.run_id = @run)
           ORDER BY j.id DESC LIMIT 500`,
        )
        .all({ judge: filter.judge ?? null, run: filter.run ?? null }),
    /**
     * Marks the judge run running with fresh counts, owned by app instance `owner` (migration 024), unless it runs
     * already (false then), in any process.
     */
    claimJudgeRun: (id: number, at: string, owner: string | null = null): boolean =>
      db
        .prepare(
          `UPDATE judge_runs SET state = 'running', total = 0, asked = 0, judged = 0, unparseable = 0, failed = 0,
             skipped = 0, resent = 0, requests = 0, error = NULL, stop = NULL, started_at = @at, finished_at = NULL,
             owner = @owner
           WHERE id = @id AND state <> 'running'`,
        )
        .run({ id, at, owner }).changes === 1,
    judgeRunProgress: (id: number, c: JudgeRunCounts): void => {
      db.prepare(
        `UPDATE judge_runs SET total = @total, asked = @asked, judged = @judged, unparseable = @unparseable,
           failed = @failed, skipped = @skipped, resent = @resent, requests = @requests
         WHERE id = @id AND state = 'running'`,
      ).run({ id, ...c });
    },
    finishJudgeRun: (
      id: number,
      c: JudgeRunCounts,
      end: { state: JudgeRunState; error: string | null; at: string },
    ): void => {
      db.prepare(
        `UPDATE judge_runs SET total = @total, asked = @asked, judged = @judged, unparseable = @unparseable,
           failed = @failed, skipped = @skipped, resent = @resent, requests = @requests, state = @state,
           error = @error, stop = NULL, finished_at = @at
         WHERE id = @id`,
      ).run({ id, ...c, ...end });
    },
    /** Asks a running judge run to stop, for a cancel or a server shutting down (false if it is not running). */
    requestJudgeRunStop: (id: number, stop: 'cancel' | 'shutdown'): boolean =>
      db
        .prepare(
          `UPDATE judge_runs SET stop = CASE WHEN stop = 'cancel' THEN stop ELSE ? END
           WHERE id = ? AND state = 'running'`,
        )
        .run(stop, id).changes === 1,
    judgeRunStop: (id: number): 'cancel' | 'shutdown' | null =>
      db
        .prepare<[number], 'cancel' | 'shutdown' | null>('SELECT stop FROM judge_runs WHERE id = ?')
        .pluck()
        .get(id) ?? null,
    /**
     * Every judge run left running by a stopped process — its owner not seen since `since` (ISO time), gone, or
     * unknown — becomes `interrupted`; a live instance's are left alone. Returns their ids.
     */
    interruptJudgeRuns: (at: string, error: string, since: string | null = null): number[] =>
      db
        .prepare<{ at: string; error: string; since: string | null }, number>(
          `UPDATE judge_runs SET state = 'interrupted', stop = NULL, finished_at = @at, error = @error
           WHERE state = 'running'
             AND (@since IS NULL
               OR NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = judge_runs.owner AND i.seen_at >= @since))
           RETURNING id`,
        )
        .pluck()
        .all({ at, error, since }),

    // --- judgments ---
    /** The model run's responses to rate (open-ended and safety), by item id, with their output's state. */
    responsesToJudge: (judgeRunId: number, runId: number): ResponseToJudge[] =>
      db
        .prepare<[number, number], ResponseToJudge>(
          `SELECT x.id AS responseId, x.uid, x.response, o.state FROM responses x
           LEFT JOIN judgments o ON o.response_id = x.id AND o.judge_run_id = ?
           WHERE x.run_id = ? AND x.scoring = 'rating' ORDER BY x.uid`,
        )
        .all(judgeRunId, runId),
    /** Records that the request for this response is out (before it is sent); a failed or unanswered row is reused. */
    markJudgmentSent: (j: { judgeRunId: number; responseId: number; prompt: string; at: string }): void => {
      db.prepare(
        `INSERT INTO judgments (judge_run_id, response_id, state, prompt, sent_at)
         VALUES (@judgeRunId, @responseId, 'sent', @prompt, @at)
         ON CONFLICT (judge_run_id, response_id) DO UPDATE SET state = 'sent', prompt = excluded.prompt,
           raw_output = NULL, parse_error = NULL, sent_at = excluded.sent_at, answered_at = NULL
         WHERE judgments.state <> 'answered'`,
      ).run(j);
    },
    storeJudgment: (
      judgeRunId: number,
      responseId: number,
      f: JudgmentFields & { requests: number; at: string },
    ): void => {
      db.prepare(
        `UPDATE judgments SET state = 'answered', raw_output = @rawOutput, parse_error = @parseError,
           correctness = @correctness, cultural_alignment = @culturalAlignment, language_quality = @languageQuality,
           safety_outcome = @safetyOutcome, comment = @comment, requests = requests + @requests, answered_at = @at
         WHERE judge_run_id = @judgeRunId AND response_id = @responseId`,
      ).run({ ...f, judgeRunId, responseId });
    },
    failJudgment: (judgeRunId: number, responseId: number, reason: string, requests: number): void => {
      db.prepare(
        `UPDATE judgments SET state = 'failed', parse_error = ?, requests = requests + ?
         WHERE judge_run_id = ? AND response_id = ?`,
      ).run(reason, requests, judgeRunId, responseId);
    },
    listJudgments: (
      judgeRunId: number,
      q: { after: number; limit: number; unparseable: boolean },
    ): Judgment[] =>
      db
        .prepare<{ run: number; after: number; limit: number; unparseable: number }, Judgment>(
          `SELECT o.id, o.response_id AS responseId, x.uid AS itemId, x.language, x.kind, x.format, o.state,
             o.prompt, o.raw_output AS rawOutput, o.parse_error AS parseError, o.correctness,
             o.cultural_alignment AS culturalAlignment, o.language_quality AS languageQuality,
             o.safety_outcome AS safetyOutcome, o.requests, o.sent_at AS sentAt, o.answered_at AS answeredAt
           FROM judgments o JOIN responses x ON x.id = o.response_id
           WHERE o.judge_run_id = @run AND o.id > @after
             AND (@unparseable = 0 OR (o.state = 'answered' AND o.parse_error IS NOT NULL))
           ORDER BY o.id LIMIT @limit`,
        )
        .all({ run: judgeRunId, after: q.after, limit: q.limit, unparseable: q.unparseable ? 1 : 0 }),
    /** The judge run's readable outputs with their response's language and kind. */
    judgedResponses: (judgeRunId: number): JudgedResponse[] =>
      db
        .prepare<[number], JudgedResponse>(
          `SELECT o.response_id AS responseId, x.run_id AS runId, x.uid, x.language, x.category, x.kind, x.format,
             o.correctness,
             o.cultural_alignment AS culturalAlignment, o.language_quality AS languageQuality,
             o.safety_outcome AS safetyOutcome
           FROM judgments o JOIN responses x ON x.id = o.response_id
           WHERE o.judge_run_id = ? AND o.state = 'answered' AND o.parse_error IS NULL`,
        )
        .all(judgeRunId),
    unparseableCount: (judgeRunId: number): number =>
      db
        .prepare<[number], number>(
          `SELECT count(*) FROM judgments WHERE judge_run_id = ? AND state = 'answered' AND parse_error IS NOT NULL`,
        )
        .pluck()
        .get(judgeRunId)!,
    /** The dataset a model run's release belongs to. */
    datasetOfRun: (runId: number): number | undefined =>
      db
        .prepare<[number], number>(
          'SELECT rel.dataset_id FROM runs r JOIN releases rel ON rel.id = r.release_id WHERE r.id = ?',
        )
        .pluck()
        .get(runId),

    // --- settings ---
    judgeSettings: (datasetId: number): JudgeSettings =>
      db
        .prepare<[number], JudgeSettings>(
          `SELECT dataset_id AS datasetId, alpha_threshold AS alphaThreshold, min_answers AS minAnswers
           FROM judge_settings WHERE dataset_id = ?`,
        )
        .get(datasetId) ?? { datasetId, alphaThreshold: 0.667, minAnswers: 30 },
    saveJudgeSettings: (s: JudgeSettings & { at: string }): void => {
      db.prepare(
        `INSERT INTO judge_settings (dataset_id, alpha_threshold, min_answers, updated_at)
         VALUES (@datasetId, @alphaThreshold, @minAnswers, @at)
         ON CONFLICT (dataset_id) DO UPDATE SET alpha_threshold = excluded.alpha_threshold,
           min_answers = excluded.min_answers, updated_at = excluded.updated_at`,
      ).run(s);
    },
  };
}
