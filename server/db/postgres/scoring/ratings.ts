import type { Correctness, RatingCampaign, SafetyOutcome } from '../../../../schema/scoring.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import type { RatingContext, RatingTaskRecord, ratingQueries } from '../../scoring/ratings.ts';
import type { PgDatabase } from '../database.ts';

/** The first key of the rating-assignment lock ('CSra'); the second is the campaign's id. */
const RATING_ASSIGNMENT_LOCK = 0x43_53_72_61;

/**
 * Takes the campaign's rating-assignment lock until the transaction ends (a second take in one transaction is
 * free). Its own statement: a statement that took it while reading would read from before the wait.
 */
const lockAssignment = (db: PgDatabase, campaignId: number) =>
  db.query('SELECT pg_advisory_xact_lock($1, $2::integer)', [RATING_ASSIGNMENT_LOCK, campaignId]);

/** The `languages` filter of the rating queries: null for any language. */
const languageParams = (languages: readonly string[] | null) => [languages === null, languages ?? []];

/** Rating campaigns, their rating tasks (leased, then submitted as ratings) and reviewer ratings. */
export function pgRatingQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof ratingQueries>> {
  // Parameter types where the contract gives them (SQLite's ratingQueries), not written again.
  return {
    // --- rating campaigns ---
    insertCampaign: async (c) => {
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO rating_campaigns (release_id, name, raters_per_response, lease_minutes, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [c.releaseId, c.name, c.ratersPerResponse, c.leaseMinutes, c.createdBy, c.createdAt],
      );
      return row.id;
    },
    getCampaign: async (id: number) => {
      const [r] = await db.query<Omit<RatingCampaign, 'responses' | 'complete'>>(
        `SELECT id, release_id AS "releaseId", name, raters_per_response AS "ratersPerResponse",
           lease_minutes AS "leaseMinutes", created_at AS "createdAt" FROM rating_campaigns WHERE id = $1`,
        [id],
      );
      if (!r) return undefined;
      const [counts] = await db.query<{ responses: number; complete: number }>(
        `SELECT count(*) AS responses, count(*) FILTER (WHERE
             (SELECT count(*) FROM ratings g WHERE g.response_id = x.id AND g.campaign_id = $1 AND g.status = 'submitted')
             >= $3) AS complete
         FROM runs u JOIN responses x ON x.run_id = u.id WHERE u.release_id = $2 AND x.scoring = 'rating'`,
        [r.id, r.releaseId, r.ratersPerResponse],
      );
      return { ...r, ...counts };
    },
    listCampaignIds: async () =>
      (await db.query<{ id: number }>('SELECT id FROM rating_campaigns ORDER BY id DESC LIMIT 200')).map(
        (r) => r.id,
      ),

    // --- rating tasks (leased, then submitted as ratings) ---
    reclaimRatingLeases: async (now: string) => {
      await db.execute(`DELETE FROM ratings WHERE status = 'leased' AND expires_at <= $1`, [now]);
    },
    /**
     * The rater's live lease in the campaign, read after taking the campaign's assignment lock (an advisory lock
     * held until the transaction ends). The domain's next-task transaction calls this, then
     * nextResponseToRate and insertRatingTask: under the lock, those run one transaction at a time per campaign
     * on every instance, as SQLite's single writer runs them, so no response gets more raters than the campaign
     * asks and no rater gets two leases. (Outside a transaction the lock ends with the statement.)
     */
    heldRatingTask: async (campaignId: number, raterId: number, now: string) => {
      await lockAssignment(db, campaignId);
      return (
        await db.query<{ id: number }>(
          `SELECT id FROM ratings WHERE campaign_id = $1 AND rater_id = $2 AND status = 'leased' AND expires_at > $3
           ORDER BY id LIMIT 1`,
          [campaignId, raterId, now],
        )
      )[0]?.id;
    },
    /**
     * A response of the campaign's release that still needs a rater, in one of `languages` (null: any),
     * not already taken by this rater; picked at random so raters see runs interleaved. Read under the
     * campaign's assignment lock too, so that the choice and the lease written after it in the same transaction
     * are one step on every instance even where the held task was read outside it.
     */
    nextResponseToRate: async (
      campaignId: number,
      releaseId: number,
      raterId: number,
      languages: readonly string[] | null,
      n: number,
    ) => {
      await lockAssignment(db, campaignId);
      return (
        await db.query<{ id: number }>(
          `SELECT x.id FROM runs u JOIN responses x ON x.run_id = u.id
           WHERE u.release_id = $1 AND x.scoring = 'rating'
             AND (SELECT count(*) FROM ratings g WHERE g.response_id = x.id AND g.campaign_id = $2) < $3
             AND NOT EXISTS (SELECT 1 FROM ratings g
               WHERE g.response_id = x.id AND g.campaign_id = $2 AND g.rater_id = $4)
             AND ($5 OR x.language = ANY ($6::text[]))
           ORDER BY random() LIMIT 1`,
          [releaseId, campaignId, n, raterId, ...languageParams(languages)],
        )
      )[0]?.id;
    },
    /**
     * Responses of the campaign's release to rate in `languages` (null: any), and how many are left for this
     * rater: not rated by them, and fewer than `n` raters besides them (their own live lease counts as left).
     */
    ratingProgress: async (
      campaignId: number,
      releaseId: number,
      raterId: number,
      languages: readonly string[] | null,
      n: number,
    ) =>
      (
        await db.query<{ total: number; left: number }>(
          `SELECT count(*) AS total, count(*) FILTER (WHERE
               NOT EXISTS (SELECT 1 FROM ratings g WHERE g.response_id = x.id AND g.campaign_id = $2
                           AND g.rater_id = $4 AND g.status = 'submitted')
               AND (SELECT count(*) FROM ratings g WHERE g.response_id = x.id AND g.campaign_id = $2
                    AND g.rater_id <> $4) < $3) AS "left"
           FROM runs u JOIN responses x ON x.run_id = u.id
           WHERE u.release_id = $1 AND x.scoring = 'rating' AND ($5 OR x.language = ANY ($6::text[]))`,
          [releaseId, campaignId, n, raterId, ...languageParams(languages)],
        )
      )[0],
    insertRatingTask: async (r) => {
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO ratings (campaign_id, response_id, rater_id, status, leased_at, expires_at)
         VALUES ($1, $2, $3, 'leased', $4, $5) RETURNING id`,
        [r.campaignId, r.responseId, r.raterId, r.leasedAt, r.expiresAt],
      );
      return row.id;
    },
    getRatingTask: async (id: number) =>
      (
        await db.query<RatingTaskRecord>(
          `SELECT id, campaign_id AS "campaignId", response_id AS "responseId", rater_id AS "raterId", status,
             expires_at AS "expiresAt" FROM ratings WHERE id = $1`,
          [id],
        )
      )[0],
    ratingContext: async (responseId: number) =>
      (
        await db.query<RatingContext>(
          `SELECT x.response, x.uid, u.release_id AS "releaseId", x.language, x.kind, x.format, x.category
           FROM responses x JOIN runs u ON u.id = x.run_id WHERE x.id = $1`,
          [responseId],
        )
      )[0],
    /** One item of a release snapshot, as stored (ReleaseItem JSON). */
    releaseItemSnapshot: async (releaseId: number, uid: string) =>
      (
        await db.query<{ snapshot: string }>(
          'SELECT snapshot FROM release_items WHERE release_id = $1 AND uid = $2',
          [releaseId, uid],
        )
      )[0]?.snapshot,
    submitRating: async (id, r) =>
      (await db.execute(
        `UPDATE ratings SET status = 'submitted', correctness = $2, cultural_alignment = $3, language_quality = $4,
           safety_outcome = $5, comment = $6, submitted_at = $7
         WHERE id = $1 AND status = 'leased'`,
        [
          id,
          r.correctness,
          r.culturalAlignment,
          r.languageQuality,
          r.safetyOutcome,
          r.comment,
          r.submittedAt,
        ],
      )) === 1,
    giveBackRatingTask: async (id: number) =>
      (await db.execute(`DELETE FROM ratings WHERE id = $1 AND status = 'leased'`, [id])) === 1,
    setRatingExpiry: async (id: number, expiresAt: string) => {
      await db.execute('UPDATE ratings SET expires_at = $1 WHERE id = $2', [expiresAt, id]);
    },
    /** Submitted ratings of a campaign, per response, for the disagreement queue. */
    campaignRatings: (campaignId: number) =>
      db.query<{ responseId: number; correctness: Correctness; safetyOutcome: SafetyOutcome | null }>(
        `SELECT g.response_id AS "responseId", g.correctness, g.safety_outcome AS "safetyOutcome" FROM ratings g
         WHERE g.campaign_id = $1 AND g.status = 'submitted'
           AND NOT EXISTS (SELECT 1 FROM reviewer_ratings s WHERE s.response_id = g.response_id)
         ORDER BY g.response_id, g.id`,
        [campaignId],
      ),
    /** A reviewer's rating of a disagreement (one per response; a later one replaces it). */
    upsertReviewerRating: async (r) => {
      await db.execute(
        `INSERT INTO reviewer_ratings (response_id, correctness, safety_outcome, reviewer_id, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (response_id) DO UPDATE SET correctness = excluded.correctness,
           safety_outcome = excluded.safety_outcome, reviewer_id = excluded.reviewer_id, created_at = excluded.created_at`,
        [r.responseId, r.correctness, r.safetyOutcome, r.reviewerId, r.createdAt],
      );
    },
  };
}
