import type { AsyncRepository } from '../../async-repository.ts';
import type {
  AgreementItemTuple,
  agreementInputQueries,
  GoldResultTuple,
  RatingList,
} from '../../validation/agreement-inputs.ts';
import type { PgDatabase } from '../database.ts';
import { VISIBLE } from '../items/sql.ts';

const VERDICT_CODE = (column: string) => `(CASE ${column} WHEN 'yes' THEN 0 WHEN 'no' THEN 1 ELSE 2 END)`;
/** The top-level category of an item: primary category for culture items, hazard for safety items. */
const TOP_CATEGORY = `coalesce(split_part(CASE WHEN i.kind = 'culture' THEN i.primary_category ELSE i.hazard END, '/', 1), '')`;

/**
 * What the agreement report reads (PostgreSQL), in the shapes the SQLite repository gives
 * (server/db/validation/agreement-inputs.ts). The ratings come as one text built by the server, as on SQLite:
 * for 300k validations one value is far cheaper than 300k rows through the driver.
 */
export function pgAgreementInputQueries(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof agreementInputQueries>> {
  return {
    async ratings(datasetId: number): Promise<RatingList> {
      // `||` as SQLite's: an entry with a NULL part is left out whole (string_agg skips NULLs).
      const [r] = await db.query<{ list: string | null }>(
        `SELECT string_agg(item_id || ',' || round || ',' || validator_id || ',' ||
             (${VERDICT_CODE('grounded')} + 3 * ${VERDICT_CODE('correct')} + 9 * quality
              + 54 * coalesce(own_answer_matches::int, 2))
             || ',' || CASE WHEN category = 'keep' THEN 'null' ELSE coalesce(to_json(category_path)::text, 'null') END
             || ',' || duration_ms,
           ',' ORDER BY item_id, round, validator_id) AS list
         FROM validations WHERE dataset_id = $1 AND status = 'submitted' AND NOT gold`,
        [datasetId],
      );
      return JSON.parse(`[${r?.list ?? ''}]`) as RatingList;
    },
    async agreementItems(datasetId: number, language?: string): Promise<AgreementItemTuple[]> {
      const [r] = await db.query<{ items: AgreementItemTuple[] }>(
        `SELECT coalesce(json_agg(json_build_array(i.id, i.language, ${TOP_CATEGORY}, i.status, coalesce(s.round, 1))
                                  ORDER BY i.id), '[]') AS items
         FROM items i LEFT JOIN item_validation s ON s.item_id = i.id
         WHERE i.dataset_id = $1 AND ($2::text IS NULL OR i.language = $2) AND ${VISIBLE}`,
        [datasetId, language ?? null],
      );
      return r.items;
    },
    async goldResults(datasetId: number, language?: string): Promise<GoldResultTuple[]> {
      const rows = await db.query<{ validator_id: number; matched: number; duration_ms: number }>(
        `SELECT v.validator_id, (v.grounded = g.grounded AND v.correct = g.correct)::int AS matched, v.duration_ms
         FROM validations v JOIN gold_items g ON g.item_id = v.item_id JOIN items i ON i.id = v.item_id
         WHERE v.dataset_id = $1 AND v.status = 'submitted' AND v.gold
           AND ($2::text IS NULL OR i.language = $2)
         ORDER BY v.item_id, v.validator_id`,
        [datasetId, language ?? null],
      );
      return rows.map((r) => [r.validator_id, r.matched, r.duration_ms]);
    },
    async userNames(ids: readonly number[]): Promise<Map<number, string>> {
      const rows = await db.query<{ id: number; display_name: string }>(
        'SELECT id, display_name FROM users WHERE id = ANY ($1::bigint[])',
        [[...ids]],
      );
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },
  };
}
