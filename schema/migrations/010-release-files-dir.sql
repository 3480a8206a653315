-- 010: a release's files are found through a folder frozen in its row, never through the dataset's current
-- slug (renaming a slug, or another dataset taking it, must never move, hide or replace published files).
--
-- files_dir: the release's folder relative to the releases directory. New releases get
-- `<slug at release time>/<version>~<random>`, so no two releases ever share one; published releases of
-- older databases keep the folder they were built into, `<slug>/<version>` (the slug is the one in their
-- archive name), so nothing on disk moves. Unpublished ones have no files in place and get a new folder.
-- builder: `<host>:<pid>` of the process building the release while it is `building`; a server starting
-- up marks releases whose builder is gone as failed (server/domain/releases.ts reconcileReleases).

-- The trigger that freezes published rows is lifted for the backfill only.
DROP TRIGGER releases_published_frozen;

ALTER TABLE releases ADD COLUMN files_dir TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN builder TEXT;

UPDATE releases SET files_dir = CASE
  WHEN state = 'published' AND archive_name IS NOT NULL
    THEN substr(archive_name, 1, length(archive_name) - length(version) - length('-.tar.gz')) || '/' || version
  ELSE json_extract(dataset_meta, '$.slug') || '/' || version || '~' || lower(hex(randomblob(6)))
END;

CREATE TRIGGER releases_published_frozen BEFORE UPDATE ON releases
WHEN old.state = 'published'
BEGIN
  SELECT RAISE(ABORT, 'a published release cannot be changed');
END;

-- Who may read a release's contents depends on whether any of its items is a gold item now: looked up
-- from the (small) gold table into the release's items.
CREATE INDEX release_items_by_item ON release_items (item_id, release_id);
