import type { AsyncRepository } from '../../async-repository.ts';
import type { buildStateQueries } from '../../releases/build-state.ts';
import type { PgDatabase } from '../database.ts';

/**
 * A release's build as its row records it, on PostgreSQL (server/db/releases/build-state.ts): every step is one
 * conditional UPDATE naming the builder, so that of two instances only the one building a release moves it on.
 * A published release never changes: 50-releases.sql's triggers refuse it too.
 */
export function pgBuildStateQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof buildStateQueries>> {
  return {
    setCounts: async (id, itemCount, counts) => {
      await db.execute(
        'UPDATE releases SET item_count = $2, counts = $3, snapshot_complete = true WHERE id = $1',
        [id, itemCount, JSON.stringify(counts)],
      );
    },
    claim: async (id, builder) =>
      (await db.execute(
        `UPDATE releases SET state = 'building', error = NULL, error_code = NULL, error_details = NULL,
           builder = $2, progress = '{"phase":"queued","done":0,"total":null}'
         WHERE id = $1 AND state <> 'published'`,
        [id, builder],
      )) === 1,
    fail: async (id, builder, error, code = null, details = null) =>
      (await db.execute(
        `UPDATE releases SET state = 'failed', error = $3, error_code = $4, error_details = $5, builder = NULL,
           progress = NULL
         WHERE id = $1 AND state = 'building' AND builder IS NOT DISTINCT FROM $2::text`,
        [id, builder, error, code, details === null ? null : JSON.stringify(details)],
      )) === 1,
    setProgress: async (id, builder, progress) => {
      await db.execute(
        `UPDATE releases SET progress = $3 WHERE id = $1 AND state = 'building' AND builder = $2`,
        [id, builder, JSON.stringify(progress)],
      );
    },
    // The writers read the whole snapshot next, a page at a time in uid order: fresh statistics of release_items
    // (thousands of rows just written) let each page walk its (release_id, uid) index rather than sort the release.
    completeSnapshot: async (id, builder, counts) => {
      const done =
        (await db.execute(
          `UPDATE releases SET snapshot_complete = true, item_count = $3, counts = $4
           WHERE id = $1 AND state = 'building' AND builder = $2`,
          [id, builder, counts.total, JSON.stringify(counts)],
        )) === 1;
      if (done) await db.exec('ANALYZE release_items');
      return done;
    },
    removeUnfinished: async (id) =>
      (await db.execute(`DELETE FROM releases WHERE id = $1 AND state = 'failed' AND NOT snapshot_complete`, [
        id,
      ])) === 1,
    publish: async (id, p) =>
      (await db.execute(
        `UPDATE releases SET state = 'published', error = NULL, files = $3, archive_name = $4, archive_size = $5,
           archive_sha256 = $6, published_at = $7, builder = NULL, progress = NULL
         WHERE id = $1 AND state = 'building' AND builder = $2 AND snapshot_complete`,
        [
          id,
          p.builder,
          JSON.stringify(p.files),
          p.archiveName,
          p.archiveSize,
          p.archiveSha256,
          p.publishedAt,
        ],
      )) === 1,
  };
}
