import type { ReleaseItem } from '../../../schema/release.ts';
import type { Db } from '../connection.ts';

/** The frozen items of a release (release_items): staged by its build, removed if unfinished, read page by page. */
export function snapshotQueries(db: Db) {
  const hasGold = db.prepare<[number], number>(
    `SELECT EXISTS (SELECT 1 FROM gold_items g CROSS JOIN release_items ri
       ON ri.item_id = g.item_id AND ri.release_id = ?)`,
  );
  hasGold.pluck();
  const insertItem = db.prepare(
    `INSERT INTO release_items (release_id, uid, language, item_id, snapshot) VALUES (?, ?, ?, ?, ?)`,
  );
  const deleteStaged = db.prepare(
    `DELETE FROM release_items WHERE rowid IN
       (SELECT ri.rowid FROM release_items ri JOIN releases r ON r.id = ri.release_id
        WHERE ri.release_id = ? AND r.state <> 'published' AND r.snapshot_complete = 0 LIMIT ?)`,
  );
  const itemsPage = db.prepare<[number, string, number], string>(
    'SELECT snapshot FROM release_items WHERE release_id = ? AND uid > ? ORDER BY uid LIMIT ?',
  );
  itemsPage.pluck();

  return {
    /** Stages frozen items of an unpublished release (the caller holds a short write transaction). */
    stageItems: (
      releaseId: number,
      rows: readonly { uid: string; language: string; itemId: number; snapshot: string }[],
    ): void => {
      for (const r of rows) insertItem.run(releaseId, r.uid, r.language, r.itemId, r.snapshot);
    },
    /**
     * Removes up to `limit` staged items of a release whose snapshot is not complete (never a published
     * release's); returns how many. Callers loop, one short transaction per call.
     */
    removeStaged: (releaseId: number, limit: number): number => deleteStaged.run(releaseId, limit).changes,
    /** Whether any item frozen in the release is a gold item now. */
    hasGoldItem: (id: number): boolean => hasGold.get(id) === 1,
    /** One page of a release's snapshot in uid order, after `afterUid`, as stored (ReleaseItem JSON). */
    snapshotTexts: (releaseId: number, afterUid: string, limit: number): string[] =>
      itemsPage.all(releaseId, afterUid, limit),
    /** One page of a release's snapshot in uid order, after `afterUid`. */
    snapshotPage: (releaseId: number, afterUid: string, limit: number): ReleaseItem[] =>
      itemsPage.all(releaseId, afterUid, limit).map((text) => JSON.parse(text) as ReleaseItem),
  };
}
