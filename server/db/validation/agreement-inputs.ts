import type { ItemStatus } from '../../../schema/item.ts';
import type { Db } from '../connection.ts';
import { VISIBLE } from '../items.ts';

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

/** What the agreement report reads, as compact as SQLite can hand it over. */
export function agreementInputQueries(db: Db) {
  const VERDICT_CODE = (column: string) => `(CASE ${column} WHEN 'yes' THEN 0 WHEN 'no' THEN 1 ELSE 2 END)`;
  const ratings = db.prepare<[number], { json: string | null }>(
    `SELECT '[' || group_concat(item_id || ',' || round || ',' || validator_id || ',' ||
       (${VERDICT_CODE('grounded')} + 3 * ${VERDICT_CODE('correct')} + 9 * quality + 54 * coalesce(own_answer_matches, 2))
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
    /** Agreement inputs: submitted ordinary validations of a dataset, ordered by item and round. */
    ratings: (datasetId: number): RatingList =>
      JSON.parse(ratings.get(datasetId)!.json ?? '[]') as RatingList,
    /** Every item of a dataset (optionally one language) with its top-level category and round. */
    agreementItems: (datasetId: number, language?: string): AgreementItemTuple[] =>
      JSON.parse(agreementItems.get({ datasetId, language: language ?? null })!.json) as AgreementItemTuple[],
    goldResults: (datasetId: number, language?: string): GoldResultTuple[] =>
      goldResults.raw().all({ datasetId, language: language ?? null }),
    userNames: (ids: readonly number[]): Map<number, string> =>
      new Map(userNames.all(JSON.stringify(ids)).map((r) => [r.id, r.display_name])),
  };
}
