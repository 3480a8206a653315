import type { OwnAnswer, ValidationInput } from '../../../schema/validation.ts';
import type { Db } from '../connection.ts';
import { VISIBLE } from '../items.ts';
import { type TaskRow, toTask } from './rows.ts';

/** A validation task as stored: leased (held until `expiresAt`), then submitted as a validation. */
export interface TaskRecord {
  id: number;
  itemId: number;
  round: number;
  validatorId: number;
  gold: boolean;
  itemVersion: number;
  status: 'leased' | 'submitted';
  leasedAt: string;
  expiresAt: string;
  ownAnswer: OwnAnswer | null;
  ownAnswerMatches: boolean | null;
}

export interface Candidate {
  itemId: number;
  datasetId: number;
  round: number;
}

export interface NewTask {
  itemId: number;
  datasetId: number;
  round: number;
  validatorId: number;
  gold: boolean;
  itemVersion: number;
  leasedAt: string;
  expiresAt: string;
}

/**
 * Validation tasks: a validator leases a task on an item (or a gold item), answers it, submits it or gives it
 * back, or its lease runs out; and what is left for a validator in their languages.
 */
export function taskQueries(db: Db) {
  const reclaim = db.prepare<[string]>(`DELETE FROM validations WHERE status = 'leased' AND expires_at <= ?`);
  const held = db.prepare<[number, string, number | null, number | null], TaskRow>(
    `SELECT v.* FROM validations v JOIN items i ON i.id = v.item_id
     WHERE v.validator_id = ? AND v.status = 'leased' AND v.expires_at > ? AND (? IS NULL OR i.dataset_id = ?)
     ORDER BY v.id LIMIT 1`,
  );
  const roundOf = db.prepare<[number], { round: number }>(
    'SELECT round FROM item_validation WHERE item_id = ?',
  );
  // Walks the partial index in id order and stops at the first item that still needs a validator: the planner
  // must not start from datasets and sort every waiting item (INDEXED BY), hence no join on datasets.
  const candidate = db.prepare<
    { language: string; userId: number; datasetId: number | null },
    { item_id: number; dataset_id: number; round: number }
  >(
    `SELECT i.id AS item_id, i.dataset_id, coalesce(s.round, 1) AS round
     FROM items i INDEXED BY items_awaiting_validation
     LEFT JOIN item_validation s ON s.item_id = i.id
     WHERE i.language = @language AND i.status IN ('submitted', 'in_validation') AND ${VISIBLE}
       AND i.author_id <> @userId
       AND (@datasetId IS NULL OR i.dataset_id = @datasetId)
       AND NOT EXISTS (SELECT 1 FROM gold_items g WHERE g.item_id = i.id)
       AND NOT EXISTS (SELECT 1 FROM validations v
                       WHERE v.item_id = i.id AND v.round = coalesce(s.round, 1) AND v.validator_id = @userId)
       AND (SELECT count(*) FROM validations v WHERE v.item_id = i.id AND v.round = coalesce(s.round, 1))
           < (SELECT d.validators_per_item FROM datasets d WHERE d.id = i.dataset_id)
     ORDER BY i.id LIMIT 1`,
  );
  // From the (small) gold table outwards, never from items (CROSS JOIN fixes the order).
  const goldCandidate = db.prepare<
    { languages: string; userId: number; datasetId: number | null },
    { item_id: number; dataset_id: number }
  >(
    `SELECT i.id AS item_id, i.dataset_id FROM gold_items g CROSS JOIN items i ON i.id = g.item_id
     WHERE i.language IN (SELECT value FROM json_each(@languages)) AND i.author_id <> @userId
       AND i.status <> 'draft'
       AND (@datasetId IS NULL OR i.dataset_id = @datasetId)
       AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND v.validator_id = @userId)
     ORDER BY random() LIMIT 1`,
  );
  const insertTask = db.prepare(
    `INSERT INTO validations (item_id, dataset_id, round, validator_id, gold, item_version, status, leased_at, expires_at)
     VALUES (@itemId, @datasetId, @round, @validatorId, @gold, @itemVersion, 'leased', @leasedAt, @expiresAt)`,
  );
  const taskById = db.prepare<[number], TaskRow>('SELECT * FROM validations WHERE id = ?');
  const setOwnAnswer = db.prepare(
    `UPDATE validations SET own_answer = @ownAnswer, own_answer_matches = @match, own_answer_at = @at
     WHERE id = @id AND status = 'leased' AND own_answer IS NULL`,
  );
  const submit = db.prepare(
    `UPDATE validations SET status = 'submitted', grounded = @grounded, correct = @correct, category = @category,
       category_path = @categoryPath, quality = @quality, comment = @comment, submitted_at = @at,
       duration_ms = max(0, CAST(round((unixepoch(@at, 'subsec') - unixepoch(leased_at, 'subsec')) * 1000) AS INTEGER))
     WHERE id = @id AND status = 'leased'`,
  );
  const giveBack = db.prepare<[number]>(`DELETE FROM validations WHERE id = ? AND status = 'leased'`);
  const setExpiry = db.prepare<[string, number]>('UPDATE validations SET expires_at = ? WHERE id = ?');
  // Items waiting for validation in the caller's languages (gold items are not in the queue), how many are
  // theirs, and how many are left for them: not theirs, not yet validated by them in the current round, and
  // still needing a validator or held by them. Counted without visiting every waiting item (the total reads only
  // the partial index; ≈ 7 ms for 60k waiting items): what is not left is their own items, those they validated
  // (from their validations) and those full without them (a full round still open has a leased task, so from
  // the leased tasks).
  const AWAITING = `i.language IN (SELECT value FROM json_each(@languages)) AND i.status IN ('submitted', 'in_validation')`;
  const QUEUED = `${AWAITING} AND ${VISIBLE} AND NOT EXISTS (SELECT 1 FROM gold_items g WHERE g.item_id = i.id)`;
  const validationProgress = db.prepare<
    { languages: string; userId: number },
    { total: number; own: number; left: number }
  >(
    `SELECT total, own, total - own - done - "full" AS "left" FROM (SELECT
       (SELECT count(*) FROM items i INDEXED BY items_awaiting_validation WHERE ${AWAITING})
       - (SELECT count(*) FROM imports m CROSS JOIN items i INDEXED BY items_by_import ON i.import_id = m.id
          WHERE m.rows_hidden = 1 AND ${AWAITING})
       - (SELECT count(*) FROM gold_items g CROSS JOIN items i ON i.id = g.item_id WHERE ${AWAITING} AND ${VISIBLE})
         AS total,
       (SELECT count(*) FROM items i INDEXED BY items_by_author WHERE i.author_id = @userId AND ${QUEUED}) AS own,
       (SELECT count(DISTINCT v.item_id) FROM validations v INDEXED BY validations_by_validator
          CROSS JOIN items i ON i.id = v.item_id LEFT JOIN item_validation s ON s.item_id = i.id
        WHERE v.validator_id = @userId AND v.status = 'submitted' AND v.round = coalesce(s.round, 1)
          AND i.author_id <> @userId AND ${QUEUED}) AS done,
       (SELECT count(*) FROM items i LEFT JOIN item_validation s ON s.item_id = i.id JOIN datasets d ON d.id = i.dataset_id
        WHERE i.id IN (SELECT item_id FROM validations INDEXED BY validations_leases WHERE status = 'leased')
          AND i.author_id <> @userId AND ${QUEUED}
          AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND v.round = coalesce(s.round, 1)
                          AND v.validator_id = @userId AND v.status = 'submitted')
          AND (SELECT count(*) FROM validations v WHERE v.item_id = i.id AND v.round = coalesce(s.round, 1)
               AND v.validator_id <> @userId) >= d.validators_per_item) AS "full")`,
  );
  const heldGold = db.prepare<[number, string], { n: number }>(
    `SELECT count(*) AS n FROM validations
     WHERE validator_id = ? AND status = 'leased' AND gold = 1 AND expires_at > ?`,
  );

  return {
    /** Deletes the tasks whose lease is up: their items need a validator again. */
    reclaimExpired: (now: string): number => reclaim.run(now).changes,
    /** The caller's held task (its lease not expired), if any (in `datasetId` when given). */
    heldTask(userId: number, now: string, datasetId?: number): TaskRecord | undefined {
      const r = held.get(userId, now, datasetId ?? null, datasetId ?? null);
      return r && toTask(r);
    },
    /** The current validation round of an item (1 until it is resubmitted). */
    roundOf: (itemId: number): number => roundOf.get(itemId)?.round ?? 1,
    /** The oldest item in `language` that still needs a validator and the user may take; gold items never. */
    nextCandidate(userId: number, language: string, datasetId?: number): Candidate | undefined {
      const r = candidate.get({ language, userId, datasetId: datasetId ?? null });
      return r && { itemId: r.item_id, datasetId: r.dataset_id, round: r.round };
    },
    /** A random gold item in the user's languages that they have never validated (as gold or not). */
    goldCandidate(userId: number, languages: readonly string[], datasetId?: number) {
      const r = goldCandidate.get({
        languages: JSON.stringify(languages),
        userId,
        datasetId: datasetId ?? null,
      });
      return r && { itemId: r.item_id, datasetId: r.dataset_id };
    },
    insertTask: (l: NewTask): number =>
      Number(insertTask.run({ ...l, gold: l.gold ? 1 : 0 }).lastInsertRowid),
    getTask(id: number): TaskRecord | undefined {
      const r = taskById.get(id);
      return r && toTask(r);
    },
    setOwnAnswer: (id: number, ownAnswer: OwnAnswer, match: boolean | null, at: string): boolean =>
      setOwnAnswer.run({
        id,
        ownAnswer: JSON.stringify(ownAnswer),
        match: match === null ? null : match ? 1 : 0,
        at,
      }).changes === 1,
    submit: (id: number, v: ValidationInput, at: string): boolean =>
      submit.run({
        id,
        grounded: v.grounded,
        correct: v.correct,
        category: v.category,
        categoryPath: v.categoryPath,
        quality: v.quality,
        comment: v.comment,
        at,
      }).changes === 1,
    /** Gives a leased task back: its row goes, so the item's place is free again. */
    giveBackTask: (id: number): boolean => giveBack.run(id).changes === 1,
    /** Moves a lease's expiry (tests and admin tools: expire a lease without waiting). */
    setLeaseExpiry: (id: number, expiresAt: string): void => void setExpiry.run(expiresAt, id),
    /** Items awaiting validation in `languages`: all, the user's own, and those left for the user. */
    validationProgress: (userId: number, languages: readonly string[]) =>
      validationProgress.get({ userId, languages: JSON.stringify(languages) })!,
    /** The user's held tasks on gold items (at most one: a validator holds one task at a time). */
    heldGoldTasks: (userId: number, now: string): number => heldGold.get(userId, now)!.n,
  };
}
