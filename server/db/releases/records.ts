import type {
  Release,
  ReleaseCounts,
  ReleaseFileEntry,
  ReleaseFilter,
  ReleaseProgress,
  ReleaseSnapshot,
} from '../../../schema/release.ts';
import type { Db } from '../connection.ts';

/**
 * A releases row as both engines read it (with the version of the release before it): what toRelease maps.
 * PostgreSQL selects its boolean include_trials as 0/1 (server/db/postgres/releases/records.ts).
 */
export interface ReleaseRow {
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
  progress: string | null;
  error_code: string | null;
  error_details: string | null;
  include_trials: number;
}

export const toRelease = (r: ReleaseRow): Release => {
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

/** Release rows: registered, read one at a time or listed, and where each keeps its files. */
export function recordQueries(db: Db) {
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
    /** Where a release's files live, and who is building it. */
    location: (id: number): ReleaseLocation | undefined => {
      const l = locationOf.get(id);
      return l && { ...l, snapshotComplete: Boolean(l.snapshotComplete) };
    },
    /** Every release not published, for the start-up clean-up. */
    unpublished: (): ReleaseLocation[] =>
      unpublished.all().map((l) => ({ ...l, snapshotComplete: Boolean(l.snapshotComplete) })),
  };
}
