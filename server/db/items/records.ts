import {
  itemFieldNames,
  type Item,
  type ItemFields,
  type ItemSplit,
  type ItemStatus,
} from '../../../schema/item.ts';
import type { Db } from '../connection.ts';
import { COLUMN, encodeField, statementCache, toItem, type ItemRow, type SqlValue } from './columns.ts';
import { VISIBLE } from './visibility.ts';

/** An item row as the application writes it; also what bulk loaders (seed, import) insert. */
export interface NewItem extends ItemFields {
  uid: string;
  datasetId: number;
  externalId: string | null;
  status: ItemStatus;
  authorId: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
}

/** What one conditional update may change besides the version, which always goes up by one. */
export type ItemUpdate = Partial<ItemFields> & {
  status?: ItemStatus;
  submittedAt?: string | null;
  updatedAt: string;
};

/**
 * Item rows: inserted, read one at a time, changed under a version check. `indexItems` indexes a new item for
 * search in its own insert (search-index.ts).
 */
export function recordQueries(db: Db, indexItems: (ids: number[]) => void) {
  const prepared = statementCache(db);
  const insertItem = db.prepare(
    `INSERT INTO items (uid, dataset_id, external_id, status, author_id, version, created_at, updated_at,
       submitted_at, ${itemFieldNames.map((f) => COLUMN[f]).join(', ')})
     VALUES (@uid, @datasetId, @externalId, @status, @authorId, @version, @createdAt, @updatedAt,
       @submittedAt, ${itemFieldNames.map((f) => `@${f}`).join(', ')})`,
  );
  const setSplit = db.prepare<[ItemSplit, number]>('UPDATE items SET split = ? WHERE id = ?');
  const byId = db.prepare<[number], ItemRow>(
    `SELECT i.*, u.display_name AS author_name FROM items i JOIN users u ON u.id = i.author_id
     WHERE i.id = ? AND ${VISIBLE}`,
  );

  return {
    /**
     * Inserts one item row and returns its id; the item is searchable at once. Use inside
     * `repos.transaction` for bulk loads; with `deferIndex` the item only joins the search-index queue
     * (a search still finds it), and the loader calls catchUpSearchIndex afterwards, set-based.
     */
    insert: (item: NewItem, options: { deferIndex?: boolean } = {}): number => {
      const params: Record<string, SqlValue> = {
        uid: item.uid,
        datasetId: item.datasetId,
        externalId: item.externalId,
        status: item.status,
        authorId: item.authorId,
        version: item.version,
        createdAt: item.createdAt,
        updatedAt: item.updatedAt,
        submittedAt: item.submittedAt,
      };
      for (const f of itemFieldNames) params[f] = encodeField(f, item[f]);
      const id = Number(insertItem.run(params).lastInsertRowid);
      if (!options.deferIndex) indexItems([id]);
      return id;
    },

    get: (id: number): Item | undefined => {
      const r = byId.get(id);
      return r && toItem(r);
    },

    /** Marks the item as a few-shot exemplar (`dev`) or not (`test`); no revision, the version stays. */
    setSplit: (id: number, split: ItemSplit): boolean => setSplit.run(split, id).changes === 1,

    /**
     * Applies `changes` only if the item is still at `expectedVersion`, bumping the version by one.
     * Returns false when the item moved on (or does not exist): the caller reports a stale write.
     */
    update: (id: number, expectedVersion: number, changes: ItemUpdate): boolean => {
      const sets = ['version = version + 1', 'updated_at = @updatedAt'];
      const params: Record<string, SqlValue> = { id, expectedVersion, updatedAt: changes.updatedAt };
      for (const f of itemFieldNames) {
        if (changes[f] === undefined) continue;
        sets.push(`${COLUMN[f]} = @${f}`);
        params[f] = encodeField(f, changes[f]);
      }
      if (changes.status !== undefined) {
        sets.push('status = @status');
        params.status = changes.status;
      }
      if (changes.submittedAt !== undefined) {
        sets.push('submitted_at = @submittedAt');
        params.submittedAt = changes.submittedAt;
      }
      const sql = `UPDATE items SET ${sets.join(', ')} WHERE id = @id AND version = @expectedVersion`;
      return prepared(sql).run(params).changes === 1;
    },
  };
}
