-- 013: a release is built by a job off the request thread (server/domain/release-build.ts). Its snapshot is
-- read in one read transaction and written into release_items in short slices while the release is not
-- published (nobody reads an unpublished release's items), then published in one tiny transaction.
--
-- snapshot_complete: 1 once every item of the snapshot is written and checked (then a failed build is built
--   again from the stored snapshot); 0 while slices are still being written (a dead build's staged rows are
--   removed at start-up, and a new build takes a new snapshot). Releases before this migration are complete.
-- progress: while building, JSON {phase, done, total} written by the job (at most every 200 ms).
-- error_code, error_details: why a build failed, as the API error would have said it (e.g. incomplete-items
--   with the items), so a maintainer polling the release sees what to fix.
ALTER TABLE releases ADD COLUMN snapshot_complete INTEGER NOT NULL DEFAULT 1 CHECK (snapshot_complete IN (0, 1));
ALTER TABLE releases ADD COLUMN progress TEXT;
ALTER TABLE releases ADD COLUMN error_code TEXT;
ALTER TABLE releases ADD COLUMN error_details TEXT;
