import type { ImportIssue, ImportJob, ImportPresetName, ImportState } from '../../schema/import.ts';
import { itemFieldNames, type ItemFieldName, type ItemFields } from '../../schema/item.ts';
import type { Db } from './connection.ts';
import { VISIBLE } from './items.ts';
import { JSON_FIELDS } from './items.ts';

interface ImportRow {
  id: number;
  dataset_id: number;
  user_id: number;
  file_name: string;
  format: ImportJob['format'];
  options: string;
  dry_run: number;
  item_status: ImportJob['status'];
  state: ImportState;
  bytes_total: number | null;
  bytes_read: number;
  rows_total: number | null;
  rows_processed: number;
  error_count: number;
  errors: string;
  created: number;
  updated: number;
  unchanged: number;
  created_at: string;
  finished_at: string | null;
}

const toJob = (r: ImportRow): ImportJob => ({
  id: r.id,
  datasetId: r.dataset_id,
  userId: r.user_id,
  fileName: r.file_name,
  format: r.format,
  dryRun: r.dry_run === 1,
  status: r.item_status,
  preset: ((JSON.parse(r.options) as { preset?: ImportPresetName }).preset ??
    null) as ImportPresetName | null,
  state: r.state,
  bytesTotal: r.bytes_total,
  bytesRead: r.bytes_read,
  rowsTotal: r.rows_total,
  rowsProcessed: r.rows_processed,
  errorCount: r.error_count,
  errors: JSON.parse(r.errors) as ImportIssue[],
  created: r.created,
  updated: r.updated,
  unchanged: r.unchanged,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** The code of the issue a job gets when its process died while it ran; such a job takes its file again. */
export const INTERRUPTED = 'interrupted';
/** The code of the issue a job gets when a maintainer stopped it; such a job takes its file again too. */
export const CANCELLED = 'cancelled';
/** The code of the issue a job gets when another import of its dataset was writing; it takes its file again. */
export const DATASET_BUSY = 'dataset-busy';

export interface NewImport {
  datasetId: number;
  userId: number;
  fileName: string;
  format: ImportJob['format'];
  /** The options as given (preset, mapping, defaults), kept for the record. */
  options: unknown;
  dryRun: boolean;
  status: ImportJob['status'];
  createdAt: string;
}

export interface ImportOutcome {
  state: Extract<ImportState, 'checked' | 'imported' | 'failed'>;
  rowsTotal: number | null;
  errorCount: number;
  errors: ImportIssue[];
  created: number;
  updated: number;
  unchanged: number;
  finishedAt: string;
}

export interface ProvenanceEntry {
  importId: number;
  fileName: string;
  row: number;
  action: 'created' | 'updated' | 'unchanged';
  userId: number;
  userName: string;
  at: string;
}

/** Import jobs and the provenance of imported items. */
export function createImportRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO imports (dataset_id, user_id, file_name, format, options, dry_run, item_status, state, created_at)
     VALUES (@datasetId, @userId, @fileName, @format, @options, @dryRun, @status, 'waiting', @createdAt)`,
  );
  const byId = db.prepare<[number], ImportRow>('SELECT * FROM imports WHERE id = ?');
  const all = db.prepare<[], ImportRow>('SELECT * FROM imports ORDER BY id DESC LIMIT 100');
  const ofDataset = db.prepare<[number], ImportRow>(
    'SELECT * FROM imports WHERE dataset_id = ? ORDER BY id DESC LIMIT 100',
  );
  // A job takes its file once; a job failed because its process died (first issue `interrupted`), because
  // it was cancelled or because another import of its dataset was writing takes it again, from nothing.
  const start = db.prepare(
    `UPDATE imports SET state = 'reading', run = run + 1, bytes_total = @bytesTotal, bytes_read = 0, rows_total = NULL,
       rows_processed = 0, error_count = 0, errors = '[]', created = 0, updated = 0, unchanged = 0,
       finished_at = NULL, cancel_requested = 0
     WHERE id = @id AND (state = 'waiting'
       OR (state = 'failed' AND errors ->> '$[0].code' IN (@interrupted, @cancelled, @busy)))`,
  );
  const received = db.prepare(
    `UPDATE imports SET bytes_total = @bytesTotal WHERE id = @id AND state = 'reading'`,
  );
  const requestCancel = db.prepare(
    `UPDATE imports SET cancel_requested = 1 WHERE id = ? AND state IN ('reading', 'writing')`,
  );
  const cancelRequested = db
    .prepare<[number], number>('SELECT cancel_requested FROM imports WHERE id = ?')
    .pluck();
  const progress = db.prepare(
    `UPDATE imports SET bytes_read = @bytesRead, rows_processed = @rowsProcessed
     WHERE id = @id AND state = 'reading' AND (@run IS NULL OR run = @run)`,
  );
  // One import of a dataset writes at a time, and not while another one's hidden rows are still there.
  const writing = db.prepare(
    `UPDATE imports SET state = 'writing', rows_total = @rowsTotal, rows_processed = @rowsTotal
     WHERE id = @id AND state = 'reading' AND rows_hidden = 0 AND (@run IS NULL OR run = @run) AND NOT EXISTS (SELECT 1 FROM imports o
       WHERE o.dataset_id = imports.dataset_id AND o.id <> imports.id AND (o.state = 'writing' OR o.rows_hidden = 1))`,
  );
  const hide = db.prepare(
    `UPDATE imports SET rows_hidden = 1 WHERE id = @id AND state = 'writing' AND run = @run`,
  );
  const runOf = db.prepare<[number], number>('SELECT run FROM imports WHERE id = ?').pluck();
  const reveal = db.prepare(`UPDATE imports SET rows_hidden = 0 WHERE id = ?`);
  const withHiddenRows = db
    .prepare<[], number>(`SELECT id FROM imports WHERE rows_hidden = 1 AND state <> 'writing' ORDER BY id`)
    .pluck();
  const deleteHidden = db.prepare<[number, number]>(
    `DELETE FROM items WHERE id IN (SELECT id FROM items WHERE import_id = ? LIMIT ?)`,
  );
  const deleteHiddenSlice = db.transaction((id: number, limit: number): number => {
    const n = deleteHidden.run(id, limit).changes;
    if (n === 0) reveal.run(id);
    return n;
  });
  const finish = db.prepare(
    `UPDATE imports SET state = @state, rows_total = @rowsTotal, error_count = @errorCount, errors = @errors,
       created = @created, updated = @updated, unchanged = @unchanged, finished_at = @finishedAt,
       rows_processed = coalesce(@rowsTotal, rows_processed)
     WHERE id = @id AND state = @from AND (@run IS NULL OR run = @run)`,
  );
  const interrupt = db.prepare<{ errors: string; finishedAt: string }, { id: number }>(
    `UPDATE imports SET state = 'failed', error_count = 1, errors = @errors, finished_at = @finishedAt
     WHERE state IN ('reading', 'writing') RETURNING id`,
  );
  const externalIds = db.prepare<[number], { id: number; external_id: string }>(
    `SELECT id, external_id FROM items i WHERE dataset_id = ? AND external_id IS NOT NULL AND ${VISIBLE}`,
  );
  const addProvenance = db.prepare(
    'INSERT INTO import_items (import_id, item_id, row, action) VALUES (?, ?, ?, ?)',
  );
  const provenance = db.prepare<
    [number],
    {
      import_id: number;
      file_name: string;
      row: number;
      action: ProvenanceEntry['action'];
      user_id: number;
      user_name: string;
      at: string;
    }
  >(
    `SELECT p.import_id, i.file_name, p.row, p.action, i.user_id, u.display_name AS user_name,
       coalesce(i.finished_at, i.created_at) AS at
     FROM import_items p JOIN imports i ON i.id = p.import_id JOIN users u ON u.id = i.user_id
     WHERE p.item_id = ? ORDER BY p.import_id DESC`,
  );

  return {
    create: (job: NewImport): ImportJob => {
      const id = Number(
        insert.run({ ...job, options: JSON.stringify(job.options), dryRun: job.dryRun ? 1 : 0 })
          .lastInsertRowid,
      );
      return toJob(byId.get(id)!);
    },
    get: (id: number): ImportJob | undefined => {
      const r = byId.get(id);
      return r && toJob(r);
    },
    /** The stored options of a job (preset, mapping, defaults) as given. */
    options: (id: number): unknown => {
      const r = byId.get(id);
      return r && (JSON.parse(r.options) as unknown);
    },
    list: (datasetId?: number): ImportJob[] =>
      (datasetId === undefined ? all.all() : ofDataset.all(datasetId)).map(toJob),
    /**
     * Moves a waiting job, or one interrupted by the death of its process, to reading (counts and report
     * cleared); false if the job already received a file otherwise.
     */
    start: (id: number, bytesTotal: number | null): boolean =>
      start.run({ id, bytesTotal, interrupted: INTERRUPTED, cancelled: CANCELLED, busy: DATASET_BUSY })
        .changes === 1,
    /** Records the size of the file a reading job received (its upload may not have said). */
    received: (id: number, bytesTotal: number): void => {
      received.run({ id, bytesTotal });
    },
    /** Asks a reading or writing job to stop; false if it is not running. */
    requestCancel: (id: number): boolean => requestCancel.run(id).changes === 1,
    /** Whether a maintainer asked the job to stop. */
    cancelRequested: (id: number): boolean => cancelRequested.get(id) === 1,
    /** The run of the job (see migration 016): the number a running check passes to what follows. */
    runOf: (id: number): number => runOf.get(id) ?? 0,
    /** Records how far run `run` (null: whichever) of a reading job got. */
    progress: (id: number, bytesRead: number, rowsProcessed: number, run: number | null = null): void => {
      progress.run({ id, bytesRead, rowsProcessed, run });
    },
    /**
     * Moves a reading job (of run `run`) to writing; false if it is no longer reading or no longer that run
     * (it was marked interrupted, and maybe taken again), or if another import of its dataset is writing or
     * something still has hidden rows (the job stays reading).
     */
    writing: (id: number, rowsTotal: number, run: number | null = null): boolean =>
      writing.run({ id, rowsTotal, run }).changes === 1,
    /**
     * Marks the rows of a writing job's run hidden (call in the transaction of each slice): from then on no
     * reader sees an item it created until `reveal` (its commit) or until its rows are deleted. False if
     * the job is no longer writing in that run (marked interrupted): the slice must not be written.
     */
    hide: (id: number, run: number): boolean => hide.run({ id, run }).changes === 1,
    /** Lets readers see a job's rows: the commit of an import, in its final transaction. */
    reveal: (id: number): void => {
      reveal.run(id);
    },
    /** Jobs that ended (failed, cancelled, interrupted) with hidden rows left to delete. */
    withHiddenRows: (): number[] => withHiddenRows.all(),
    /**
     * Deletes up to `limit` of the hidden rows of job `id` (revisions and provenance go with them) in one
     * short transaction; once none is left, clears its flag. Returns how many were deleted.
     */
    deleteHiddenRows: (id: number, limit: number): number => deleteHiddenSlice.immediate(id, limit),
    /**
     * Records the outcome of a job that is still in state `from` (and in run `run`, unless null); false if it
     * is not (marked interrupted, or taken again).
     */
    finish: (id: number, from: 'reading' | 'writing', o: ImportOutcome, run: number | null = null): boolean =>
      finish.run({ id, from, run, ...o, errors: JSON.stringify(o.errors) }).changes === 1,
    /**
     * Marks every job still reading or writing as failed with `issue` (its only problem): called when no
     * process can be running them any more. The ids of those jobs.
     */
    interruptRunning: (issue: ImportIssue, finishedAt: string): number[] =>
      interrupt.all({ errors: JSON.stringify([issue]), finishedAt }).map((r) => r.id),
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
    /** The stage of a running import (see createImportStage). */
    stage: (importId: number): ImportStage => createImportStage(db, importId),
    /** Every import that touched an item, newest first. */
    provenanceOf: (itemId: number): ProvenanceEntry[] =>
      provenance.all(itemId).map((r) => ({
        importId: r.import_id,
        fileName: r.file_name,
        row: r.row,
        action: r.action,
        userId: r.user_id,
        userName: r.user_name,
        at: r.at,
      })),
  };
}
export type ImportRepository = ReturnType<typeof createImportRepository>;

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
    const c = `i.${FIELD_COLUMNS[k]!}`;
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
    itemFieldNames.forEach((f, k) => (fields[f] = decode(f, r[FIELD_COLUMNS[k]!])));
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
    /** The matched rows (see match) in file order, a page at a time. */
    *matches(): Generator<StagedMatch> {
      const PAGE = 500;
      for (let after = 0; ;) {
        const page = matched.all(after, PAGE);
        for (const r of page) yield { row: toStaged(r), itemId: r.item_id as number };
        if (page.length < PAGE) return;
        after = page[page.length - 1]!.row as number;
      }
    },
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
export type ImportStage = ReturnType<typeof createImportStage>;
