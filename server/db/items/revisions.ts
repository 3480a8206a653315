import type { Item, ItemRevision, ItemRevisionWithSnapshot } from '../../../schema/item.ts';
import type { Db } from '../connection.ts';

export interface NewItemRevision {
  itemId: number;
  version: number;
  userId: number;
  action: ItemRevision['action'];
  changes: ItemRevision['changes'];
  snapshot: Item;
  createdAt: string;
}

/** An item_revisions row with its author's name (the snapshot only where asked for), as both engines read it. */
export interface RevisionRow {
  id: number;
  item_id: number;
  version: number;
  user_id: number;
  user_name: string;
  action: ItemRevision['action'];
  changes: string;
  snapshot?: string;
  created_at: string;
}

export const toRevision = (r: RevisionRow): ItemRevision => ({
  id: r.id,
  itemId: r.item_id,
  version: r.version,
  userId: r.user_id,
  userName: r.user_name,
  action: r.action,
  changes: JSON.parse(r.changes) as ItemRevision['changes'],
  createdAt: r.created_at,
});

/** A revision read with its snapshot (getRevision). */
export const toRevisionWithSnapshot = (r: RevisionRow): ItemRevisionWithSnapshot => ({
  ...toRevision(r),
  snapshot: JSON.parse(r.snapshot!) as Item,
});

/** An item's revisions: one per saved version, with what changed and a snapshot of the item. */
export function revisionQueries(db: Db) {
  const insertRevision = db.prepare(
    `INSERT INTO item_revisions (item_id, version, user_id, action, changes, snapshot, created_at)
     VALUES (@itemId, @version, @userId, @action, @changes, @snapshot, @createdAt)`,
  );
  const revisionsOf = db.prepare<[number], RevisionRow>(
    `SELECT r.id, r.item_id, r.version, r.user_id, u.display_name AS user_name, r.action, r.changes, r.created_at
     FROM item_revisions r JOIN users u ON u.id = r.user_id
     WHERE r.item_id = ? ORDER BY r.version DESC`,
  );
  const revision = db.prepare<[number, number], RevisionRow>(
    `SELECT r.id, r.item_id, r.version, r.user_id, u.display_name AS user_name, r.action, r.changes,
       r.snapshot, r.created_at
     FROM item_revisions r JOIN users u ON u.id = r.user_id
     WHERE r.item_id = ? AND r.version = ?`,
  );

  return {
    insertRevision: (r: NewItemRevision): void => {
      insertRevision.run({
        ...r,
        changes: JSON.stringify(r.changes),
        snapshot: JSON.stringify(r.snapshot),
      });
    },

    /** Revisions of an item, newest first, without snapshots. */
    listRevisions: (itemId: number): ItemRevision[] => revisionsOf.all(itemId).map(toRevision),

    getRevision: (itemId: number, version: number): ItemRevisionWithSnapshot | undefined => {
      const r = revision.get(itemId, version);
      return r && toRevisionWithSnapshot(r);
    },
  };
}
