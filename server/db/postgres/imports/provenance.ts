import type { AsyncRepository } from '../../async-repository.ts';
import { type ProvenanceRow, type provenanceQueries, toProvenanceEntry } from '../../imports/provenance.ts';
import type { PgDatabase } from '../database.ts';

/** Holds for an item (alias `i`) that readers may see: not created by an import whose rows are still hidden. */
export const VISIBLE =
  '(i.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports h WHERE h.id = i.import_id AND h.rows_hidden))';

/** Which import created or changed which item, from which row; and the external ids an import matches on. */
export function pgProvenanceQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof provenanceQueries>> {
  return {
    externalIds: async (datasetId) =>
      new Map(
        (
          await db.query<{ id: number; external_id: string }>(
            `SELECT id, external_id FROM items i
             WHERE dataset_id = $1 AND external_id IS NOT NULL AND ${VISIBLE} ORDER BY id`,
            [datasetId],
          )
        ).map((r) => [r.external_id, r.id]),
      ),
    addProvenance: async (importId, itemId, row, action) => {
      await db.execute('INSERT INTO import_items (import_id, item_id, row, action) VALUES ($1, $2, $3, $4)', [
        importId,
        itemId,
        row,
        action,
      ]);
    },
    provenanceOf: async (itemId) =>
      (
        await db.query<ProvenanceRow>(
          `SELECT p.import_id, i.file_name, p.row, p.action, i.user_id, u.display_name AS user_name,
             coalesce(i.finished_at, i.created_at) AS at
           FROM import_items p JOIN imports i ON i.id = p.import_id JOIN users u ON u.id = i.user_id
           WHERE p.item_id = $1 ORDER BY p.import_id DESC`,
          [itemId],
        )
      ).map(toProvenanceEntry),
  };
}
