import type { Db } from '../connection.ts';
import { VISIBLE } from '../items/visibility.ts';

export interface ProvenanceEntry {
  importId: number;
  fileName: string;
  row: number;
  action: 'created' | 'updated' | 'unchanged';
  userId: number;
  userName: string;
  at: string;
}

/** An import_items row with its import's file, user and time, as both engines read it. */
export interface ProvenanceRow {
  import_id: number;
  file_name: string;
  row: number;
  action: ProvenanceEntry['action'];
  user_id: number;
  user_name: string;
  at: string;
}

export const toProvenanceEntry = (r: ProvenanceRow): ProvenanceEntry => ({
  importId: r.import_id,
  fileName: r.file_name,
  row: r.row,
  action: r.action,
  userId: r.user_id,
  userName: r.user_name,
  at: r.at,
});

/** Which import created or changed which item, from which row; and the external ids an import matches on. */
export function provenanceQueries(db: Db) {
  const externalIds = db.prepare<[number], { id: number; external_id: string }>(
    `SELECT id, external_id FROM items i WHERE dataset_id = ? AND external_id IS NOT NULL AND ${VISIBLE}`,
  );
  const addProvenance = db.prepare(
    'INSERT INTO import_items (import_id, item_id, row, action) VALUES (?, ?, ?, ?)',
  );
  const provenance = db.prepare<[number], ProvenanceRow>(
    `SELECT p.import_id, i.file_name, p.row, p.action, i.user_id, u.display_name AS user_name,
       coalesce(i.finished_at, i.created_at) AS at
     FROM import_items p JOIN imports i ON i.id = p.import_id JOIN users u ON u.id = i.user_id
     WHERE p.item_id = ? ORDER BY p.import_id DESC`,
  );

  return {
    /** external id → item id for one dataset. */
    externalIds: (datasetId: number): Map<string, number> =>
      new Map(externalIds.all(datasetId).map((r) => [r.external_id, r.id])),
    addProvenance: (
      importId: number,
      itemId: number,
      row: number,
      action: ProvenanceEntry['action'],
    ): void => {
      addProvenance.run(importId, itemId, row, action);
    },
    /** Every import that touched an item, newest first. */
    provenanceOf: (itemId: number): ProvenanceEntry[] => provenance.all(itemId).map(toProvenanceEntry),
  };
}
