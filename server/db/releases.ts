import type { ItemStatus } from '../../schema/item.ts';
import type {
  Release,
  ReleaseCounts,
  ReleaseProgress,
  ReleaseFileEntry,
  ReleaseFilter,
  ReleaseItem,
  ReleaseSnapshot,
} from '../../schema/release.ts';
import type { Db } from './connection.ts';
import { VISIBLE } from './items.ts';

type SqlValue = string | number | null;

interface ReleaseRow {
  id: number;
  dataset_id: number;
  version: string;
  title: string;
  notes: string;
  filter: string;
  dataset_meta: string;
  released_at: string;
  previous_version: string | null;
  item_count: number;
  counts: string;
  state: Release['state'];
  files: string;
  archive_name: string | null;
  archive_size: number | null;
  archive_sha256: string | null;
  error: string | null;
  created_by: number;
  created_at: string;
  published_at: string | null;
  files_dir: string;
  builder: string | null;
  snapshot_complete: number;
  progress: string | null;
  error_code: string | null;
  error_details: string | null;
  include_trials: number;
}

const toRelease = (r: ReleaseRow): Release => {
  const meta = JSON.parse(r.dataset_meta) as ReleaseSnapshot['dataset'];
  return {
    id: r.id,
    datasetId: r.dataset_id,
    version: r.version,
    title: r.title,
    notes: r.notes,
    filter: JSON.parse(r.filter) as ReleaseFilter,
    license: meta.license,
    url: meta.url,
    releasedAt: r.released_at,
    previousVersion: r.previous_version,
    itemCount: r.item_count,
    counts: JSON.parse(r.counts) as ReleaseCounts,
    state: r.state,
    files: JSON.parse(r.files) as ReleaseFileEntry[],
    archive:
      r.archive_name === null
        ? null
        : { name: r.archive_name, size: r.archive_size ?? 0, sha256: r.archive_sha256 ?? '' },
    error: r.error,
    errorCode: r.error_code,
    errorDetails: r.error_details === null ? null : (JSON.parse(r.error_details) as unknown),
    progress:
      r.state === 'building' && r.progress !== null ? (JSON.parse(r.progress) as ReleaseProgress) : null,
    createdBy: r.created_by,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    includeTrials: r.include_trials === 1,
  };
};

export interface NewRelease {
  datasetId: number;
  version: string;
  title: string;
  notes: string;
  filter: ReleaseFilter;
  datasetMeta: ReleaseSnapshot['dataset'];
  releasedAt: string;
  previousId: number | null;
  createdBy: number;
  createdAt: string;
  /** Where its files go, relative to the releases directory; never changes. */
  filesDir: string;
  /** `<host>:<pid>` of the process building it. */
  builder: string;
  /** Whether its files carry the model trials of its items (trials.jsonl); default no. */
  includeTrials?: boolean;
}

/** A release as its builders and the start-up clean-up see it. */
export interface ReleaseLocation {
  id: number;
  version: string;
  state: Release['state'];
  filesDir: string;
  builder: string | null;
  /** Whether every item of its snapshot is written (a build of it then reuses the stored snapshot). */
  snapshotComplete: boolean;
}

export interface SelectionFilter extends ReleaseFilter {
  datasetId: number;
  statuses: readonly ItemStatus[];
}

function selectionWhere(f: SelectionFilter): { sql: string; params: Record<string, SqlValue> } {
  const params: Record<string, SqlValue> = { dataset: f.datasetId };
  // Never an item an import has not committed yet (migration 016).
  const conds = ['i.dataset_id = @dataset', VISIBLE];
  const list = (column: string, name: string, values: readonly string[]) => {
    if (values.length === 0) return;
    conds.push(
      `${column} IN (${values.map((v, n) => ((params[`${name}${n}`] = v), `@${name}${n}`)).join(', ')})`,
    );
  };
  list('i.status', 'status', f.statuses);
  list('i.language', 'language', f.languages);
  list('i.kind', 'kind', f.kinds);
  if (f.categories.length > 0) {
    // A category takes the node and everything under it ('0' is the character after '/').
    const any = f.categories.map((c, n) => {
      params[`cat${n}`] = c;
      params[`catFrom${n}`] = `${c}/`;
      params[`catTo${n}`] = `${c}0`;
      return `(i.primary_category = @cat${n} OR (i.primary_category > @catFrom${n} AND i.primary_category < @catTo${n}))`;
    });
    conds.push(`(${any.join(' OR ')})`);
  }
  return { sql: conds.join(' AND '), params };
}

/**
 * The snapshot of one item (a ReleaseItem as JSON: its authored fields, stable id and annotation summary),
 * built by SQLite from the items row and its item_validation row (the same figures as the validation
 * repository's validationSummary: no row means no validations yet; agreement clamped to [-1, 1]).
 */
const SNAPSHOT_JSON = `json_object(
  'item', json_object(
    'language', i.language, 'country', i.country, 'region', i.region, 'kind', i.kind, 'format', i.format,
    'question', i.question, 'questionEn', i.question_en, 'referenceAnswer', i.reference_answer,
    'answerEn', i.answer_en, 'acceptedAnswers', json(i.accepted_answers), 'options', json(i.options),
    'correctIndex', i.correct_index,
    'trueFalseAnswer', CASE WHEN i.true_false_answer IS NULL THEN NULL
      WHEN i.true_false_answer = 1 THEN json('true') ELSE json('false') END,
    'rationale', i.rationale, 'sources', json(i.sources), 'primaryCategory', i.primary_category,
    'secondaryTags', json(i.secondary_tags), 'difficulty', i.difficulty, 'hazard', i.hazard,
    'attackStyle', i.attack_style, 'expectedBehavior', i.expected_behavior, 'notes', i.notes,
    'context', i.context, 'metadata', json(i.metadata), 'origin', json(i.origin), 'license', i.license,
    'uid', i.uid, 'split', i.split),
  'annotation', json_object(
    'validations', coalesce(v.validations, 0), 'agreement', max(-1, min(1, v.agreement)),
    'resolution', v.resolution))`;

/** Releases and their frozen snapshots. */
export function createReleaseRepository(db: Db) {
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const prepared = (sql: string) => {
    let s = statements.get(sql);
    if (!s) {
      if (statements.size > 200) statements.clear();
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };

  const SELECT_RELEASE = `SELECT r.*, p.version AS previous_version FROM releases r
    LEFT JOIN releases p ON p.id = r.previous_id`;
  const byId = db.prepare<[number], ReleaseRow>(`${SELECT_RELEASE} WHERE r.id = ?`);
  const byVersion = db.prepare<[number, string], ReleaseRow>(
    `${SELECT_RELEASE} WHERE r.dataset_id = ? AND r.version = ?`,
  );
  const ofDataset = db.prepare<[number], ReleaseRow>(
    `${SELECT_RELEASE} WHERE r.dataset_id = ? ORDER BY r.id DESC`,
  );
  const all = db.prepare<[], ReleaseRow>(`${SELECT_RELEASE} ORDER BY r.id DESC LIMIT 500`);
  const insert = db.prepare(
    `INSERT INTO releases (dataset_id, version, title, notes, filter, dataset_meta, released_at, previous_id,
       item_count, counts, state, created_by, created_at, files_dir, builder, snapshot_complete, progress,
       include_trials)
     VALUES (@datasetId, @version, @title, @notes, @filter, @datasetMeta, @releasedAt, @previousId, 0,
       '{"total":0,"languages":[],"categories":[],"cells":[]}',
       'building', @createdBy, @createdAt, @filesDir, @builder, 0, '{"phase":"queued","done":0,"total":null}',
       @includeTrials)`,
  );
  const locationOf = db.prepare<[number], ReleaseLocation>(
    `SELECT id, version, state, files_dir AS filesDir, builder, snapshot_complete AS snapshotComplete
     FROM releases WHERE id = ?`,
  );
  const unpublished = db.prepare<[], ReleaseLocation>(
    `SELECT id, version, state, files_dir AS filesDir, builder, snapshot_complete AS snapshotComplete
     FROM releases WHERE state <> 'published' ORDER BY id`,
  );
  const claim = db.prepare(
    `UPDATE releases SET state = 'building', error = NULL, error_code = NULL, error_details = NULL,
       builder = @builder, progress = '{"phase":"queued","done":0,"total":null}'
     WHERE id = @id AND state <> 'published'`,
  );
  const hasGold = db.prepare<[number], number>(
    `SELECT EXISTS (SELECT 1 FROM gold_items g CROSS JOIN release_items ri
       ON ri.item_id = g.item_id AND ri.release_id = ?)`,
  );
  hasGold.pluck();
  const setCounts = db.prepare(
    'UPDATE releases SET item_count = @itemCount, counts = @counts, snapshot_complete = 1 WHERE id = @id',
  );
  const fail = db.prepare(
    `UPDATE releases SET state = 'failed', error = @error, error_code = @code, error_details = @details,
       builder = NULL, progress = NULL
     WHERE id = @id AND state = 'building' AND builder IS @builder`,
  );
  const setProgress = db.prepare(
    `UPDATE releases SET progress = @progress WHERE id = @id AND state = 'building' AND builder = @builder`,
  );
  const completeSnapshot = db.prepare(
    `UPDATE releases SET snapshot_complete = 1, item_count = @itemCount, counts = @counts
     WHERE id = @id AND state = 'building' AND builder = @builder`,
  );
  const insertItem = db.prepare(
    `INSERT INTO release_items (release_id, uid, language, item_id, snapshot) VALUES (?, ?, ?, ?, ?)`,
  );
  const deleteStaged = db.prepare(
    `DELETE FROM release_items WHERE rowid IN
       (SELECT ri.rowid FROM release_items ri JOIN releases r ON r.id = ri.release_id
        WHERE ri.release_id = ? AND r.state <> 'published' AND r.snapshot_complete = 0 LIMIT ?)`,
  );
  const deleteRelease = db.prepare(
    `DELETE FROM releases WHERE id = ? AND state = 'failed' AND snapshot_complete = 0`,
  );
  const publish = db.prepare(
    `UPDATE releases SET state = 'published', error = NULL, files = @files, archive_name = @archiveName,
       archive_size = @archiveSize, archive_sha256 = @archiveSha256, published_at = @publishedAt,
       builder = NULL, progress = NULL
     WHERE id = @id AND state = 'building' AND builder = @builder AND snapshot_complete = 1`,
  );
  const itemsPage = db.prepare<[number, string, number], string>(
    'SELECT snapshot FROM release_items WHERE release_id = ? AND uid > ? ORDER BY uid LIMIT ?',
  );
  itemsPage.pluck();

  return {
    get: (id: number): Release | undefined => {
      const r = byId.get(id);
      return r && toRelease(r);
    },
    byVersion: (datasetId: number, version: string): Release | undefined => {
      const r = byVersion.get(datasetId, version);
      return r && toRelease(r);
    },
    list: (datasetId?: number): Release[] =>
      (datasetId === undefined ? all.all() : ofDataset.all(datasetId)).map(toRelease),
    datasetMeta: (id: number): ReleaseSnapshot['dataset'] =>
      JSON.parse(
        db.prepare<[number], { m: string }>('SELECT dataset_meta AS m FROM releases WHERE id = ?').get(id)!.m,
      ) as ReleaseSnapshot['dataset'],

    insert: (r: NewRelease): number =>
      Number(
        insert.run({
          ...r,
          filter: JSON.stringify(r.filter),
          datasetMeta: JSON.stringify(r.datasetMeta),
          includeTrials: r.includeTrials ? 1 : 0,
        }).lastInsertRowid,
      ),
    setCounts: (id: number, itemCount: number, counts: ReleaseCounts): void => {
      setCounts.run({ id, itemCount, counts: JSON.stringify(counts) });
    },
    /** Where a release's files live, and who is building it. */
    location: (id: number): ReleaseLocation | undefined => {
      const l = locationOf.get(id);
      return l && { ...l, snapshotComplete: Boolean(l.snapshotComplete) };
    },
    /** Every release not published, for the start-up clean-up. */
    unpublished: (): ReleaseLocation[] =>
      unpublished.all().map((l) => ({ ...l, snapshotComplete: Boolean(l.snapshotComplete) })),
    /** Marks an unpublished release as being built by `builder` (`<host>:<pid>`). */
    claim: (id: number, builder: string): boolean => claim.run({ id, builder }).changes === 1,
    /**
     * Marks a release failed if `builder` is still the one building it (a published release never changes:
     * the database refuses it too).
     */
    fail: (
      id: number,
      builder: string | null,
      error: string,
      code: string | null = null,
      details: unknown = null,
    ): boolean =>
      fail.run({ id, builder, error, code, details: details === null ? null : JSON.stringify(details) })
        .changes === 1,
    /** Records how far the build of `builder` is (no-op once it is not building it). */
    setProgress: (id: number, builder: string, progress: ReleaseProgress): void => {
      setProgress.run({ id, builder, progress: JSON.stringify(progress) });
    },
    /** Marks the snapshot complete, with its counts; false if `builder` no longer builds the release. */
    completeSnapshot: (id: number, builder: string, counts: ReleaseCounts): boolean =>
      completeSnapshot.run({ id, builder, itemCount: counts.total, counts: JSON.stringify(counts) })
        .changes === 1,
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
    /** Deletes a failed release that never had a complete snapshot (its version may be cut again). */
    removeUnfinished: (id: number): boolean => deleteRelease.run(id).changes === 1,
    /** Whether any item frozen in the release is a gold item now. */
    hasGoldItem: (id: number): boolean => hasGold.get(id) === 1,
    /** Publishes a release that `builder` is still building (false if it is not: another process took it). */
    publish: (
      id: number,
      p: {
        builder: string;
        files: ReleaseFileEntry[];
        archiveName: string;
        archiveSize: number;
        archiveSha256: string;
        publishedAt: string;
      },
    ): boolean => publish.run({ id, ...p, files: JSON.stringify(p.files) }).changes === 1,

    /**
     * Freezes every item a filter selects into the release's snapshot, in one statement (SQLite builds
     * the JSON; nothing passes through JavaScript). Returns how many items it took.
     */
    insertSnapshot: (releaseId: number, f: SelectionFilter): number => {
      const where = selectionWhere(f);
      // The filter terms get a unary + so that SQLite walks the uid index (rows in uid order, no sort).
      return prepared(
        `INSERT INTO release_items (release_id, uid, language, item_id, snapshot)
         SELECT @release, i.uid, i.language, i.id, ${SNAPSHOT_JSON}
         FROM items i LEFT JOIN item_validation v ON v.item_id = i.id
         WHERE ${where.sql.replace(/\bi\.(dataset_id|status|language|kind) /g, '+i.$1 ')}
         ORDER BY i.uid`,
      ).run({ ...where.params, release: releaseId }).changes;
    },
    /**
     * One page (in uid order, after `afterUid`) of the items a filter selects, frozen as ReleaseItem JSON by
     * SQLite. Read inside one read transaction, the pages are one consistent snapshot.
     */
    selectionPage: (
      f: SelectionFilter,
      afterUid: string,
      limit: number,
    ): { uid: string; language: string; itemId: number; snapshot: string }[] => {
      const where = selectionWhere(f);
      return prepared(
        `SELECT i.uid, i.language, i.id AS itemId, ${SNAPSHOT_JSON} AS snapshot
         FROM items i LEFT JOIN item_validation v ON v.item_id = i.id
         WHERE ${where.sql.replace(/\bi\.(dataset_id|status|language|kind) /g, '+i.$1 ')} AND i.uid > @after
         ORDER BY i.uid LIMIT @limit`,
      ).all({ ...where.params, after: afterUid, limit }) as {
        uid: string;
        language: string;
        itemId: number;
        snapshot: string;
      }[];
    },
    /** Whether a filter selects any item. */
    selects: (f: SelectionFilter): boolean => {
      const where = selectionWhere(f);
      const row = prepared(`SELECT EXISTS (SELECT 1 FROM items i WHERE ${where.sql}) AS e`).get(where.params);
      return (row as { e: number }).e === 1;
    },
    /** The licences items a filter selects carry of their own (imported sources'), sorted. */
    selectionLicenses: (f: SelectionFilter): string[] => {
      const where = selectionWhere(f);
      return (
        prepared(
          `SELECT DISTINCT i.license FROM items i WHERE ${where.sql} AND i.license IS NOT NULL ORDER BY 1`,
        ).all(where.params) as { license: string }[]
      ).map((r) => r.license);
    },
    /** How many items a filter selects per language and category. */
    countSelection: (f: SelectionFilter): { language: string; category: string; n: number }[] => {
      const where = selectionWhere(f);
      return prepared(
        `SELECT i.language, CASE WHEN i.kind = 'safety' THEN 'safety:' || coalesce(i.hazard, '') ELSE coalesce(i.primary_category, '') END AS category,
           count(*) AS n
         FROM items i WHERE ${where.sql} GROUP BY 1, 2`,
      ).all(where.params) as { language: string; category: string; n: number }[];
    },
    /** One page of a release's snapshot in uid order, after `afterUid`, as stored (ReleaseItem JSON). */
    snapshotTexts: (releaseId: number, afterUid: string, limit: number): string[] =>
      itemsPage.all(releaseId, afterUid, limit),
    /** One page of a release's snapshot in uid order, after `afterUid`. */
    snapshotPage: (releaseId: number, afterUid: string, limit: number): ReleaseItem[] =>
      itemsPage.all(releaseId, afterUid, limit).map((text) => JSON.parse(text) as ReleaseItem),
  };
}
export type ReleaseRepository = ReturnType<typeof createReleaseRepository>;
