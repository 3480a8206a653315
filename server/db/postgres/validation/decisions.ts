import type { ReviewDecision, ReviewQueueEntry } from '../../../../schema/validation.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import {
  CONFLICTED,
  type DecisionRow,
  type decisionQueries,
  type ReviewQueueFilter,
  type ReviewQueueRow,
  toDecision,
  toReviewQueueEntry,
} from '../../validation/decisions.ts';
import type { PgDatabase } from '../database.ts';

/** Items in review ($1 languages or null, $2 dataset or null, $3 language or null). */
const IN_REVIEW = `i.status = 'in_review'
  AND ($1::text[] IS NULL OR i.language = ANY ($1::text[]))
  AND ($2::bigint IS NULL OR i.dataset_id = $2)
  AND ($3::text IS NULL OR i.language = $3)`;
// A reviewer (not a maintainer) who is active, has the item's language and no conflict with it.
const FREE_REVIEWER = `EXISTS (SELECT 1 FROM users r JOIN user_languages l ON l.user_id = r.id AND l.language = i.language
  WHERE r.role = 'reviewer' AND NOT r.disabled AND NOT ${CONFLICTED('r.id')})`;

/** Reviewers' decisions on items in review, the review queue and who may not decide an item (PostgreSQL). */
export function pgDecisionQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof decisionQueries>> {
  return {
    async insertDecision(d: Omit<ReviewDecision, 'id' | 'reviewerName'>): Promise<void> {
      await db.execute(
        `INSERT INTO review_decisions (item_id, round, item_version, reviewer_id, decision, message, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [d.itemId, d.round, d.itemVersion, d.reviewerId, d.decision, d.message, d.createdAt],
      );
    },
    async decisions(itemId: number): Promise<ReviewDecision[]> {
      const rows = await db.query<DecisionRow>(
        `SELECT d.id, d.item_id, d.round, d.item_version, d.reviewer_id, u.display_name AS reviewer_name, d.decision,
           d.message, d.created_at
         FROM review_decisions d LEFT JOIN users u ON u.id = d.reviewer_id
         WHERE d.item_id = $1 ORDER BY d.id DESC`,
        [itemId],
      );
      return rows.map(toDecision);
    },

    /**
     * Items in review the caller may decide (not written or validated by them), lowest agreement first
     * (unknown agreement last), then oldest (SQLite sorts a missing submitted_at first); `all` counts those
     * they may not decide too.
     */
    async reviewQueue(
      f: ReviewQueueFilter,
    ): Promise<{ items: ReviewQueueEntry[]; total: number; all: number }> {
      const params = [
        f.languages === null ? null : [...f.languages],
        f.dataset ?? null,
        f.language ?? null,
        f.caller,
      ];
      const rows = await db.query<ReviewQueueRow>(
        `SELECT i.id, i.uid, i.dataset_id, i.language, i.kind, i.format, i.question, i.primary_category, i.hazard,
           u.display_name AS author_name, s.validations, s.agreement, i.updated_at, (${FREE_REVIEWER})::int AS free_reviewer
         FROM items i JOIN users u ON u.id = i.author_id LEFT JOIN item_validation s ON s.item_id = i.id
         WHERE ${IN_REVIEW} AND NOT ${CONFLICTED('$4')}
         ORDER BY s.agreement IS NULL, s.agreement, i.submitted_at NULLS FIRST, i.id LIMIT $5 OFFSET $6`,
        [...params, f.limit, f.offset],
      );
      const [counts] = await db.query<{ n: number; all: number }>(
        `SELECT count(*) FILTER (WHERE NOT ${CONFLICTED('$4')}) AS n, count(*) AS "all" FROM items i WHERE ${IN_REVIEW}`,
        params,
      );
      return {
        total: counts.n,
        all: counts.all,
        items: rows.map(toReviewQueueEntry),
      };
    },
    conflicted: async (itemId: number, userId: number): Promise<boolean> =>
      (await db.query(`SELECT 1 FROM items i WHERE i.id = $1 AND ${CONFLICTED('$2')}`, [itemId, userId]))
        .length > 0,
  };
}
