import type { ReleaseSnapshot } from '../../../../schema/release.ts';
import { conflict } from '../../../errors.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import {
  type ReleaseLocation,
  type ReleaseRow,
  type recordQueries,
  toRelease,
} from '../../releases/records.ts';
import type { PgDatabase } from '../database.ts';
import { violatesUnique } from '../unique-violation.ts';

// SQLite's row and mapper (toRelease). released_at is a date: written out as the API gives it (YYYY-MM-DD),
// whatever the server's DateStyle; include_trials as SQLite's 0/1.
const SELECT_RELEASE = `SELECT r.id, r.dataset_id, r.version, r.title, r.notes, r.filter, r.dataset_meta,
    to_char(r.released_at, 'YYYY-MM-DD') AS released_at, p.version AS previous_version, r.item_count, r.counts,
    r.state, r.files, r.archive_name, r.archive_size, r.archive_sha256, r.error, r.created_by, r.created_at,
    r.published_at, r.progress, r.error_code, r.error_details, r.include_trials::int AS include_trials
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
