import type { Decision, ReviewDecision, ReviewQueueEntry } from '../../../schema/validation.ts';
import type { Db } from '../connection.ts';

export interface ReviewQueueFilter {
  languages: readonly string[] | null;
  /** The reviewer asking: items they wrote or validated are left out. */
  caller: number;
  dataset?: number;
  language?: string;
  limit: number;
  offset: number;
}

/** A review decision's row, with its reviewer's name (both engines). */
export interface DecisionRow {
  id: number;
  item_id: number;
  round: number;
  item_version: number;
  reviewer_id: number | null;
  reviewer_name: string | null;
  decision: Decision;
  message: string | null;
  created_at: string;
}

export const toDecision = (r: DecisionRow): ReviewDecision => ({
  id: r.id,
  itemId: r.item_id,
  round: r.round,
  itemVersion: r.item_version,
  reviewerId: r.reviewer_id,
  reviewerName: r.reviewer_name,
  decision: r.decision,
  message: r.message,
  createdAt: r.created_at,
});

/** A row of the review queue (both engines; PostgreSQL selects free_reviewer as 0/1). */
export interface ReviewQueueRow {
  id: number;
  uid: string;
  dataset_id: number;
  language: string;
  kind: ReviewQueueEntry['kind'];
  format: ReviewQueueEntry['format'];
  question: string;
  primary_category: string | null;
  hazard: string | null;
  author_name: string;
  validations: number | null;
  agreement: number | null;
  updated_at: string;
  /** 1 when an active reviewer of the item's language without a conflict exists, else 0. */
  free_reviewer: number;
}

export const toReviewQueueEntry = (r: ReviewQueueRow): ReviewQueueEntry => ({
  id: r.id,
  uid: r.uid,
  datasetId: r.dataset_id,
  language: r.language,
  kind: r.kind,
  format: r.format,
  question: r.question,
  primaryCategory: r.primary_category,
  hazard: r.hazard,
  authorName: r.author_name,
  validations: r.validations ?? 0,
  agreement: r.agreement,
  updatedAt: r.updated_at,
  waitsForMaintainer: r.free_reviewer === 0,
});

/**
 * Conflict of interest, the same SQL on both engines: nobody decides an item (`i`) they wrote or validated
 * (in any round). `user` is an SQL expression naming the user.
 */
export const CONFLICTED = (user: string) =>
  `(i.author_id = ${user} OR EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND v.validator_id = ${user}))`;

/** Reviewers' decisions on items in review, the review queue and who may not decide an item. */
export function decisionQueries(db: Db) {
  const insertDecision = db.prepare(
    `INSERT INTO review_decisions (item_id, round, item_version, reviewer_id, decision, message, created_at)
     VALUES (@itemId, @round, @itemVersion, @reviewerId, @decision, @message, @createdAt)`,
  );
  const decisionsOf = db.prepare<[number], DecisionRow>(
    `SELECT d.*, u.display_name AS reviewer_name FROM review_decisions d LEFT JOIN users u ON u.id = d.reviewer_id
     WHERE d.item_id = ? ORDER BY d.id DESC`,
  );
  const IN_REVIEW = `i.status = 'in_review'
       AND (@languages IS NULL OR i.language IN (SELECT value FROM json_each(@languages)))
       AND (@dataset IS NULL OR i.dataset_id = @dataset)
       AND (@language IS NULL OR i.language = @language)`;
  const QUEUE_WHERE = `${IN_REVIEW} AND NOT ${CONFLICTED('@caller')}`;
  // A reviewer (not a maintainer) who is active, has the item's language and no conflict with it.
  const FREE_REVIEWER = `EXISTS (SELECT 1 FROM users r JOIN user_languages l ON l.user_id = r.id AND l.language = i.language
       WHERE r.role = 'reviewer' AND r.disabled = 0 AND NOT ${CONFLICTED('r.id')})`;
  type QueueParams = {
    languages: string | null;
    caller: number;
    dataset: number | null;
    language: string | null;
  };
  const queuePage = db.prepare<QueueParams & { limit: number; offset: number }, ReviewQueueRow>(
    `SELECT i.id, i.uid, i.dataset_id, i.language, i.kind, i.format, i.question, i.primary_category, i.hazard,
       u.display_name AS author_name, s.validations, s.agreement, i.updated_at, ${FREE_REVIEWER} AS free_reviewer
     FROM items i JOIN users u ON u.id = i.author_id LEFT JOIN item_validation s ON s.item_id = i.id
     WHERE ${QUEUE_WHERE}
     ORDER BY s.agreement IS NULL, s.agreement, i.submitted_at, i.id LIMIT @limit OFFSET @offset`,
  );
  const queueCount = db.prepare<QueueParams, { n: number; all: number }>(
    `SELECT count(*) FILTER (WHERE NOT ${CONFLICTED('@caller')}) AS n, count(*) AS "all"
     FROM items i WHERE ${IN_REVIEW}`,
  );
  const conflicted = db.prepare<{ item: number; user: number }, { yes: number }>(
    `SELECT 1 AS yes FROM items i WHERE i.id = @item AND ${CONFLICTED('@user')}`,
  );

  return {
    insertDecision: (d: Omit<ReviewDecision, 'id' | 'reviewerName'>): void => void insertDecision.run(d),
    decisions: (itemId: number): ReviewDecision[] => decisionsOf.all(itemId).map(toDecision),

    /**
     * Items in review the caller may decide (not written or validated by them), lowest agreement first
     * (unknown agreement last), then oldest; `all` counts those they may not decide too.
     */
    reviewQueue(f: ReviewQueueFilter): { items: ReviewQueueEntry[]; total: number; all: number } {
      const params = {
        languages: f.languages === null ? null : JSON.stringify(f.languages),
        caller: f.caller,
        dataset: f.dataset ?? null,
        language: f.language ?? null,
      };
      const rows = queuePage.all({ ...params, limit: f.limit, offset: f.offset });
      const counts = queueCount.get(params)!;
      return {
        total: counts.n,
        all: counts.all,
        items: rows.map(toReviewQueueEntry),
      };
    },
    /** Whether `userId` wrote the item or validated it in any round (they may not decide it). */
    conflicted: (itemId: number, userId: number): boolean =>
      conflicted.get({ item: itemId, user: userId }) !== undefined,
  };
}
