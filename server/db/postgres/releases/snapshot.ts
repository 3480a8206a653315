import type { ReleaseItem } from '../../../../schema/release.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import type { snapshotQueries } from '../../releases/snapshot.ts';
import type { PgDatabase } from '../database.ts';

/**
 * The frozen items of a release (release_items) on PostgreSQL (server/db/releases/snapshot.ts): staged by its build,
 * removed if unfinished, read page by page in uid order (release_items.uid is COLLATE "C": SQLite's order).
 */
export function pgSnapshotQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof snapshotQueries>> {
  const texts = async (releaseId: number, afterUid: string, limit: number) =>
    (
      await db.query<{ snapshot: string }>(
        'SELECT snapshot FROM release_items WHERE release_id = $1 AND uid > $2 ORDER BY uid LIMIT $3',
        [releaseId, afterUid, limit],
      )
    ).map((r) => r.snapshot);

  return {
    // One statement for the slice.
    stageItems: async (releaseId, rows) => {
      if (rows.length === 0) return;
      await db.execute(
        `INSERT INTO release_items (release_id, uid, language, item_id, snapshot)
         SELECT $1, r.uid, r.language, r."itemId", r.snapshot
         FROM ROWS FROM (json_to_recordset($2::json) AS (uid text, language text, "itemId" bigint, snapshot text))
           WITH ORDINALITY AS r(uid, language, "itemId", snapshot, n)
         ORDER BY r.n`,
        [releaseId, JSON.stringify(rows)],
      );
    },
    removeStaged: (releaseId, limit) =>
      db.execute(
        `DELETE FROM release_items WHERE id IN
           (SELECT ri.id FROM release_items ri JOIN releases r ON r.id = ri.release_id
            WHERE ri.release_id = $1 AND r.state <> 'published' AND NOT r.snapshot_complete LIMIT $2)`,
        [releaseId, limit],
      ),
    hasGoldItem: async (id) =>
      (
        await db.query<{ e: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM gold_items g JOIN release_items ri
             ON ri.item_id = g.item_id AND ri.release_id = $1) AS e`,
          [id],
        )
      )[0].e,
    snapshotTexts: texts,
    snapshotPage: async (releaseId, afterUid, limit) =>
      (await texts(releaseId, afterUid, limit)).map((text) => JSON.parse(text) as ReleaseItem),
  };
}
