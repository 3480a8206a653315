import { itemFieldNames, type ItemFieldName, type ItemFields } from '../../../../schema/item.ts';
import type { ImportStage, StagedMatch, StagedRow } from '../../imports/stage.ts';
import { COLUMN } from '../../items/columns.ts';
import type { PgDatabase } from '../database.ts';
import { SEARCH_COLUMNS, searchRow } from '../items/search-text.ts';
import { VISIBLE } from './provenance.ts';

const FIELD_COLUMNS = itemFieldNames.map((f) => COLUMN[f]);

/** A staged row's fields under their items column names, as import_stage.fields holds them (json). */
const encode = (fields: ItemFields): Record<string, unknown> =>
  Object.fromEntries(itemFieldNames.map((f) => [COLUMN[f], fields[f] ?? null]));

interface StageRow {
  row: number;
  line: number;
  external_id: string | null;
  uid: string;
  item_id: number | null;
  fields: string;
}

const toStaged = (r: StageRow): StagedRow => {
  const stored = JSON.parse(r.fields) as Record<string, unknown>;
  const fields = {} as Record<ItemFieldName, unknown>;
  for (const f of itemFieldNames) fields[f] = stored[COLUMN[f]] ?? null;
  return { row: r.row, line: r.line, externalId: r.external_id, uid: r.uid, fields: fields as ItemFields };
};

const STAGE_COLUMNS = 'row, line, external_id, uid, item_id, fields::text AS fields';

/**
 * The stage of one running import on PostgreSQL (server/db/imports/stage.ts): its checked rows in import_stage
 * (an UNLOGGED table shared by the instances, 30-imports.sql) under the import's id, until the job writes them or
 * ends. External ids are unique per import, which is the file's duplicate-id check. Call drop() when the job ends.
 */
export async function createPgImportStage(db: PgDatabase, importId: number): Promise<ImportStage> {
  await db.execute('DELETE FROM import_stage WHERE import_id = $1', [importId]);
  const NEW_SLICE = 's.import_id = $1 AND s.item_id IS NULL AND s.row > $2 AND s.row <= $3';

  return {
    // One statement for the batch: in file order, so that of two rows with one external id the first is kept.
    put: async (rows) => {
      if (rows.length === 0) return [];
      const kept = await db.query<{ row: number }>(
        `INSERT INTO import_stage (import_id, row, line, external_id, uid, fields)
         SELECT $1, r.row, r.line, r.external_id, r.uid, r.fields
         FROM json_to_recordset($2::json) AS r(row integer, line integer, external_id text, uid text, fields json)
         ORDER BY r.row
         ON CONFLICT (import_id, external_id) DO NOTHING RETURNING row`,
        [
          importId,
          JSON.stringify(
            rows.map((r) => ({
              row: r.row,
              line: r.line,
              external_id: r.externalId,
              uid: r.uid,
              fields: encode(r.fields),
            })),
          ),
        ],
      );
      if (kept.length === rows.length) return [];
      const keptRows = new Set(kept.map((k) => k.row));
      const refused = rows.filter((r) => !keptRows.has(r.row));
      const first = new Map(
        (
          await db.query<{ external_id: string; row: number }>(
            'SELECT external_id, row FROM import_stage WHERE import_id = $1 AND external_id = ANY($2::text[])',
            [importId, refused.map((r) => r.externalId)],
          )
        ).map((r) => [r.external_id, r.row]),
      );
      return refused.map((r) => ({ row: r.row, first: first.get(r.externalId!)! }));
    },
    size: async () =>
      (
        await db.query<{ n: number }>('SELECT count(*) AS n FROM import_stage WHERE import_id = $1', [
          importId,
        ])
      )[0].n,
    match: async (datasetId) => {
      await db.execute(
        `UPDATE import_stage s SET item_id = (SELECT i.id FROM items i WHERE i.dataset_id = $2
           AND i.external_id = s.external_id AND ${VISIBLE})
         WHERE s.import_id = $1 AND s.external_id IS NOT NULL`,
        [importId, datasetId],
      );
      return (
        await db.query<{ n: number }>(
          'SELECT count(*) AS n FROM import_stage WHERE import_id = $1 AND item_id IS NULL',
          [importId],
        )
      )[0].n;
    },
    matchedPage: async (after, limit) =>
      (
        await db.query<StageRow>(
          `SELECT ${STAGE_COLUMNS} FROM import_stage
           WHERE import_id = $1 AND item_id IS NOT NULL AND row > $2 ORDER BY row LIMIT $3`,
          [importId, after, limit],
        )
      ).map((r): StagedMatch => ({ row: toStaged(r), itemId: r.item_id! })),
    // The items and their provenance set-based from the stage (json_populate_record gives each field its column's
    // type); the folded search text and the `create` revisions' snapshots are built here, from the staged fields.
    createNewSlice: async (after, limit, o) => {
      const slice = (
        await db.query<StageRow>(
          `SELECT ${STAGE_COLUMNS} FROM import_stage s
           WHERE s.import_id = $1 AND s.item_id IS NULL AND s.row > $2 ORDER BY s.row LIMIT $3`,
          [importId, after, limit],
        )
      ).map(toStaged);
      if (slice.length === 0) return { last: null, created: 0 };
      const last = slice[slice.length - 1].row;
      const created = await db.query<{ id: number; uid: string; split: string }>(
        `INSERT INTO items (uid, dataset_id, external_id, status, author_id, version, created_at, updated_at,
           submitted_at, import_id, ${FIELD_COLUMNS.join(', ')})
         SELECT s.uid, $4, s.external_id, $5, $6, 1, $7, $7, $7, $1, ${FIELD_COLUMNS.map((c) => `f.${c}`).join(', ')}
         FROM import_stage s CROSS JOIN LATERAL json_populate_record(NULL::items, s.fields) f
         WHERE ${NEW_SLICE} ORDER BY s.row
         RETURNING id, uid, split`,
        [importId, after, last, o.datasetId, o.status, o.authorId, o.at],
      );
      const byUid = new Map(created.map((c) => [c.uid, c]));
      // Each item's row of items_search_text, as the item repository writes it with an item (40-items.sql).
      const rows = slice.map((r) => searchRow(r.fields));
      const types = rows[0].map((v, k) => `${SEARCH_COLUMNS[k]} ${Array.isArray(v) ? 'text[]' : 'text'}`);
      const search = slice.map((r, n) => ({
        uid: r.uid,
        ...Object.fromEntries(rows[n].map((v, k) => [SEARCH_COLUMNS[k], v])),
      }));
      await db.execute(
        `INSERT INTO items_search_text (item_id, ${SEARCH_COLUMNS.join(', ')})
         SELECT i.id, ${SEARCH_COLUMNS.map((c) => `t.${c}`).join(', ')}
         FROM json_to_recordset($1::json) AS t(uid text, ${types.join(', ')})
         JOIN items i ON i.uid = t.uid`,
        [JSON.stringify(search)],
      );
      await db.execute(
        `INSERT INTO import_items (import_id, item_id, row, action)
         SELECT $1, i.id, s.row, 'created' FROM import_stage s JOIN items i ON i.uid = s.uid WHERE ${NEW_SLICE}`,
        [importId, after, last],
      );
      const authorName = (
        await db.query<{ name: string }>('SELECT display_name AS name FROM users WHERE id = $1', [o.authorId])
      )[0].name;
      // The snapshot SQLite's json_object builds (server/db/imports/stage.ts ITEM_SNAPSHOT): same keys, same order.
      const revisions = slice.map((r) => {
        const item = byUid.get(r.uid)!;
        const snapshot = {
          ...r.fields,
          uid: r.uid,
          datasetId: o.datasetId,
          externalId: r.externalId,
          status: o.status,
          authorId: o.authorId,
          version: 1,
          createdAt: o.at,
          updatedAt: o.at,
          submittedAt: o.at,
          split: item.split,
          id: item.id,
          authorName,
        };
        return { item_id: item.id, snapshot: JSON.stringify(snapshot) };
      });
      await db.execute(
        `INSERT INTO item_revisions (item_id, version, user_id, action, changes, snapshot, created_at)
         SELECT r.item_id, 1, $1, 'create', '{}', r.snapshot, $2
         FROM json_to_recordset($3::json) AS r(item_id bigint, snapshot text) ORDER BY r.item_id`,
        [o.authorId, o.at, JSON.stringify(revisions)],
      );
      return { last, created: created.length };
    },
    drop: async () => {
      await db.execute('DELETE FROM import_stage WHERE import_id = $1', [importId]);
    },
  };
}
