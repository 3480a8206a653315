import { itemFieldNames, type ItemFieldName, type ItemFields } from '../../../schema/item.ts';
import type { AsyncRepository } from '../async-repository.ts';
import type { Db } from '../connection.ts';
import { JSON_FIELDS } from '../items/columns.ts';
import { VISIBLE } from '../items/visibility.ts';

/** A checked row waiting in an import's stage: its place in the file, its external id, the uid it gets if new. */
export interface StagedRow {
  row: number;
  line: number;
  externalId: string | null;
  uid: string;
  fields: ItemFields;
}

/** A staged row whose external id names an item of the dataset. */
export interface StagedMatch {
  row: StagedRow;
  itemId: number;
}

/** Fields stored as JSON text: the lists, and the metadata and origin objects (which may be NULL). */
const LIST_FIELDS = JSON_FIELDS;
/** Item field → items column (the items repository's naming: camelCase → snake_case). */
const columnOf = (f: ItemFieldName) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const FIELD_COLUMNS = itemFieldNames.map(columnOf);

/** A field as the items table stores it (lists as JSON text, booleans as 0/1). */
const encode = (f: ItemFieldName, v: unknown): string | number | null =>
  LIST_FIELDS.has(f)
    ? v === null
      ? null
      : JSON.stringify(v)
    : typeof v === 'boolean'
      ? v
        ? 1
        : 0
      : (v as string | number | null);
const decode = (f: ItemFieldName, v: unknown): unknown =>
  LIST_FIELDS.has(f)
    ? v === null
      ? null
      : JSON.parse(v as string)
    : f === 'trueFalseAnswer' && v !== null
      ? v === 1
      : v;

/**
 * The revision snapshot of item `i` (author `u`) built by SQLite: the same JSON object as the items
 * repository's Item (every field, lists and booleans as JSON), so a bulk import never builds it in JS.
 */
const ITEM_SNAPSHOT = `json_object(${[
  ...itemFieldNames.map((f, k) => {
    const c = `i.${FIELD_COLUMNS[k]}`;
    const value = LIST_FIELDS.has(f)
      ? `json(${c})`
      : f === 'trueFalseAnswer'
        ? `CASE ${c} WHEN 1 THEN json('true') WHEN 0 THEN json('false') END`
        : c;
    return `'${f}', ${value}`;
  }),
  `'uid', i.uid, 'datasetId', i.dataset_id, 'externalId', i.external_id, 'status', i.status`,
  `'authorId', i.author_id, 'version', i.version, 'createdAt', i.created_at, 'updatedAt', i.updated_at`,
  `'submittedAt', i.submitted_at, 'split', i.split, 'id', i.id, 'authorName', u.display_name`,
].join(', ')})`;

/**
 * The stage of one running import: its checked rows, held in a TEMP table of the connection (SQLite
 * keeps it in a temporary file behind a small page cache, so memory does not grow with the file, and no
 * other connection ever sees it) until the job writes them or ends. External ids are unique in it, which
 * is the file's duplicate-id check. Staging writes only the temporary database: it takes no lock on the
 * main one. Call drop() when the job ends, whatever the outcome.
 */
export function createImportStage(db: Db, importId: number) {
  const table = `temp.import_rows_${importId}`;
  db.exec(`DROP TABLE IF EXISTS ${table}`);
  db.exec(
    `CREATE TABLE ${table} (row INTEGER PRIMARY KEY, line INTEGER NOT NULL, external_id TEXT UNIQUE,
       uid TEXT NOT NULL, item_id INTEGER, ${FIELD_COLUMNS.join(', ')})`,
  );
  const put = db.prepare(
    `INSERT INTO ${table} (row, line, external_id, uid, ${FIELD_COLUMNS.join(', ')})
     VALUES (?, ?, ?, ?, ${FIELD_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (external_id) DO NOTHING`,
  );
  const rowOf = db.prepare<[string], { row: number }>(`SELECT row FROM ${table} WHERE external_id = ?`);
  const size = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`);
  // Which rows name an existing item of the dataset: the rest are created.
  const match = db.prepare(
    `UPDATE ${table} AS s SET item_id = (SELECT i.id FROM items i WHERE i.dataset_id = @datasetId
       AND i.external_id = s.external_id AND ${VISIBLE}) WHERE s.external_id IS NOT NULL`,
  );
  const countNew = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table} WHERE item_id IS NULL`);
  const matched = db.prepare<[number, number], Record<string, unknown>>(
    `SELECT * FROM ${table} WHERE item_id IS NOT NULL AND row > ? ORDER BY row LIMIT ?`,
  );
  // New rows are written in slices of file order: (after, last] is one slice.
  const sliceEnd = db
    .prepare<{ after: number; limit: number }, number | null>(
      `SELECT max(row) FROM (SELECT row FROM ${table} WHERE item_id IS NULL AND row > @after ORDER BY row LIMIT @limit)`,
    )
    .pluck();
  const SLICE = 's.item_id IS NULL AND s.row > @after AND s.row <= @last';
  const createItems = db.prepare(
    `INSERT INTO items (uid, dataset_id, external_id, status, author_id, version, created_at, updated_at,
       submitted_at, import_id, ${FIELD_COLUMNS.join(', ')})
     SELECT uid, @datasetId, external_id, @status, @authorId, 1, @at, @at, @at, @importId, ${FIELD_COLUMNS.join(', ')}
     FROM ${table} s WHERE ${SLICE} ORDER BY row`,
  );
  const createdProvenance = db.prepare(
    `INSERT INTO import_items (import_id, item_id, row, action)
     SELECT @importId, i.id, s.row, 'created' FROM ${table} s JOIN items i ON i.uid = s.uid
     WHERE ${SLICE}`,
  );
  const createdRevisions = db.prepare(
    `INSERT INTO item_revisions (item_id, version, user_id, action, changes, snapshot, created_at)
     SELECT i.id, 1, @authorId, 'create', '{}', ${ITEM_SNAPSHOT}, @at
     FROM ${table} s JOIN items i ON i.uid = s.uid JOIN users u ON u.id = i.author_id
     WHERE ${SLICE}`,
  );
  const putAll = db.transaction((rows: StagedRow[]) => {
    const duplicates: { row: number; first: number }[] = [];
    const values: unknown[] = [];
    for (const r of rows) {
      values.length = 0;
      values.push(r.row, r.line, r.externalId, r.uid);
      for (const f of itemFieldNames) values.push(encode(f, r.fields[f]));
      if (put.run(values).changes === 0)
        duplicates.push({ row: r.row, first: rowOf.get(r.externalId!)!.row });
    }
    return duplicates;
  });
  const toStaged = (r: Record<string, unknown>): StagedRow => {
    const fields = {} as Record<ItemFieldName, unknown>;
    itemFieldNames.forEach((f, k) => (fields[f] = decode(f, r[FIELD_COLUMNS[k]])));
    return {
      row: r.row as number,
      line: r.line as number,
      externalId: r.external_id as string | null,
      uid: r.uid as string,
      fields: fields as ItemFields,
    };
  };

  return {
    /**
     * Stages checked rows in one short transaction of the temporary database. Returns the rows refused
     * because their external id was staged before (with the row that has it).
     */
    put: (rows: StagedRow[]): { row: number; first: number }[] => putAll(rows),
    size: (): number => size.get()!.n,
    /** Marks the rows naming an existing item of the dataset; the others are new. Returns how many are new. */
    match: (datasetId: number): number => {
      match.run({ datasetId });
      return countNew.get()!.n;
    },
    /** Up to `limit` matched rows (see match) after row `after`, in file order: one page. */
    matchedPage: (after: number, limit: number): StagedMatch[] =>
      matched.all(after, limit).map((r) => ({ row: toStaged(r), itemId: r.item_id as number })),
    /**
     * Creates an item for each of the next `limit` new rows (see match) after row `after`, in file order,
     * with its `create` revision and its provenance: three set-based statements. The items carry the
     * import's id, so they stay hidden while the import's rows are (migration 016). Call inside a write
     * transaction. Returns the last row written (null: no new row was left) and how many.
     */
    createNewSlice: (
      after: number,
      limit: number,
      o: { datasetId: number; status: string; authorId: number; at: string },
    ): { last: number | null; created: number } => {
      const last = sliceEnd.get({ after, limit }) ?? null;
      if (last === null) return { last, created: 0 };
      const range = { after, last };
      const created = createItems.run({ ...o, ...range, importId }).changes;
      createdProvenance.run({ ...range, importId });
      createdRevisions.run({ ...range, authorId: o.authorId, at: o.at });
      return { last, created };
    },
    drop: (): void => {
      db.exec(`DROP TABLE IF EXISTS ${table}`);
    },
  };
}
export type ImportStage = AsyncRepository<ReturnType<typeof createImportStage>>;
