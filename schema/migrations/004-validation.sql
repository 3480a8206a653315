-- 004: independent validation, gold items, reviewer decisions (SPEC §5).

-- Per-dataset validation settings that are not on the datasets row (a missing row means the defaults).
CREATE TABLE validation_settings (
  dataset_id    INTEGER PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
  gold_rate     REAL NOT NULL DEFAULT 0.1 CHECK (gold_rate >= 0 AND gold_rate <= 1),
  lease_minutes INTEGER NOT NULL DEFAULT 30 CHECK (lease_minutes BETWEEN 1 AND 1440)
) STRICT;

-- Validation state of an item. `round` counts submissions: validations belong to one round, and a
-- resubmitted (or edited accepted) item starts a new round that needs N fresh validations. A missing
-- row means round 1 with nothing decided yet.
CREATE TABLE item_validation (
  item_id     INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  round       INTEGER NOT NULL DEFAULT 1,
  validations INTEGER NOT NULL DEFAULT 0,
  agreement   REAL,
  unanimous   INTEGER CHECK (unanimous IN (0, 1)),
  resolution  TEXT CHECK (resolution IN ('unanimous', 'adjudicated')),
  updated_at  TEXT
) STRICT;
-- The review queue: lowest agreement first.
CREATE INDEX item_validation_by_agreement ON item_validation (agreement, item_id);

-- Whatever path an item takes back to `submitted` (resubmission after needs_revision, an edited
-- accepted item, an import), it starts a new round. A trigger so no code path can forget it.
CREATE TRIGGER item_validation_new_round AFTER UPDATE OF status ON items
WHEN new.status = 'submitted' AND old.status <> 'submitted'
BEGIN
  INSERT INTO item_validation (item_id, round) VALUES (new.id, 1)
  ON CONFLICT (item_id) DO UPDATE SET round = round + 1, validations = 0, agreement = NULL,
    unanimous = NULL, resolution = NULL, updated_at = NULL;
END;

-- A validation slot: a lease while `leased`, a validation once `submitted`. Gold checks use round 0
-- and never count towards an item's N. A lease past `expires_at` is reclaimed (deleted) by the next
-- assignment, so its slot returns to the pool.
CREATE TABLE validations (
  id            INTEGER PRIMARY KEY,
  item_id       INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  -- The item's dataset, copied so the agreement report reads one covering index, not the items table.
  dataset_id    INTEGER NOT NULL REFERENCES datasets (id),
  round         INTEGER NOT NULL,
  validator_id  INTEGER NOT NULL REFERENCES users (id),
  gold          INTEGER NOT NULL DEFAULT 0 CHECK (gold IN (0, 1)),
  item_version  INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('leased', 'submitted')),
  leased_at     TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  own_answer    TEXT CHECK (own_answer IS NULL OR json_valid(own_answer)),
  own_answer_at TEXT,
  -- Whether the own answer matched the reference as it stood when the validator answered (after
  -- normalisation); NULL when there is nothing to compare.
  own_answer_match INTEGER CHECK (own_answer_match IN (0, 1)),
  grounded      TEXT CHECK (grounded IN ('yes', 'no', 'unsure')),
  correct       TEXT CHECK (correct IN ('yes', 'no', 'unsure')),
  category      TEXT CHECK (category IN ('keep', 'other')),
  category_path TEXT,
  quality       INTEGER CHECK (quality BETWEEN 1 AND 5),
  comment       TEXT,
  submitted_at  TEXT,
  -- Milliseconds from lease to submit (time per task).
  duration_ms   INTEGER,
  CHECK (status = 'leased' OR (grounded IS NOT NULL AND correct IS NOT NULL AND category IS NOT NULL
    AND quality IS NOT NULL AND submitted_at IS NOT NULL)),
  UNIQUE (item_id, round, validator_id)
) STRICT;
CREATE INDEX validations_by_validator ON validations (validator_id, status);
CREATE INDEX validations_leases ON validations (expires_at) WHERE status = 'leased';
-- Covering index for the agreement report: 300k validations are read without touching the table.
CREATE INDEX validations_agreement ON validations (dataset_id, status, gold, item_id, round, validator_id,
  grounded, correct, category, category_path, quality, own_answer_match, duration_ms);

-- Known-answer items mixed into task streams to measure validators. Never assigned as ordinary work.
CREATE TABLE gold_items (
  item_id    INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  grounded   TEXT NOT NULL CHECK (grounded IN ('yes', 'no', 'unsure')),
  correct    TEXT NOT NULL CHECK (correct IN ('yes', 'no', 'unsure')),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL
) STRICT;

-- The audit trail: one row per decision. reviewer_id NULL = automatic (unanimous accept).
CREATE TABLE review_decisions (
  id           INTEGER PRIMARY KEY,
  item_id      INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  round        INTEGER NOT NULL,
  item_version INTEGER NOT NULL,
  reviewer_id  INTEGER REFERENCES users (id),
  decision     TEXT NOT NULL CHECK (decision IN ('accept', 'reject', 'needs_revision')),
  message      TEXT,
  created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX review_decisions_by_item ON review_decisions (item_id, id);

-- Assignment: the oldest waiting item of one language, without touching finished items.
CREATE INDEX items_awaiting_validation ON items (language, id) WHERE status IN ('submitted', 'in_validation');
