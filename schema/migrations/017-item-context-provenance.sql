-- 017: benchmark files in without loss (issue 13, points 1, 2 and 5).
--
-- items.context: an optional passage the question refers to (reading comprehension; CLIcK's `paragraph`).
-- items.metadata: the fields of a third-party source that no item field holds, as a JSON object (KMMLU's
--   `Human Accuracy`, INCLUDE's `level`, BLEnD's `annotations` with their counts and `idks`); exported.
-- items.origin: where an imported third-party item comes from, {benchmark, file, row, id}, as JSON.
-- items.license: the item's own licence id (a third-party source's); NULL: the release's licence.
ALTER TABLE items ADD COLUMN context TEXT;
ALTER TABLE items ADD COLUMN metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata));
ALTER TABLE items ADD COLUMN origin TEXT CHECK (origin IS NULL OR json_valid(origin));
ALTER TABLE items ADD COLUMN license TEXT;

-- imports.format also takes `json`: one JSON document holding an array of records (BLEnD's annotation
-- files, CLIcK's files). SQLite cannot change a CHECK in place, so the table is rebuilt
-- (https://sqlite.org/lang_altertable.html §7). import_items refers to imports with ON DELETE CASCADE:
-- dropping imports would empty it, so its rows are set aside first and it is rebuilt after.
CREATE TEMP TABLE import_items_kept AS SELECT * FROM import_items;
DROP TABLE import_items;

CREATE TABLE imports_rebuilt (
  id               INTEGER PRIMARY KEY,
  dataset_id       INTEGER NOT NULL REFERENCES datasets (id),
  user_id          INTEGER NOT NULL REFERENCES users (id),
  file_name        TEXT NOT NULL,
  format           TEXT NOT NULL CHECK (format IN ('csv', 'jsonl', 'json')),
  options          TEXT NOT NULL CHECK (json_valid(options)),
  dry_run          INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  item_status      TEXT NOT NULL CHECK (item_status IN ('submitted', 'accepted')),
  state            TEXT NOT NULL CHECK (state IN ('waiting', 'reading', 'writing', 'checked', 'imported', 'failed')),
  bytes_total      INTEGER,
  bytes_read       INTEGER NOT NULL DEFAULT 0,
  rows_total       INTEGER,
  rows_processed   INTEGER NOT NULL DEFAULT 0,
  error_count      INTEGER NOT NULL DEFAULT 0,
  errors           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(errors)),
  created          INTEGER NOT NULL DEFAULT 0,
  updated          INTEGER NOT NULL DEFAULT 0,
  unchanged        INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  finished_at      TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
  rows_hidden      INTEGER NOT NULL DEFAULT 0 CHECK (rows_hidden IN (0, 1)),
  run              INTEGER NOT NULL DEFAULT 0
) STRICT;
-- Every column by name, as of 016 (rows_hidden, run): a column added to imports before 017 belongs here too.
INSERT INTO imports_rebuilt
  SELECT id, dataset_id, user_id, file_name, format, options, dry_run, item_status, state, bytes_total,
    bytes_read, rows_total, rows_processed, error_count, errors, created, updated, unchanged, created_at,
    finished_at, cancel_requested, rows_hidden, run
  FROM imports;
DROP TABLE imports;
ALTER TABLE imports_rebuilt RENAME TO imports;
CREATE INDEX imports_by_dataset ON imports (dataset_id, id);

CREATE TABLE import_items (
  import_id INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  item_id   INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  row       INTEGER NOT NULL,
  action    TEXT NOT NULL CHECK (action IN ('created', 'updated', 'unchanged')),
  PRIMARY KEY (import_id, item_id)
) STRICT, WITHOUT ROWID;
INSERT INTO import_items (import_id, item_id, row, action)
  SELECT import_id, item_id, row, action FROM temp.import_items_kept;
DROP TABLE temp.import_items_kept;
CREATE INDEX import_items_by_item ON import_items (item_id, import_id);
