import {
  itemFieldNames,
  type Item,
  type ItemFieldName,
  type ItemRevision,
  type ItemRevisionWithSnapshot,
  type ItemSplit,
} from '../../../../schema/item.ts';
import {
  COLUMN,
  encodeField,
  JSON_FIELDS,
  toItem,
  type ItemRow,
  type SqlValue,
} from '../../items/columns.ts';
import type { ItemUpdate, NewItem } from '../../items/records.ts';
import {
  type NewItemRevision,
  type RevisionRow,
  toRevision,
  toRevisionWithSnapshot,
} from '../../items/revisions.ts';
import type { PgDatabase } from '../database.ts';
import { SEARCH_COLUMNS, SEARCH_FIELDS, searchRow } from './search-text.ts';
import { ITEM_COLUMNS, Params, VISIBLE } from './sql.ts';

/** A field's value as a parameter: as on SQLite (JSON as text), except that booleans stay booleans. */
const encode = (field: ItemFieldName, value: unknown): SqlValue | boolean =>
  typeof value === 'boolean' ? value : encodeField(field, value);

const REVISION_COLUMNS = `r.id, r.item_id, r.version, r.user_id, u.display_name AS user_name, r.action, r.changes,
  r.created_at`;

/**
 * Item rows and their revisions. An item's folded search text is written with the row: by the same
 * statement on insert, in the same transaction on an update that changes a searchable field.
 */
export function pgRecordQueries(db: PgDatabase) {
  const insertColumns = [
    'uid',
    'dataset_id',
    'external_id',
    'status',
    'author_id',
    'version',
    'created_at',
    'updated_at',
    'submitted_at',
    ...itemFieldNames.map((f) => COLUMN[f]),
  ];
  const insertItem = `WITH item AS (
      INSERT INTO items (${insertColumns.join(', ')})
      VALUES (${insertColumns.map((_, n) => `$${n + 1}`).join(', ')}) RETURNING id)
    INSERT INTO items_search_text (item_id, ${SEARCH_COLUMNS.join(', ')})
    SELECT id, ${SEARCH_COLUMNS.map((_, k) => `$${insertColumns.length + k + 1}`).join(', ')} FROM item
    RETURNING item_id AS id`;

  const searchColumns = [...SEARCH_FIELDS].map((f) =>
    JSON_FIELDS.has(f) ? `${COLUMN[f]}::text AS ${COLUMN[f]}` : COLUMN[f],
  );

  return {
    /** Inserts one item row, searchable at once (`deferIndex` is SQLite's: nothing waits for an index here). */
    insert: async (item: NewItem, _options: { deferIndex?: boolean } = {}): Promise<number> => {
      const values: (SqlValue | boolean | string[])[] = [
        item.uid,
        item.datasetId,
        item.externalId,
        item.status,
        item.authorId,
        item.version,
        item.createdAt,
        item.updatedAt,
        item.submittedAt,
        ...itemFieldNames.map((f) => encode(f, item[f])),
        ...searchRow(item),
      ];
      const [row] = await db.query<{ id: number }>(insertItem, values);
      return row.id;
    },

    get: async (id: number): Promise<Item | undefined> => {
      const [row] = await db.query<ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM items i JOIN users u ON u.id = i.author_id WHERE i.id = $1 AND ${VISIBLE}`,
        [id],
      );
      return row && toItem(row);
    },

    /** Marks the item as a few-shot exemplar (`dev`) or not (`test`); no revision, the version stays. */
    setSplit: async (id: number, split: ItemSplit): Promise<boolean> =>
      (await db.execute('UPDATE items SET split = $1 WHERE id = $2', [split, id])) === 1,

    /**
     * Applies `changes` only if the item is still at `expectedVersion`, bumping the version by one: one
     * conditional UPDATE, so of two writers holding the same version one succeeds and the other gets false
     * (under READ COMMITTED the second waits for the first's row lock, then finds the version moved on).
     */
    update: async (id: number, expectedVersion: number, changes: ItemUpdate): Promise<boolean> => {
      const params = new Params();
      const sets = ['version = version + 1', `updated_at = ${params.add(changes.updatedAt)}`];
      let searched = false;
      for (const f of itemFieldNames) {
        if (changes[f] === undefined) continue;
        sets.push(`${COLUMN[f]} = ${params.add(encode(f, changes[f]))}`);
        if (SEARCH_FIELDS.has(f)) searched = true;
      }
      if (changes.status !== undefined) sets.push(`status = ${params.add(changes.status)}`);
      if (changes.submittedAt !== undefined) sets.push(`submitted_at = ${params.add(changes.submittedAt)}`);
      const sql = `UPDATE items SET ${sets.join(', ')}
        WHERE id = ${params.add(id)} AND version = ${params.add(expectedVersion)}`;
      if (!searched) return (await db.execute(sql, params.values)) === 1;
      return db.transaction(async () => {
        const [row] = await db.query<Record<string, unknown>>(
          `${sql} RETURNING ${searchColumns.join(', ')}`,
          params.values,
        );
        if (!row) return false;
        const search = searchRow({
          question: row.question as string,
          questionEn: row.question_en as string | null,
          options: JSON.parse(row.options as string) as string[],
          notes: row.notes as string | null,
          referenceAnswer: row.reference_answer as string | null,
          answerEn: row.answer_en as string | null,
          acceptedAnswers: JSON.parse(row.accepted_answers as string) as string[],
          rationale: row.rationale as string | null,
        });
        await db.execute(
          `UPDATE items_search_text SET ${SEARCH_COLUMNS.map((c, k) => `${c} = $${k + 1}`).join(', ')}
           WHERE item_id = $${SEARCH_COLUMNS.length + 1}`,
          [...search, id],
        );
        return true;
      });
    },

    insertRevision: async (r: NewItemRevision): Promise<void> => {
      await db.execute(
        `INSERT INTO item_revisions (item_id, version, user_id, action, changes, snapshot, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          r.itemId,
          r.version,
          r.userId,
          r.action,
          JSON.stringify(r.changes),
          JSON.stringify(r.snapshot),
          r.createdAt,
        ],
      );
    },

    /** Revisions of an item, newest first, without snapshots. */
    listRevisions: async (itemId: number): Promise<ItemRevision[]> =>
      (
        await db.query<RevisionRow>(
          `SELECT ${REVISION_COLUMNS} FROM item_revisions r JOIN users u ON u.id = r.user_id
           WHERE r.item_id = $1 ORDER BY r.version DESC`,
          [itemId],
        )
      ).map(toRevision),

    getRevision: async (itemId: number, version: number): Promise<ItemRevisionWithSnapshot | undefined> => {
      const [r] = await db.query<RevisionRow>(
        `SELECT ${REVISION_COLUMNS}, r.snapshot FROM item_revisions r JOIN users u ON u.id = r.user_id
         WHERE r.item_id = $1 AND r.version = $2`,
        [itemId, version],
      );
      return r && toRevisionWithSnapshot(r);
    },
  };
}
