import type { OwnAnswer, ValidationInput } from '../../../../schema/validation.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import type { Candidate, NewTask, TaskRecord, taskQueries } from '../../validation/tasks.ts';
import type { PgDatabase } from '../database.ts';
import { type TaskRow, toTask } from '../../validation/rows.ts';
import { TASK_COLUMNS } from './rows.ts';
import { VISIBLE } from '../items/sql.ts';

/**
 * The key of the transaction-scoped advisory lock under which tasks are assigned (any fixed number: it only
 * has to be the same on every instance and used for nothing else).
 *
 * Why a lock rather than `FOR UPDATE SKIP LOCKED` on the candidate item: an item takes several validators
 * (validators_per_item), so a validator who skipped an item another validator holds would be told "nothing
 * left" while places are free — a missing assignment. And locking one item per language in the caller's
 * order would deadlock two validators whose languages come in different orders. One lock, held from the
 * first read of an assignment to its commit, gives what SQLite's one writer (BEGIN IMMEDIATE) gives: every
 * assignment reads what the previous one wrote, so no item is overfilled and no validator gets two tasks.
 * It is taken in a statement of its own: in READ COMMITTED each statement reads a snapshot taken when it
 * starts, so the reads that follow see every assignment committed before the lock was granted.
 */
export const TASK_ASSIGNMENT_LOCK = 7_240_012;
export const TAKE_ASSIGNMENT_LOCK = `SELECT pg_advisory_xact_lock(${TASK_ASSIGNMENT_LOCK})`;

/**
 * The oldest item in $1 (language) that still needs a validator and $2 (user) may take, in dataset $3 when
 * given; never a gold item. Exported for the test that checks its plan.
 */
export const NEXT_CANDIDATE = `SELECT i.id AS item_id, i.dataset_id, coalesce(s.round, 1) AS round
  FROM items i LEFT JOIN item_validation s ON s.item_id = i.id
  WHERE i.language = $1 AND i.status IN ('submitted', 'in_validation') AND ${VISIBLE}
    AND i.author_id <> $2
    AND ($3::bigint IS NULL OR i.dataset_id = $3)
    AND NOT EXISTS (SELECT 1 FROM gold_items g WHERE g.item_id = i.id)
    AND NOT EXISTS (SELECT 1 FROM validations v
                    WHERE v.item_id = i.id AND v.round = coalesce(s.round, 1) AND v.validator_id = $2)
    AND (SELECT count(*) FROM validations v WHERE v.item_id = i.id AND v.round = coalesce(s.round, 1))
        < (SELECT d.validators_per_item FROM datasets d WHERE d.id = i.dataset_id)
  ORDER BY i.id LIMIT 1`;

/** Items waiting for validation in $1 (languages), not gold, as the queue counts them (alias `i`). */
const AWAITING = `i.language = ANY ($1::text[]) AND i.status IN ('submitted', 'in_validation')`;
const QUEUED = `${AWAITING} AND ${VISIBLE} AND NOT EXISTS (SELECT 1 FROM gold_items g WHERE g.item_id = i.id)`;
/**
 * What is left for $2 (user) in $1 (languages): not their own, not done by them in the current round, and not
 * full without them (a full round still open has a leased task, so full items are found from the leases).
 */
const VALIDATION_PROGRESS = `SELECT
  (SELECT count(*) FROM items i WHERE ${QUEUED}) AS total,
  (SELECT count(*) FROM items i WHERE i.author_id = $2 AND ${QUEUED}) AS own,
  (SELECT count(DISTINCT v.item_id) FROM validations v JOIN items i ON i.id = v.item_id
     LEFT JOIN item_validation s ON s.item_id = i.id
   WHERE v.validator_id = $2 AND v.status = 'submitted' AND v.round = coalesce(s.round, 1)
     AND i.author_id <> $2 AND ${QUEUED}) AS done,
  (SELECT count(*) FROM items i LEFT JOIN item_validation s ON s.item_id = i.id JOIN datasets d ON d.id = i.dataset_id
   WHERE i.id IN (SELECT item_id FROM validations WHERE status = 'leased')
     AND i.author_id <> $2 AND ${QUEUED}
     AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND v.round = coalesce(s.round, 1)
                     AND v.validator_id = $2 AND v.status = 'submitted')
     AND (SELECT count(*) FROM validations v WHERE v.item_id = i.id AND v.round = coalesce(s.round, 1)
          AND v.validator_id <> $2) >= d.validators_per_item) AS "full"`;

/**
 * Validation tasks (PostgreSQL): a validator leases a task on an item (or a gold item), answers it, submits it
 * or gives it back, or its lease runs out; and what is left for a validator in their languages. The methods an
 * assignment reads and writes with (reclaimExpired, heldTask, goldCandidate, nextCandidate, insertTask) take
 * the assignment lock first; inside the caller's transaction it is held until the commit.
 */
export function pgTaskQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof taskQueries>> {
  const lock = () => db.query(TAKE_ASSIGNMENT_LOCK);

  return {
    /** Deletes the tasks whose lease is up (by the rows' expires_at: any instance may): their items need a validator again. */
    async reclaimExpired(now: string): Promise<number> {
      await lock();
      return db.execute(`DELETE FROM validations WHERE status = 'leased' AND expires_at <= $1`, [now]);
    },
    async heldTask(userId: number, now: string, datasetId?: number): Promise<TaskRecord | undefined> {
      await lock();
      const [r] = await db.query<TaskRow>(
        `SELECT ${TASK_COLUMNS} FROM validations v JOIN items i ON i.id = v.item_id
         WHERE v.validator_id = $1 AND v.status = 'leased' AND v.expires_at > $2 AND ($3::bigint IS NULL OR i.dataset_id = $3)
         ORDER BY v.id LIMIT 1`,
        [userId, now, datasetId ?? null],
      );
      return r && toTask(r);
    },
    roundOf: async (itemId: number): Promise<number> =>
      (await db.query<{ round: number }>('SELECT round FROM item_validation WHERE item_id = $1', [itemId]))[0]
        ?.round ?? 1,
    async nextCandidate(
      userId: number,
      language: string,
      datasetId?: number,
    ): Promise<Candidate | undefined> {
      await lock();
      const [r] = await db.query<{ item_id: number; dataset_id: number; round: number }>(NEXT_CANDIDATE, [
        language,
        userId,
        datasetId ?? null,
      ]);
      return r && { itemId: r.item_id, datasetId: r.dataset_id, round: r.round };
    },
    /** A random gold item in the user's languages that they have never validated (as gold or not). */
    async goldCandidate(userId: number, languages: readonly string[], datasetId?: number) {
      await lock();
      const [r] = await db.query<{ item_id: number; dataset_id: number }>(
        `SELECT i.id AS item_id, i.dataset_id FROM gold_items g JOIN items i ON i.id = g.item_id
         WHERE i.language = ANY ($1::text[]) AND i.author_id <> $2 AND i.status <> 'draft'
           AND ($3::bigint IS NULL OR i.dataset_id = $3)
           AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND v.validator_id = $2)
         ORDER BY random() LIMIT 1`,
        [[...languages], userId, datasetId ?? null],
      );
      return r && { itemId: r.item_id, datasetId: r.dataset_id };
    },
    async insertTask(l: NewTask): Promise<number> {
      await lock();
      const [r] = await db.query<{ id: number }>(
        `INSERT INTO validations (item_id, dataset_id, round, validator_id, gold, item_version, status, leased_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'leased', $7, $8) RETURNING id`,
        [l.itemId, l.datasetId, l.round, l.validatorId, l.gold, l.itemVersion, l.leasedAt, l.expiresAt],
      );
      return r.id;
    },
    async getTask(id: number): Promise<TaskRecord | undefined> {
      const [r] = await db.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM validations v WHERE v.id = $1`, [id]);
      return r && toTask(r);
    },
    /**
     * Takes the own answer once: only while the task is leased and has none (a conditional UPDATE: two answers
     * sent at once through two instances both read "no answer yet"; the second changes nothing and gets false).
     */
    setOwnAnswer: async (
      id: number,
      ownAnswer: OwnAnswer,
      match: boolean | null,
      at: string,
    ): Promise<boolean> =>
      (await db.execute(
        `UPDATE validations SET own_answer = $2, own_answer_matches = $3, own_answer_at = $4
         WHERE id = $1 AND status = 'leased' AND own_answer IS NULL`,
        [id, JSON.stringify(ownAnswer), match, at],
      )) === 1,
    /**
     * Submits a leased task. The item's row is locked first, until the caller's transaction ends: the caller
     * then counts the round's validations (roundValidations) to decide whether the round is complete, and two
     * last validations submitted at once through two instances would each count without the other's (READ
     * COMMITTED) and neither complete the round. With the lock, the second counts after the first has committed.
     * duration_ms as SQLite computes it: milliseconds from lease to submit, rounded half away from zero.
     */
    async submit(id: number, v: ValidationInput, at: string): Promise<boolean> {
      await db.query(
        'SELECT 1 FROM items WHERE id = (SELECT item_id FROM validations WHERE id = $1) FOR NO KEY UPDATE',
        [id],
      );
      const changed = await db.execute(
        `UPDATE validations SET status = 'submitted', grounded = $2, correct = $3, category = $4,
           category_path = $5, quality = $6, comment = $7, submitted_at = $8,
           duration_ms = greatest(0, round(extract(epoch FROM $8::timestamptz - leased_at) * 1000))::integer
         WHERE id = $1 AND status = 'leased'`,
        [id, v.grounded, v.correct, v.category, v.categoryPath, v.quality, v.comment, at],
      );
      return changed === 1;
    },
    giveBackTask: async (id: number): Promise<boolean> =>
      (await db.execute(`DELETE FROM validations WHERE id = $1 AND status = 'leased'`, [id])) === 1,
    async setLeaseExpiry(id: number, expiresAt: string): Promise<void> {
      await db.execute('UPDATE validations SET expires_at = $1 WHERE id = $2', [expiresAt, id]);
    },
    /**
     * Items awaiting validation in `languages`: all, the user's own, and those left for the user — SQLite's
     * formula (server/db/validation/tasks.ts): left = total − own − done − full, each counted from a small
     * set (the waiting items once, the user's items, the user's validations, the items with a lease held)
     * rather than by visiting every waiting item's validations.
     */
    async validationProgress(userId: number, languages: readonly string[]) {
      // The difference here, not in SQL: PostgreSQL would count total and own twice, inlining the subquery.
      const [r] = await db.query<{ total: number; own: number; done: number; full: number }>(
        VALIDATION_PROGRESS,
        [[...languages], userId],
      );
      return { total: r.total, own: r.own, left: r.total - r.own - r.done - r.full };
    },
    heldGoldTasks: async (userId: number, now: string): Promise<number> =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*) AS n FROM validations
           WHERE validator_id = $1 AND status = 'leased' AND gold AND expires_at > $2`,
          [userId, now],
        )
      )[0].n,
  };
}
