import type {
  CollectionState,
  Correctness,
  Model,
  RatingCampaign,
  Run,
  RunCollection,
  RunStatus,
  SafetyOutcome,
  ScoredResponse,
} from '../../schema/scoring.ts';
import type { Db } from './connection.ts';

interface ModelRow {
  id: number;
  name: string;
  developer: string;
  country: string | null;
  sovereign: number;
  base_url: string | null;
  endpoint_model: string | null;
  api_key_env: string | null;
  api_key: string | null;
  created_at: string;
}

const toModel = (r: ModelRow): Model => ({
  id: r.id,
  name: r.name,
  developer: r.developer,
  country: r.country,
  sovereign: r.sovereign === 1,
  baseUrl: r.base_url,
  endpointModel: r.endpoint_model,
  apiKeyEnv: r.api_key_env,
  hasApiKey: r.api_key !== null,
  createdAt: r.created_at,
});

export interface ModelFields {
  name: string;
  developer: string;
  country: string | null;
  sovereign: boolean;
  baseUrl: string | null;
  endpointModel: string | null;
  apiKeyEnv: string | null;
}

interface RunRow {
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

const toRun = (r: RunRow): Run => ({
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

export interface NewResponse {
  runId: number;
  uid: string;
  language: string;
  kind: string;
  format: string;
  category: string;
  response: string;
  source: 'import' | 'endpoint';
  scoring: 'auto' | 'rating';
  extracted: string | null;
  correct: boolean | null;
  createdAt: string;
}

interface ResponseRow {
  uid: string;
  language: string;
  kind: ScoredResponse['kind'];
  format: ScoredResponse['format'];
  category: string;
  response: string;
  source: ScoredResponse['source'];
  scoring: ScoredResponse['scoring'];
  extracted: string | null;
  correct: number | null;
}

/** One group of a run's responses, as the report aggregates them. */
export interface ResponseGroup {
  runId: number;
  language: string;
  category: string;
  kind: string;
  format: string;
  responses: number;
  autoScored: number;
  correct: number;
}

/** One submitted rating (or the reviewer's resolution, rater 0) with its response's report dimensions. */
export interface RatingObservation {
  responseId: number;
  runId: number;
  language: string;
  category: string;
  kind: string;
  format: string;
  raterId: number;
  correctness: Correctness;
  culturalAlignment: number | null;
  languageQuality: number | null;
  safetyOutcome: SafetyOutcome | null;
}

export interface RatingRow {
  id: number;
  campaignId: number;
  responseId: number;
  raterId: number;
  status: 'leased' | 'submitted';
  expiresAt: string;
}

export interface RatingContext {
  response: string;
  uid: string;
  releaseId: number;
  language: string;
  kind: ScoredResponse['kind'];
  format: ScoredResponse['format'];
  category: string;
}

/** Models, runs, responses, rating campaigns and ratings. */
export function createScoringRepository(db: Db) {
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
  const modelById = db.prepare<[number], ModelRow>('SELECT * FROM models WHERE id = ?');
  const modelByName = db.prepare<[string], ModelRow>('SELECT * FROM models WHERE name = ?');
  const insertResponse = db.prepare(
    `INSERT INTO responses (run_id, uid, language, kind, format, category, response, source, scoring, extracted,
       correct, created_at)
     VALUES (@runId, @uid, @language, @kind, @format, @category, @response, @source, @scoring, @extracted,
       @correct, @createdAt)
     ON CONFLICT (run_id, uid) DO NOTHING`,
  );
  const answeredUids = db.prepare<[number], string>('SELECT uid FROM responses WHERE run_id = ?').pluck();
  const runIds = db.prepare<[number], number>('SELECT id FROM runs WHERE release_id = ? ORDER BY id').pluck();
  const uidExists = db.prepare<[string], number>('SELECT 1 FROM items WHERE uid = ?').pluck();

  return {
    // --- models ---
    insertModel: (m: ModelFields & { apiKey: string | null; createdBy: number; createdAt: string }): number =>
      Number(
        db
          .prepare(
            `INSERT INTO models (name, developer, country, sovereign, base_url, endpoint_model, api_key_env, api_key,
               created_by, created_at)
             VALUES (@name, @developer, @country, @sovereign, @baseUrl, @endpointModel, @apiKeyEnv, @apiKey,
               @createdBy, @createdAt)`,
          )
          .run({ ...m, sovereign: m.sovereign ? 1 : 0 }).lastInsertRowid,
      ),
    updateModel: (id: number, m: ModelFields & { apiKey: string | null }): void => {
      db.prepare(
        `UPDATE models SET name = @name, developer = @developer, country = @country, sovereign = @sovereign,
           base_url = @baseUrl, endpoint_model = @endpointModel, api_key_env = @apiKeyEnv, api_key = @apiKey
         WHERE id = @id`,
      ).run({ ...m, id, sovereign: m.sovereign ? 1 : 0 });
    },
    getModel: (id: number): Model | undefined => {
      const r = modelById.get(id);
      return r && toModel(r);
    },
    modelByName: (name: string): Model | undefined => {
      const r = modelByName.get(name);
      return r && toModel(r);
    },
    /** The stored key (write-only: for the collection client, never for an answer). */
    storedApiKey: (id: number): string | null => modelById.get(id)?.api_key ?? null,
    listModels: (): Model[] =>
      db.prepare<[], ModelRow>('SELECT * FROM models ORDER BY name COLLATE NOCASE').all().map(toModel),

    // --- runs ---
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
     * the one statement that keeps a run to one running collection across every server process.
     */
    claimCollection: (id: number, at: string): boolean =>
      db
        .prepare(
          `UPDATE runs SET status = 'collecting', error = NULL, collect_state = 'running', collect_total = 0,
             collect_asked = 0, collect_answered = 0, collect_failed = 0, collect_skipped = 0, collect_requests = 0,
             collect_failures = '[]', collect_started_at = @at, collect_finished_at = NULL, collect_cancel = 0,
             updated_at = @at
           WHERE id = @id AND status <> 'collecting'`,
        )
        .run({ id, at }).changes === 1,
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
     * Every run left collecting by a stopped process: its collection becomes `interrupted` and the run
     * `pending` again (`complete` if every item has its response). Returns the run ids.
     */
    interruptCollections: (at: string, error: string): number[] =>
      db
        .prepare<{ at: string; error: string }, number>(
          `UPDATE runs SET collect_state = 'interrupted', collect_finished_at = @at, collect_cancel = 0,
             status = CASE WHEN (SELECT count(*) FROM responses x WHERE x.run_id = runs.id) >= item_count
               THEN 'complete' ELSE 'pending' END,
             error = CASE WHEN (SELECT count(*) FROM responses x WHERE x.run_id = runs.id) >= item_count
               THEN NULL ELSE @error END,
             updated_at = @at
           WHERE status = 'collecting' RETURNING id`,
        )
        .pluck()
        .all({ at, error }),

    // --- responses ---
    /** Inserts responses; one that already exists for its item is kept (returns how many were new). */
    insertResponses: (rows: readonly NewResponse[]): number => {
      let n = 0;
      for (const r of rows)
        n += insertResponse.run({ ...r, correct: r.correct === null ? null : Number(r.correct) }).changes;
      return n;
    },
    answeredUids: (runId: number): Set<string> => new Set(answeredUids.all(runId)),
    itemUidExists: (uid: string): boolean => uidExists.get(uid) !== undefined,
    listResponses: (runId: number, after: string, limit: number): ScoredResponse[] =>
      db
        .prepare<[number, string, number], ResponseRow>(
          `SELECT uid, language, kind, format, category, response, source, scoring, extracted, correct
           FROM responses WHERE run_id = ? AND uid > ? ORDER BY uid LIMIT ?`,
        )
        .all(runId, after, limit)
        .map((r) => ({
          id: r.uid,
          language: r.language,
          kind: r.kind,
          format: r.format,
          category: r.category,
          response: r.response,
          source: r.source,
          scoring: r.scoring,
          extracted: r.extracted,
          correct: r.correct === null ? null : r.correct === 1,
        })),

    // --- report inputs ---
    /** The runs on a release, oldest first: id and model (no progress counts, which cost a scan each). */
    runsOfRelease: (releaseId: number): { id: number; modelId: number; modelName: string }[] =>
      db
        .prepare<[number], { id: number; modelId: number; modelName: string }>(
          `SELECT r.id, r.model_id AS modelId, m.name AS modelName FROM runs r JOIN models m ON m.id = r.model_id
           WHERE r.release_id = ? ORDER BY r.id`,
        )
        .all(releaseId),
    /** Counts per run × language × category × kind × format, one run at a time (each walks the covering index in order). */
    responseGroups: (releaseId: number): ResponseGroup[] => {
      const perRun = db.prepare<[number], ResponseGroup>(
        `SELECT run_id AS runId, language, category, kind, format, count(*) AS responses,
           sum(scoring = 'auto') AS autoScored, sum(coalesce(correct, 0)) AS correct
         FROM responses WHERE run_id = ? GROUP BY language, category, kind, format`,
      );
      return runIds.all(releaseId).flatMap((id) => perRun.all(id));
    },
    /** Every submitted rating of the release's responses, then each reviewer resolution as rater 0. */
    ratingObservations: (releaseId: number): RatingObservation[] =>
      db
        .prepare<[number, number], RatingObservation>(
          `SELECT x.id AS responseId, x.run_id AS runId, x.language, x.category, x.kind, x.format,
             g.rater_id AS raterId, g.correctness, g.cultural_alignment AS culturalAlignment,
             g.language_quality AS languageQuality, g.safety_outcome AS safetyOutcome
           FROM ratings g CROSS JOIN responses x ON x.id = g.response_id CROSS JOIN runs r ON r.id = x.run_id
           WHERE r.release_id = ? AND g.status = 'submitted'
           UNION ALL
           SELECT x.id, x.run_id, x.language, x.category, x.kind, x.format, 0, s.correctness, NULL, NULL,
             s.safety_outcome
           FROM rating_resolutions s CROSS JOIN responses x ON x.id = s.response_id CROSS JOIN runs r ON r.id = x.run_id
           WHERE r.release_id = ?`,
        )
        .all(releaseId, releaseId),

    /** The responses of every run on a release to the given items (for the report's drill-down). */
    responsesToItems: (
      releaseId: number,
      uids: readonly string[],
    ): { runId: number; uid: string; response: string; extracted: string | null; correct: number | null }[] =>
      db
        .prepare<
          [number, string],
          { runId: number; uid: string; response: string; extracted: string | null; correct: number | null }
        >(
          `SELECT x.run_id AS runId, x.uid, x.response, x.extracted, x.correct
           FROM runs r JOIN responses x ON x.run_id = r.id
           WHERE r.release_id = ? AND x.uid IN (SELECT value FROM json_each(?)) ORDER BY x.uid, x.run_id`,
        )
        .all(releaseId, JSON.stringify(uids)),

    // --- rating campaigns ---
    insertCampaign: (c: {
      releaseId: number;
      name: string;
      ratersPerResponse: number;
      leaseMinutes: number;
      createdBy: number;
      createdAt: string;
    }): number =>
      Number(
        db
          .prepare(
            `INSERT INTO rating_campaigns (release_id, name, raters_per_response, lease_minutes, created_by, created_at)
             VALUES (@releaseId, @name, @ratersPerResponse, @leaseMinutes, @createdBy, @createdAt)`,
          )
          .run(c).lastInsertRowid,
      ),
    getCampaign: (id: number): RatingCampaign | undefined => {
      const r = db
        .prepare<[number], Omit<RatingCampaign, 'responses' | 'complete'> & { id: number }>(
          `SELECT id, release_id AS releaseId, name, raters_per_response AS ratersPerResponse,
             lease_minutes AS leaseMinutes, created_at AS createdAt FROM rating_campaigns WHERE id = ?`,
        )
        .get(id);
      if (!r) return undefined;
      const counts = db
        .prepare<[number, number], { responses: number; complete: number }>(
          `SELECT count(*) AS responses, coalesce(sum(
              (SELECT count(*) FROM ratings g WHERE g.response_id = x.id AND g.campaign_id = ? AND g.status = 'submitted')
              >= ${r.ratersPerResponse}), 0) AS complete
           FROM runs u JOIN responses x ON x.run_id = u.id WHERE u.release_id = ? AND x.scoring = 'rating'`,
        )
        .get(r.id, r.releaseId)!;
      return { ...r, ...counts };
    },
    listCampaignIds: (): number[] =>
      db.prepare<[], number>('SELECT id FROM rating_campaigns ORDER BY id DESC LIMIT 200').pluck().all(),

    // --- ratings (leases) ---
    reclaimRatingLeases: (now: string): void => {
      db.prepare(`DELETE FROM ratings WHERE status = 'leased' AND expires_at <= ?`).run(now);
    },
    liveRatingLease: (campaignId: number, raterId: number, now: string): number | undefined =>
      db
        .prepare<[number, number, string], number>(
          `SELECT id FROM ratings WHERE campaign_id = ? AND rater_id = ? AND status = 'leased' AND expires_at > ?
           ORDER BY id LIMIT 1`,
        )
        .pluck()
        .get(campaignId, raterId, now),
    /**
     * A response of the campaign's release that still needs a rater, in one of `languages` (null: any),
     * not already taken by this rater; picked by a random key so raters see runs interleaved.
     */
    nextResponseToRate: (
      campaignId: number,
      releaseId: number,
      raterId: number,
      languages: readonly string[] | null,
      n: number,
    ): number | undefined =>
      db
        .prepare<
          {
            release: number;
            campaign: number;
            n: number;
            rater: number;
            anyLanguage: number;
            languages: string;
          },
          number
        >(
          `SELECT x.id FROM runs u JOIN responses x ON x.run_id = u.id
           WHERE u.release_id = @release AND x.scoring = 'rating'
             AND (SELECT count(*) FROM ratings g WHERE g.response_id = x.id AND g.campaign_id = @campaign) < @n
             AND NOT EXISTS (SELECT 1 FROM ratings g
               WHERE g.response_id = x.id AND g.campaign_id = @campaign AND g.rater_id = @rater)
             AND (@anyLanguage = 1 OR x.language IN (SELECT value FROM json_each(@languages)))
           ORDER BY random() LIMIT 1`,
        )
        .pluck()
        .get({
          release: releaseId,
          campaign: campaignId,
          n,
          rater: raterId,
          anyLanguage: languages === null ? 1 : 0,
          languages: JSON.stringify(languages ?? []),
        }),
    /**
     * Responses of the campaign's release to rate in `languages` (null: any), and how many are left for this
     * rater: not rated by them, and fewer than `n` raters besides them (their own live lease counts as left).
     */
    ratingProgress: (
      campaignId: number,
      releaseId: number,
      raterId: number,
      languages: readonly string[] | null,
      n: number,
    ): { total: number; left: number } =>
      db
        .prepare<
          {
            release: number;
            campaign: number;
            n: number;
            rater: number;
            anyLanguage: number;
            languages: string;
          },
          { total: number; left: number }
        >(
          `SELECT count(*) AS total, count(*) FILTER (WHERE
               NOT EXISTS (SELECT 1 FROM ratings g WHERE g.response_id = x.id AND g.campaign_id = @campaign
                           AND g.rater_id = @rater AND g.status = 'submitted')
               AND (SELECT count(*) FROM ratings g WHERE g.response_id = x.id AND g.campaign_id = @campaign
                    AND g.rater_id <> @rater) < @n) AS "left"
           FROM runs u JOIN responses x ON x.run_id = u.id
           WHERE u.release_id = @release AND x.scoring = 'rating'
             AND (@anyLanguage = 1 OR x.language IN (SELECT value FROM json_each(@languages)))`,
        )
        .get({
          release: releaseId,
          campaign: campaignId,
          n,
          rater: raterId,
          anyLanguage: languages === null ? 1 : 0,
          languages: JSON.stringify(languages ?? []),
        })!,
    insertRatingLease: (r: {
      campaignId: number;
      responseId: number;
      raterId: number;
      leasedAt: string;
      expiresAt: string;
    }): number =>
      Number(
        db
          .prepare(
            `INSERT INTO ratings (campaign_id, response_id, rater_id, status, leased_at, expires_at)
             VALUES (@campaignId, @responseId, @raterId, 'leased', @leasedAt, @expiresAt)`,
          )
          .run(r).lastInsertRowid,
      ),
    getRating: (id: number): RatingRow | undefined =>
      db
        .prepare<[number], RatingRow>(
          `SELECT id, campaign_id AS campaignId, response_id AS responseId, rater_id AS raterId, status,
             expires_at AS expiresAt FROM ratings WHERE id = ?`,
        )
        .get(id),
    ratingContext: (responseId: number): RatingContext | undefined =>
      db
        .prepare<[number], RatingContext>(
          `SELECT x.response, x.uid, u.release_id AS releaseId, x.language, x.kind, x.format, x.category
           FROM responses x JOIN runs u ON u.id = x.run_id WHERE x.id = ?`,
        )
        .get(responseId),
    /** One item of a release snapshot, as stored (ReleaseItem JSON). */
    releaseItemSnapshot: (releaseId: number, uid: string): string | undefined =>
      db
        .prepare<[number, string], string>(
          'SELECT snapshot FROM release_items WHERE release_id = ? AND uid = ?',
        )
        .pluck()
        .get(releaseId, uid),
    submitRating: (
      id: number,
      r: {
        correctness: Correctness;
        culturalAlignment: number;
        languageQuality: number;
        safetyOutcome: SafetyOutcome | null;
        comment: string | null;
        submittedAt: string;
      },
    ): boolean =>
      db
        .prepare(
          `UPDATE ratings SET status = 'submitted', correctness = @correctness, cultural_alignment = @culturalAlignment,
             language_quality = @languageQuality, safety_outcome = @safetyOutcome, comment = @comment,
             submitted_at = @submittedAt
           WHERE id = @id AND status = 'leased'`,
        )
        .run({ ...r, id }).changes === 1,
    releaseRatingLease: (id: number): boolean =>
      db.prepare(`DELETE FROM ratings WHERE id = ? AND status = 'leased'`).run(id).changes === 1,
    setRatingExpiry: (id: number, expiresAt: string): void => {
      db.prepare('UPDATE ratings SET expires_at = ? WHERE id = ?').run(expiresAt, id);
    },
    /** Submitted ratings of a campaign, per response, for the disagreement queue. */
    campaignRatings: (
      campaignId: number,
    ): { responseId: number; correctness: Correctness; safetyOutcome: SafetyOutcome | null }[] =>
      db
        .prepare<
          [number],
          { responseId: number; correctness: Correctness; safetyOutcome: SafetyOutcome | null }
        >(
          `SELECT g.response_id AS responseId, g.correctness, g.safety_outcome AS safetyOutcome FROM ratings g
           WHERE g.campaign_id = ? AND g.status = 'submitted'
             AND NOT EXISTS (SELECT 1 FROM rating_resolutions s WHERE s.response_id = g.response_id)
           ORDER BY g.response_id, g.id`,
        )
        .all(campaignId),
    upsertResolution: (r: {
      responseId: number;
      correctness: Correctness;
      safetyOutcome: SafetyOutcome | null;
      reviewerId: number;
      createdAt: string;
    }): void => {
      db.prepare(
        `INSERT INTO rating_resolutions (response_id, correctness, safety_outcome, reviewer_id, created_at)
         VALUES (@responseId, @correctness, @safetyOutcome, @reviewerId, @createdAt)
         ON CONFLICT (response_id) DO UPDATE SET correctness = excluded.correctness,
           safety_outcome = excluded.safety_outcome, reviewer_id = excluded.reviewer_id, created_at = excluded.created_at`,
      ).run(r);
    },
  };
}
export type ScoringRepository = ReturnType<typeof createScoringRepository>;
