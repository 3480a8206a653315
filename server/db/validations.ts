import type { ItemStatus } from '../../schema/item.ts';
import type {
  CategoryVerdict,
  Decision,
  GoldItem,
  OwnAnswer,
  ReviewDecision,
  ReviewQueueEntry,
  Validation,
  ValidationInput,
  ValidationResolution,
  ValidationSettings,
  ValidationSummary,
  Verdict,
} from '../../schema/validation.ts';
import type { Db } from './connection.ts';
import { VISIBLE } from './items.ts';

const DEFAULT_SETTINGS = { goldRate: 0.1, leaseMinutes: 30 };
/** Round number of gold checks: they sit outside an item's own validation rounds. */
export const GOLD_ROUND = 0;

/** A validation slot as stored: a lease, or a submitted validation. */
export interface ValidationRow {
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
  ownAnswerMatch: boolean | null;
}

interface SlotRow {
  id: number;
  item_id: number;
  round: number;
  validator_id: number;
  gold: number;
  item_version: number;
  status: 'leased' | 'submitted';
  leased_at: string;
  expires_at: string;
  own_answer: string | null;
  own_answer_match: number | null;
}

const bool = (n: number | null): boolean | null => (n === null ? null : n === 1);

const toSlot = (r: SlotRow): ValidationRow => ({
  id: r.id,
  itemId: r.item_id,
  round: r.round,
  validatorId: r.validator_id,
  gold: r.gold === 1,
  itemVersion: r.item_version,
  status: r.status,
  leasedAt: r.leased_at,
  expiresAt: r.expires_at,
  ownAnswer: r.own_answer === null ? null : (JSON.parse(r.own_answer) as OwnAnswer),
  ownAnswerMatch: bool(r.own_answer_match),
});

interface ValidationViewRow extends SlotRow {
  validator_name: string;
  grounded: Verdict;
  correct: Verdict;
  category: CategoryVerdict;
  category_path: string | null;
  quality: number;
  comment: string | null;
  submitted_at: string;
}

const toValidation = (r: ValidationViewRow): Validation => ({
  id: r.id,
  itemId: r.item_id,
  round: r.round,
  itemVersion: r.item_version,
  validatorId: r.validator_id,
  validatorName: r.validator_name,
  grounded: r.grounded,
  correct: r.correct,
  category: r.category,
  categoryPath: r.category_path,
  quality: r.quality,
  comment: r.comment,
  ownAnswer: r.own_answer === null ? null : (JSON.parse(r.own_answer) as OwnAnswer),
  ownAnswerMatches: bool(r.own_answer_match),
  leasedAt: r.leased_at,
  submittedAt: r.submitted_at,
});

export interface Candidate {
  itemId: number;
  datasetId: number;
  round: number;
}

export interface NewLease {
  itemId: number;
  datasetId: number;
  round: number;
  validatorId: number;
  gold: boolean;
  itemVersion: number;
  leasedAt: string;
  expiresAt: string;
}

export interface ItemOutcome {
  round: number;
  validations: number;
  agreement: number | null;
  unanimous: boolean | null;
  resolution: ValidationResolution | null;
  updatedAt: string;
}

export interface ReviewQueueFilter {
  languages: readonly string[] | null;
  /** The reviewer asking: items they wrote or validated are left out. */
  caller: number;
  dataset?: number;
  language?: string;
  limit: number;
  offset: number;
}

/**
 * The submitted, non-gold validations of a dataset as the agreement report reads them: one flat list,
 * RATING_FIELDS entries per validation, ordered by item and round:
 * itemId, round, validatorId, answers, other category path (null = keep), durationMs — where `answers`
 * packs the rest into one integer: grounded + 3 × correct + 9 × quality + 54 × own answer, with verdicts
 * 0 yes / 1 no / 2 unsure and own answer 0 no match / 1 match / 2 not comparable. SQLite builds it as
 * one JSON document: for 300k validations that is several times faster than reading rows.
 */
export type RatingList = (number | string | null)[];
export const RATING_FIELDS = 6;

/** An item as the agreement report groups it: [id, language, top-level category, status, current round]. */
export type AgreementItemTuple = [number, string, string, ItemStatus, number];

/** A gold check: [validatorId, matched the expected answers (0/1), durationMs]. */
export type GoldResultTuple = [number, number, number];

/** The top-level category of an item: primary category for culture items, hazard for safety items. */
const CATEGORY_PATH = `(CASE WHEN i.kind = 'culture' THEN i.primary_category ELSE i.hazard END)`;
const TOP_CATEGORY = `coalesce(substr(${CATEGORY_PATH}, 1, instr(${CATEGORY_PATH} || '/', '/') - 1), '')`;

/** Validation leases, validations, gold items, decisions and the inputs of the agreement report. */
export function createValidationRepository(db: Db) {
  const settingsOf = db.prepare<[number], { gold_rate: number; lease_minutes: number }>(
    'SELECT gold_rate, lease_minutes FROM validation_settings WHERE dataset_id = ?',
  );
  const upsertSettings = db.prepare(
    `INSERT INTO validation_settings (dataset_id, gold_rate, lease_minutes) VALUES (@datasetId, @goldRate, @leaseMinutes)
     ON CONFLICT (dataset_id) DO UPDATE SET gold_rate = excluded.gold_rate, lease_minutes = excluded.lease_minutes`,
  );
  const reclaim = db.prepare<[string]>(`DELETE FROM validations WHERE status = 'leased' AND expires_at <= ?`);
  const held = db.prepare<[number, string, number | null, number | null], SlotRow>(
    `SELECT v.* FROM validations v JOIN items i ON i.id = v.item_id
     WHERE v.validator_id = ? AND v.status = 'leased' AND v.expires_at > ? AND (? IS NULL OR i.dataset_id = ?)
     ORDER BY v.id LIMIT 1`,
  );
  const roundOf = db.prepare<[number], { round: number }>(
    'SELECT round FROM item_validation WHERE item_id = ?',
  );
  // Walks the partial index in id order and stops at the first item with a free slot: the planner
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
  const insertLease = db.prepare(
    `INSERT INTO validations (item_id, dataset_id, round, validator_id, gold, item_version, status, leased_at, expires_at)
     VALUES (@itemId, @datasetId, @round, @validatorId, @gold, @itemVersion, 'leased', @leasedAt, @expiresAt)`,
  );
  const slotById = db.prepare<[number], SlotRow>('SELECT * FROM validations WHERE id = ?');
  const setOwnAnswer = db.prepare(
    `UPDATE validations SET own_answer = @ownAnswer, own_answer_match = @match, own_answer_at = @at
     WHERE id = @id AND status = 'leased'`,
  );
  const submit = db.prepare(
    `UPDATE validations SET status = 'submitted', grounded = @grounded, correct = @correct, category = @category,
       category_path = @categoryPath, quality = @quality, comment = @comment, submitted_at = @at,
       duration_ms = max(0, CAST(round((unixepoch(@at, 'subsec') - unixepoch(leased_at, 'subsec')) * 1000) AS INTEGER))
     WHERE id = @id AND status = 'leased'`,
  );
  const release = db.prepare<[number]>(`DELETE FROM validations WHERE id = ? AND status = 'leased'`);
  const setExpiry = db.prepare<[string, number]>('UPDATE validations SET expires_at = ? WHERE id = ?');
  const VALIDATION_VIEW = `SELECT v.*, u.display_name AS validator_name FROM validations v
     JOIN users u ON u.id = v.validator_id`;
  const roundValidations = db.prepare<[number, number], ValidationViewRow>(
    `${VALIDATION_VIEW} WHERE v.item_id = ? AND v.round = ? AND v.status = 'submitted' ORDER BY v.submitted_at, v.id`,
  );
  const allValidations = db.prepare<[number], ValidationViewRow>(
    `${VALIDATION_VIEW} WHERE v.item_id = ? AND v.status = 'submitted' AND v.gold = 0
     ORDER BY v.round DESC, v.submitted_at, v.id`,
  );
  const countRound = db.prepare<[number, number], { submitted: number; total: number }>(
    `SELECT count(*) FILTER (WHERE status = 'submitted') AS submitted, count(*) AS total
     FROM validations WHERE item_id = ? AND round = ?`,
  );
  const upsertOutcome = db.prepare(
    `INSERT INTO item_validation (item_id, round, validations, agreement, unanimous, resolution, updated_at)
     VALUES (@itemId, @round, @validations, @agreement, @unanimous, @resolution, @updatedAt)
     ON CONFLICT (item_id) DO UPDATE SET round = excluded.round, validations = excluded.validations,
       agreement = excluded.agreement, unanimous = excluded.unanimous, resolution = excluded.resolution,
       updated_at = excluded.updated_at`,
  );
  const setResolution = db.prepare<[string | null, string, number]>(
    'UPDATE item_validation SET resolution = ?, updated_at = ? WHERE item_id = ?',
  );
  const summaryOf = db.prepare<
    [string],
    {
      item_id: number;
      round: number;
      validations: number;
      agreement: number | null;
      unanimous: number | null;
      resolution: ValidationResolution | null;
    }
  >(
    `SELECT j.value AS item_id, coalesce(s.round, 1) AS round, coalesce(s.validations, 0) AS validations,
       s.agreement, s.unanimous, s.resolution
     FROM json_each(?) j LEFT JOIN item_validation s ON s.item_id = j.value`,
  );
  const insertDecision = db.prepare(
    `INSERT INTO review_decisions (item_id, round, item_version, reviewer_id, decision, message, created_at)
     VALUES (@itemId, @round, @itemVersion, @reviewerId, @decision, @message, @createdAt)`,
  );
  const decisionsOf = db.prepare<
    [number],
    {
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
  >(
    `SELECT d.*, u.display_name AS reviewer_name FROM review_decisions d LEFT JOIN users u ON u.id = d.reviewer_id
     WHERE d.item_id = ? ORDER BY d.id DESC`,
  );
  const IN_REVIEW = `i.status = 'in_review'
       AND (@languages IS NULL OR i.language IN (SELECT value FROM json_each(@languages)))
       AND (@dataset IS NULL OR i.dataset_id = @dataset)
       AND (@language IS NULL OR i.language = @language)`;
  /** Conflict of interest: nobody decides an item they wrote or validated (in any round). */
  const CONFLICTED = (user: string) =>
    `(i.author_id = ${user} OR EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND v.validator_id = ${user}))`;
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
  const queuePage = db.prepare<
    QueueParams & { limit: number; offset: number },
    {
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
      free_reviewer: number;
    }
  >(
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
  // Items waiting for validation in the caller's languages (gold items are not in the queue), how many are
  // theirs, and how many are left for them: not theirs, not yet validated by them in the current round, and a
  // slot free or held by them. Counted without visiting every waiting item (the total reads only the partial
  // index; ≈ 7 ms for 60k waiting items): what is not left is their own items, those they validated (from their
  // validations) and those full without them (a full round still open has a live lease, so from the leases).
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
  const conflicted = db.prepare<{ item: number; user: number }, { yes: number }>(
    `SELECT 1 AS yes FROM items i WHERE i.id = @item AND ${CONFLICTED('@user')}`,
  );
  const upsertGold = db.prepare(
    `INSERT INTO gold_items (item_id, grounded, correct, created_by, created_at)
     VALUES (@itemId, @grounded, @correct, @createdBy, @createdAt)
     ON CONFLICT (item_id) DO UPDATE SET grounded = excluded.grounded, correct = excluded.correct`,
  );
  const deleteGold = db.prepare<[number]>('DELETE FROM gold_items WHERE item_id = ?');
  const goldOf = db.prepare<[number], { grounded: Verdict; correct: Verdict }>(
    'SELECT grounded, correct FROM gold_items WHERE item_id = ?',
  );
  const goldList = db.prepare<
    [number],
    {
      item_id: number;
      uid: string;
      language: string;
      question: string;
      grounded: Verdict;
      correct: Verdict;
      created_at: string;
    }
  >(
    `SELECT g.item_id, i.uid, i.language, i.question, g.grounded, g.correct, g.created_at
     FROM gold_items g JOIN items i ON i.id = g.item_id WHERE i.dataset_id = ? ORDER BY g.item_id`,
  );
  const myStats = db.prepare<[number], { validations: number; gold: number; gold_correct: number }>(
    `SELECT count(*) FILTER (WHERE v.gold = 0) AS validations, count(*) FILTER (WHERE v.gold = 1) AS gold,
       count(*) FILTER (WHERE v.gold = 1 AND v.grounded = g.grounded AND v.correct = g.correct) AS gold_correct
     FROM validations v LEFT JOIN gold_items g ON g.item_id = v.item_id
     WHERE v.validator_id = ? AND v.status = 'submitted'`,
  );
  const VERDICT_CODE = (column: string) => `(CASE ${column} WHEN 'yes' THEN 0 WHEN 'no' THEN 1 ELSE 2 END)`;
  const ratings = db.prepare<[number], { json: string | null }>(
    `SELECT '[' || group_concat(item_id || ',' || round || ',' || validator_id || ',' ||
       (${VERDICT_CODE('grounded')} + 3 * ${VERDICT_CODE('correct')} + 9 * quality + 54 * coalesce(own_answer_match, 2))
       || ',' || CASE WHEN category = 'keep' THEN 'null' ELSE json_quote(category_path) END || ',' || duration_ms) || ']'
       AS json
     FROM (SELECT * FROM validations INDEXED BY validations_agreement
           WHERE dataset_id = ? AND status = 'submitted' AND gold = 0 ORDER BY item_id, round)`,
  );
  const agreementItems = db.prepare<{ datasetId: number; language: string | null }, { json: string }>(
    `SELECT json_group_array(json_array(i.id, i.language, ${TOP_CATEGORY}, i.status, coalesce(s.round, 1))) AS json
     FROM items i LEFT JOIN item_validation s ON s.item_id = i.id
     WHERE i.dataset_id = @datasetId AND (@language IS NULL OR i.language = @language) AND ${VISIBLE}`,
  );
  const goldResults = db.prepare<{ datasetId: number; language: string | null }, GoldResultTuple>(
    `SELECT v.validator_id, v.grounded = g.grounded AND v.correct = g.correct, v.duration_ms
     FROM validations v JOIN gold_items g ON g.item_id = v.item_id JOIN items i ON i.id = v.item_id
     WHERE v.dataset_id = @datasetId AND v.status = 'submitted' AND v.gold = 1
       AND (@language IS NULL OR i.language = @language)`,
  );
  const userNames = db.prepare<[string], { id: number; display_name: string }>(
    'SELECT id, display_name FROM users WHERE id IN (SELECT value FROM json_each(?))',
  );

  return {
    /** Runs `fn` in a write transaction taken up front (BEGIN IMMEDIATE), so no other connection interleaves. */
    immediate: <T>(fn: () => T): T => db.transaction(fn).immediate(),

    settings(datasetId: number): ValidationSettings {
      const r = settingsOf.get(datasetId);
      return r
        ? { datasetId, goldRate: r.gold_rate, leaseMinutes: r.lease_minutes }
        : { datasetId, ...DEFAULT_SETTINGS };
    },
    saveSettings: (s: ValidationSettings): void => void upsertSettings.run(s),

    /** Deletes leases whose time is up, returning their slots to the pool. */
    reclaimExpired: (now: string): number => reclaim.run(now).changes,
    /** The caller's live lease, if any (in `datasetId` when given). */
    heldLease(userId: number, now: string, datasetId?: number): ValidationRow | undefined {
      const r = held.get(userId, now, datasetId ?? null, datasetId ?? null);
      return r && toSlot(r);
    },
    /** The current validation round of an item (1 until it is resubmitted). */
    roundOf: (itemId: number): number => roundOf.get(itemId)?.round ?? 1,
    /** The oldest item in `language` with a free slot the user may take; gold items never. */
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
    insertLease: (l: NewLease): number =>
      Number(insertLease.run({ ...l, gold: l.gold ? 1 : 0 }).lastInsertRowid),
    getSlot(id: number): ValidationRow | undefined {
      const r = slotById.get(id);
      return r && toSlot(r);
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
    releaseLease: (id: number): boolean => release.run(id).changes === 1,
    /** Moves a lease's expiry (tests and admin tools: expire a lease without waiting). */
    setLeaseExpiry: (id: number, expiresAt: string): void => void setExpiry.run(expiresAt, id),

    countRound: (itemId: number, round: number) => countRound.get(itemId, round)!,
    roundValidations: (itemId: number, round: number): Validation[] =>
      roundValidations.all(itemId, round).map(toValidation),
    /** Every submitted ordinary validation of an item, newest round first. */
    itemValidations: (itemId: number): Validation[] => allValidations.all(itemId).map(toValidation),

    saveOutcome: (itemId: number, o: ItemOutcome): void =>
      void upsertOutcome.run({ itemId, ...o, unanimous: o.unanimous === null ? null : o.unanimous ? 1 : 0 }),
    setResolution: (itemId: number, resolution: ValidationResolution | null, at: string): void =>
      void setResolution.run(resolution, at, itemId),

    /** Validation count, agreement and resolution of each item's current round, in the order asked. */
    validationSummary(itemIds: readonly number[]): ValidationSummary[] {
      return summaryOf.all(JSON.stringify(itemIds)).map((r) => ({
        itemId: r.item_id,
        round: r.round,
        validations: r.validations,
        agreement: r.agreement,
        unanimous: bool(r.unanimous),
        resolution: r.resolution,
      }));
    },

    insertDecision: (d: Omit<ReviewDecision, 'id' | 'reviewerName'>): void => void insertDecision.run(d),
    decisions: (itemId: number): ReviewDecision[] =>
      decisionsOf.all(itemId).map((r) => ({
        id: r.id,
        itemId: r.item_id,
        round: r.round,
        itemVersion: r.item_version,
        reviewerId: r.reviewer_id,
        reviewerName: r.reviewer_name,
        decision: r.decision,
        message: r.message,
        createdAt: r.created_at,
      })),

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
        items: rows.map((r) => ({
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
        })),
      };
    },
    /** Whether `userId` wrote the item or validated it in any round (they may not decide it). */
    conflicted: (itemId: number, userId: number): boolean =>
      conflicted.get({ item: itemId, user: userId }) !== undefined,
    /** Items awaiting validation in `languages`: all, the user's own, and those left for the user. */
    validationProgress: (userId: number, languages: readonly string[]) =>
      validationProgress.get({ userId, languages: JSON.stringify(languages) })!,
    /** The user's live leases on gold items (at most one: a validator holds one task at a time). */
    heldGoldLeases: (userId: number, now: string): number => heldGold.get(userId, now)!.n,

    setGold: (g: {
      itemId: number;
      grounded: Verdict;
      correct: Verdict;
      createdBy: number;
      createdAt: string;
    }) => void upsertGold.run(g),
    removeGold: (itemId: number): boolean => deleteGold.run(itemId).changes === 1,
    gold: (itemId: number) => goldOf.get(itemId),
    listGold: (datasetId: number): GoldItem[] =>
      goldList.all(datasetId).map((r) => ({
        itemId: r.item_id,
        uid: r.uid,
        language: r.language,
        question: r.question,
        grounded: r.grounded,
        correct: r.correct,
        createdAt: r.created_at,
      })),
    myStats: (userId: number) => myStats.get(userId)!,

    /** Agreement inputs: submitted ordinary validations of a dataset, ordered by item and round. */
    ratings: (datasetId: number): RatingList =>
      JSON.parse(ratings.get(datasetId)!.json ?? '[]') as RatingList,
    /** Every item of a dataset (optionally one language) with its top-level category and round. */
    agreementItems: (datasetId: number, language?: string): AgreementItemTuple[] =>
      JSON.parse(agreementItems.get({ datasetId, language: language ?? null })!.json) as AgreementItemTuple[],
    goldResults: (datasetId: number, language?: string): GoldResultTuple[] =>
      goldResults.raw().all({ datasetId, language: language ?? null }) as unknown as GoldResultTuple[],
    userNames: (ids: readonly number[]): Map<number, string> =>
      new Map(userNames.all(JSON.stringify(ids)).map((r) => [r.id, r.display_name])),
  };
}
export type ValidationRepository = ReturnType<typeof createValidationRepository>;
