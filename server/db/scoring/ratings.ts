import type { Correctness, RatingCampaign, SafetyOutcome, ScoredResponse } from '../../../schema/scoring.ts';
import type { Db } from '../connection.ts';

/** A rating task as stored: leased (held until `expiresAt`), then submitted as a rating. */
export interface RatingTaskRecord {
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

/** Rating campaigns, their rating tasks (leased, then submitted as ratings) and reviewer ratings. */
export function ratingQueries(db: Db) {
  return {
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

    // --- rating tasks (leased, then submitted as ratings) ---
    reclaimRatingLeases: (now: string): void => {
      db.prepare(`DELETE FROM ratings WHERE status = 'leased' AND expires_at <= ?`).run(now);
    },
    heldRatingTask: (campaignId: number, raterId: number, now: string): number | undefined =>
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
    insertRatingTask: (r: {
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
    getRatingTask: (id: number): RatingTaskRecord | undefined =>
      db
        .prepare<[number], RatingTaskRecord>(
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
    giveBackRatingTask: (id: number): boolean =>
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
             AND NOT EXISTS (SELECT 1 FROM reviewer_ratings s WHERE s.response_id = g.response_id)
           ORDER BY g.response_id, g.id`,
        )
        .all(campaignId),
    /** A reviewer's rating of a disagreement (one per response; a later one replaces it). */
    upsertReviewerRating: (r: {
      responseId: number;
      correctness: Correctness;
      safetyOutcome: SafetyOutcome | null;
      reviewerId: number;
      createdAt: string;
    }): void => {
      db.prepare(
        `INSERT INTO reviewer_ratings (response_id, correctness, safety_outcome, reviewer_id, created_at)
         VALUES (@responseId, @correctness, @safetyOutcome, @reviewerId, @createdAt)
         ON CONFLICT (response_id) DO UPDATE SET correctness = excluded.correctness,
           safety_outcome = excluded.safety_outcome, reviewer_id = excluded.reviewer_id, created_at = excluded.created_at`,
      ).run(r);
    },
  };
}
