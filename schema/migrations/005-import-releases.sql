-- 005: bulk import jobs with per-item provenance, and immutable versioned releases (SPEC §6–7).

-- One upload: its options, progress (the UI polls it) and its report. Errors keep the first 1000;
-- error_count counts them all.
CREATE TABLE imports (
  id             INTEGER PRIMARY KEY,
  dataset_id     INTEGER NOT NULL REFERENCES datasets (id),
  user_id        INTEGER NOT NULL REFERENCES users (id),
  file_name      TEXT NOT NULL,
  format         TEXT NOT NULL CHECK (format IN ('csv', 'jsonl')),
  options        TEXT NOT NULL CHECK (json_valid(options)),
  dry_run        INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  item_status    TEXT NOT NULL CHECK (item_status IN ('submitted', 'accepted')),
  state          TEXT NOT NULL CHECK (state IN ('waiting', 'reading', 'writing', 'checked', 'imported', 'failed')),
  bytes_total    INTEGER,
  bytes_read     INTEGER NOT NULL DEFAULT 0,
  rows_total     INTEGER,
  rows_processed INTEGER NOT NULL DEFAULT 0,
  error_count    INTEGER NOT NULL DEFAULT 0,
  errors         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(errors)),
  created        INTEGER NOT NULL DEFAULT 0,
  updated        INTEGER NOT NULL DEFAULT 0,
  unchanged      INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  finished_at    TEXT
) STRICT;
CREATE INDEX imports_by_dataset ON imports (dataset_id, id);

-- Provenance: which import wrote which item, from which data row of the file.
CREATE TABLE import_items (
  import_id INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  item_id   INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  row       INTEGER NOT NULL,
  action    TEXT NOT NULL CHECK (action IN ('created', 'updated', 'unchanged')),
  PRIMARY KEY (import_id, item_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX import_items_by_item ON import_items (item_id, import_id);

-- A release. Its snapshot (release_items) is written in the same transaction as this row; the files
-- are built afterwards into a temporary directory, renamed into place, and only then is the row marked
-- published. A row that is not published has no files in place and can be built again.
CREATE TABLE releases (
  id               INTEGER PRIMARY KEY,
  dataset_id       INTEGER NOT NULL REFERENCES datasets (id),
  version          TEXT NOT NULL,
  title            TEXT NOT NULL,
  notes            TEXT NOT NULL DEFAULT '',
  filter           TEXT NOT NULL CHECK (json_valid(filter)),
  -- The dataset part of the snapshot (slug, name, description, license, url) as it was at release time.
  dataset_meta     TEXT NOT NULL CHECK (json_valid(dataset_meta)),
  released_at      TEXT NOT NULL,
  previous_id      INTEGER REFERENCES releases (id),
  item_count       INTEGER NOT NULL,
  counts           TEXT NOT NULL CHECK (json_valid(counts)),
  state            TEXT NOT NULL CHECK (state IN ('building', 'published', 'failed')),
  files            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files)),
  archive_name     TEXT,
  archive_size     INTEGER,
  archive_sha256   TEXT,
  error            TEXT,
  created_by       INTEGER NOT NULL REFERENCES users (id),
  created_at       TEXT NOT NULL,
  published_at     TEXT,
  UNIQUE (dataset_id, version)
) STRICT;

-- The frozen items of a release: `snapshot` is the ReleaseItem (authored fields, uid, annotation)
-- exactly as the writers receive it, so later edits to the item never reach a release.
CREATE TABLE release_items (
  id         INTEGER PRIMARY KEY,
  release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
  uid        TEXT NOT NULL,
  language   TEXT NOT NULL,
  item_id    INTEGER NOT NULL,
  snapshot   TEXT NOT NULL CHECK (json_valid(snapshot)),
  UNIQUE (release_id, uid)
) STRICT;

-- Immutability is enforced below the application: a published release's snapshot and identity never change.
CREATE TRIGGER release_items_no_update BEFORE UPDATE ON release_items
BEGIN
  SELECT RAISE(ABORT, 'release snapshots are immutable');
END;
CREATE TRIGGER release_items_no_delete_published BEFORE DELETE ON release_items
WHEN (SELECT state FROM releases WHERE id = old.release_id) = 'published'
BEGIN
  SELECT RAISE(ABORT, 'a published release cannot be changed');
END;
CREATE TRIGGER releases_published_frozen BEFORE UPDATE ON releases
WHEN old.state = 'published'
BEGIN
  SELECT RAISE(ABORT, 'a published release cannot be changed');
END;
CREATE TRIGGER releases_published_no_delete BEFORE DELETE ON releases
WHEN old.state = 'published'
BEGIN
  SELECT RAISE(ABORT, 'a published release cannot be deleted');
END;
