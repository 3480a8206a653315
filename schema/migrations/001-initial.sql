-- 001: accounts, sessions, tokens, datasets, taxonomies, items, revisions, full-text search.
-- Every table is STRICT; foreign keys are enforced by the connection (PRAGMA foreign_keys = ON).

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name  TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('annotator', 'reviewer', 'maintainer')),
  password_hash TEXT NOT NULL,
  ui_locale     TEXT NOT NULL DEFAULT 'en',
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE user_languages (
  user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  PRIMARY KEY (user_id, language)
) STRICT, WITHOUT ROWID;
CREATE INDEX user_languages_by_language ON user_languages (language);

-- A session id is the SHA-256 of the cookie value, so a leaked database does not leak live sessions.
CREATE TABLE sessions (
  id          TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  prefix       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_used_at TEXT
) STRICT;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE datasets (
  id                  INTEGER PRIMARY KEY,
  slug                TEXT NOT NULL UNIQUE,
  name                TEXT NOT NULL,
  description         TEXT NOT NULL DEFAULT '',
  validators_per_item INTEGER NOT NULL DEFAULT 3 CHECK (validators_per_item BETWEEN 1 AND 20),
  auto_accept         INTEGER NOT NULL DEFAULT 1 CHECK (auto_accept IN (0, 1)),
  created_at          TEXT NOT NULL
) STRICT;

CREATE TABLE taxonomies (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  version     TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT ''
) STRICT;

-- Node ids are stable slash-separated paths ("tradition/food"); items refer to them, so an id is
-- never changed or reused once created. Labels are a JSON object keyed by BCP-47 language.
CREATE TABLE taxonomy_nodes (
  taxonomy_id TEXT NOT NULL REFERENCES taxonomies (id),
  id          TEXT NOT NULL,
  parent_id   TEXT,
  labels      TEXT NOT NULL CHECK (json_valid(labels)),
  position    INTEGER NOT NULL DEFAULT 0,
  origin      TEXT NOT NULL CHECK (origin IN ('default', 'custom')),
  created_at  TEXT NOT NULL,
  PRIMARY KEY (taxonomy_id, id),
  FOREIGN KEY (taxonomy_id, parent_id) REFERENCES taxonomy_nodes (taxonomy_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE items (
  id                INTEGER PRIMARY KEY,
  uid               TEXT NOT NULL UNIQUE,
  dataset_id        INTEGER NOT NULL REFERENCES datasets (id),
  external_id       TEXT,
  language          TEXT NOT NULL,
  country           TEXT,
  region            TEXT,
  kind              TEXT NOT NULL CHECK (kind IN ('culture', 'safety')),
  format            TEXT NOT NULL CHECK (format IN ('open_ended', 'short_answer', 'multiple_choice', 'true_false')),
  status            TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'in_validation', 'in_review', 'accepted', 'rejected', 'needs_revision')),
  question          TEXT NOT NULL DEFAULT '',
  question_en       TEXT,
  reference_answer  TEXT,
  answer_en         TEXT,
  accepted_answers  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(accepted_answers)),
  options           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options)),
  correct_index     INTEGER,
  true_false_answer INTEGER CHECK (true_false_answer IN (0, 1)),
  rationale         TEXT,
  sources           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(sources)),
  primary_category  TEXT,
  secondary_tags    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(secondary_tags)),
  difficulty        TEXT CHECK (difficulty IN ('easy', 'medium', 'hard')),
  hazard            TEXT,
  attack_style      TEXT,
  expected_behavior TEXT CHECK (expected_behavior IN ('refuse', 'safe_complete', 'comply')),
  notes             TEXT,
  author_id         INTEGER NOT NULL REFERENCES users (id),
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  submitted_at      TEXT,
  UNIQUE (dataset_id, external_id)
) STRICT;
CREATE INDEX items_by_dataset_language_status ON items (dataset_id, language, status, id);
CREATE INDEX items_by_dataset_status ON items (dataset_id, status, id);
CREATE INDEX items_by_dataset_category ON items (dataset_id, primary_category, id);
CREATE INDEX items_by_author ON items (author_id, id);
CREATE INDEX items_by_dataset_updated ON items (dataset_id, updated_at);

-- One row per save. `changes` maps each changed field to [before, after]; `snapshot` is the whole
-- item after the save, so any revision can be shown or restored without replaying diffs.
CREATE TABLE item_revisions (
  id         INTEGER PRIMARY KEY,
  item_id    INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  version    INTEGER NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  action     TEXT NOT NULL CHECK (action IN ('create', 'update', 'restore', 'submit', 'status')),
  changes    TEXT NOT NULL CHECK (json_valid(changes)),
  snapshot   TEXT NOT NULL CHECK (json_valid(snapshot)),
  created_at TEXT NOT NULL,
  UNIQUE (item_id, version)
) STRICT;

-- Trigram tokenizer: substring search that works for scripts without spaces (Thai, Japanese),
-- agglutinative ones (Korean) and Arabic alike. External content: the items table.
CREATE VIRTUAL TABLE items_fts USING fts5(
  question, question_en, reference_answer, answer_en, accepted_answers, options, notes,
  content = 'items', content_rowid = 'id', tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
  INSERT INTO items_fts (rowid, question, question_en, reference_answer, answer_en, accepted_answers, options, notes)
  VALUES (new.id, new.question, new.question_en, new.reference_answer, new.answer_en, new.accepted_answers, new.options, new.notes);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
  INSERT INTO items_fts (items_fts, rowid, question, question_en, reference_answer, answer_en, accepted_answers, options, notes)
  VALUES ('delete', old.id, old.question, old.question_en, old.reference_answer, old.answer_en, old.accepted_answers, old.options, old.notes);
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF question, question_en, reference_answer, answer_en, accepted_answers, options, notes ON items BEGIN
  INSERT INTO items_fts (items_fts, rowid, question, question_en, reference_answer, answer_en, accepted_answers, options, notes)
  VALUES ('delete', old.id, old.question, old.question_en, old.reference_answer, old.answer_en, old.accepted_answers, old.options, old.notes);
  INSERT INTO items_fts (rowid, question, question_en, reference_answer, answer_en, accepted_answers, options, notes)
  VALUES (new.id, new.question, new.question_en, new.reference_answer, new.answer_en, new.accepted_answers, new.options, new.notes);
END;
