import type {
  Release,
  ReleaseCounts,
  ReleaseFileEntry,
  ReleaseFilter,
  ReleaseProgress,
  ReleaseSnapshot,
} from '../../../../schema/release.ts';
import { conflict } from '../../../errors.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import type { ReleaseLocation, recordQueries } from '../../releases/records.ts';
import type { PgDatabase } from '../database.ts';
import { violatesUnique } from '../unique-violation.ts';

/** A releases row as selected (SELECT_RELEASE), with the version of the release before it. */
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
  progress: string | null;
  error_code: string | null;
  error_details: string | null;
  include_trials: boolean;
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
    includeTrials: r.include_trials,
  };
};

// released_at is a date: written out as the API gives it (YYYY-MM-DD), whatever the server's DateStyle.
const SELECT_RELEASE = `SELECT r.id, r.dataset_id, r.version, r.title, r.notes, r.filter, r.dataset_meta,
    to_char(r.released_at, 'YYYY-MM-DD') AS released_at, p.version AS previous_version, r.item_count, r.counts,
    r.state, r.files, r.archive_name, r.archive_size, r.archive_sha256, r.error, r.created_by, r.created_at,
    r.published_at, r.progress, r.error_code, r.error_details, r.include_trials
  FROM releases r LEFT JOIN releases p ON p.id = r.previous_id`;
const LOCATION = `SELECT id, version, state, files_dir AS "filesDir", builder, snapshot_complete AS "snapshotComplete"
  FROM releases`;

/** Release rows on PostgreSQL (server/db/releases/records.ts): registered, read one at a time or listed. */
export function pgRecordQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof recordQueries>> {
  const byVersion = async (datasetId: number, version: string) => {
    const [r] = await db.query<ReleaseRow>(`${SELECT_RELEASE} WHERE r.dataset_id = $1 AND r.version = $2`, [
      datasetId,
      version,
    ]);
    return r && toRelease(r);
  };

  return {
    get: async (id) => {
      const [r] = await db.query<ReleaseRow>(`${SELECT_RELEASE} WHERE r.id = $1`, [id]);
      return r && toRelease(r);
    },
    byVersion,
    list: async (datasetId) =>
      (datasetId === undefined
        ? await db.query<ReleaseRow>(`${SELECT_RELEASE} ORDER BY r.id DESC LIMIT 500`)
        : await db.query<ReleaseRow>(`${SELECT_RELEASE} WHERE r.dataset_id = $1 ORDER BY r.id DESC`, [
            datasetId,
          ])
      ).map(toRelease),
    datasetMeta: async (id) =>
      JSON.parse(
        (await db.query<{ m: string }>('SELECT dataset_meta AS m FROM releases WHERE id = $1', [id]))[0].m,
      ) as ReleaseSnapshot['dataset'],
    // The caller checked the version is free, in its transaction; on SQLite nobody can take it meanwhile. Here another
    // instance can: the unique constraint refuses the second, which gets the answer the check would have given
    // (in a savepoint, so the caller's transaction can still read the winner).
    insert: async (r) => {
      try {
        return await db.transaction(
          async () =>
            (
              await db.query<{ id: number }>(
                `INSERT INTO releases (dataset_id, version, title, notes, filter, dataset_meta, released_at, previous_id,
                   item_count, counts, state, created_by, created_at, files_dir, builder, snapshot_complete, progress,
                   include_trials)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, '{"total":0,"languages":[],"categories":[],"cells":[]}',
                   'building', $9, $10, $11, $12, false, '{"phase":"queued","done":0,"total":null}', $13)
                 RETURNING id`,
                [
                  r.datasetId,
                  r.version,
                  r.title,
                  r.notes,
                  JSON.stringify(r.filter),
                  JSON.stringify(r.datasetMeta),
                  r.releasedAt,
                  r.previousId,
                  r.createdBy,
                  r.createdAt,
                  r.filesDir,
                  r.builder,
                  r.includeTrials ?? false,
                ],
              )
            )[0].id,
        );
      } catch (error) {
        if (!violatesUnique(error, 'releases_version_unique')) throw error;
        throw conflict('release-exists', `Release ${r.version} exists; a correction is a new version`, {
          release: await byVersion(r.datasetId, r.version),
        });
      }
    },
    location: async (id): Promise<ReleaseLocation | undefined> =>
      (await db.query<ReleaseLocation>(`${LOCATION} WHERE id = $1`, [id]))[0],
    unpublished: async () => db.query<ReleaseLocation>(`${LOCATION} WHERE state <> 'published' ORDER BY id`),
  };
}
