import type { ReleaseCounts, ReleaseFileEntry, ReleaseProgress } from '../../../schema/release.ts';
import type { Db } from '../connection.ts';

/**
 * A release's build as its row records it: claimed by a builder (`<host>:<pid>`), its progress, its snapshot marked
 * complete with the counts, then published or failed; a failed release that never had a snapshot is removed.
 */
export function buildStateQueries(db: Db) {
  const claim = db.prepare(
    `UPDATE releases SET state = 'building', error = NULL, error_code = NULL, error_details = NULL,
       builder = @builder, progress = '{"phase":"queued","done":0,"total":null}'
     WHERE id = @id AND state <> 'published'`,
  );
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
  const deleteRelease = db.prepare(
    `DELETE FROM releases WHERE id = ? AND state = 'failed' AND snapshot_complete = 0`,
  );
  const publish = db.prepare(
    `UPDATE releases SET state = 'published', error = NULL, files = @files, archive_name = @archiveName,
       archive_size = @archiveSize, archive_sha256 = @archiveSha256, published_at = @publishedAt,
       builder = NULL, progress = NULL
     WHERE id = @id AND state = 'building' AND builder = @builder AND snapshot_complete = 1`,
  );

  return {
    setCounts: (id: number, itemCount: number, counts: ReleaseCounts): void => {
      setCounts.run({ id, itemCount, counts: JSON.stringify(counts) });
    },
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
    /** Deletes a failed release that never had a complete snapshot (its version may be cut again). */
    removeUnfinished: (id: number): boolean => deleteRelease.run(id).changes === 1,
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
  };
}
