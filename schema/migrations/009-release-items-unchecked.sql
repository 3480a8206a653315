-- release_items.snapshot loses its json_valid CHECK. Every snapshot is built by SQLite's json_object in
-- the INSERT … SELECT that freezes a release, so it is valid JSON by construction; checking it again cost
-- a full re-parse of every item (about 150 ms of a 100k-item release). The immutability triggers stay.
-- SQLite cannot drop a CHECK in place: the table is rebuilt (https://sqlite.org/lang_altertable.html §7).
CREATE TABLE release_items_rebuilt (
  id         INTEGER PRIMARY KEY,
  release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
  uid        TEXT NOT NULL,
  language   TEXT NOT NULL,
  item_id    INTEGER NOT NULL,
  -- A ReleaseItem as JSON (server/db/releases.ts SNAPSHOT_JSON).
  snapshot   TEXT NOT NULL,
  UNIQUE (release_id, uid)
) STRICT;

INSERT INTO release_items_rebuilt (id, release_id, uid, language, item_id, snapshot)
  SELECT id, release_id, uid, language, item_id, snapshot FROM release_items;

DROP TABLE release_items;
ALTER TABLE release_items_rebuilt RENAME TO release_items;

CREATE TRIGGER release_items_no_update BEFORE UPDATE ON release_items
BEGIN
  SELECT RAISE(ABORT, 'release snapshots are immutable');
END;
CREATE TRIGGER release_items_no_delete_published BEFORE DELETE ON release_items
WHEN (SELECT state FROM releases WHERE id = old.release_id) = 'published'
BEGIN
  SELECT RAISE(ABORT, 'a published release cannot be changed');
END;
