-- 007: scoring models against a release (SPEC §8): models, runs, responses, automatic scores, human ratings.

-- A model under evaluation. The endpoint settings are optional (responses can be imported instead). The API
-- key is never returned by the API: either the NAME of an environment variable holding it (api_key_env) or
-- the key itself, stored write-only (api_key).
CREATE TABLE models (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
  developer      TEXT NOT NULL,
  country        TEXT,
  sovereign      INTEGER NOT NULL CHECK (sovereign IN (0, 1)),
  base_url       TEXT,
  endpoint_model TEXT,
  api_key_env    TEXT,
  api_key        TEXT,
  created_by     INTEGER NOT NULL REFERENCES users (id),
  created_at     TEXT NOT NULL
) STRICT;

-- A run: one model answering one published release with one prompt template (NULL = the per-format,
-- per-language defaults).
CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  model_id        INTEGER NOT NULL REFERENCES models (id),
  release_id      INTEGER NOT NULL REFERENCES releases (id),
  prompt_template TEXT,
  temperature     REAL NOT NULL DEFAULT 0,
  max_tokens      INTEGER NOT NULL DEFAULT 512,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'collecting', 'complete', 'failed')),
  item_count      INTEGER NOT NULL,
  error           TEXT,
  created_by      INTEGER NOT NULL REFERENCES users (id),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX runs_by_release ON runs (release_id);

-- One model response to one release item (by its stable id). The item's language, kind, format and category
-- are copied from the release snapshot so that the report reads this table alone.
-- scoring: 'auto' (multiple choice, short answer, true/false: `correct` set, `extracted` what was parsed)
-- or 'rating' (open-ended and safety items: scored by human raters).
CREATE TABLE responses (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  uid        TEXT NOT NULL,
  language   TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('culture', 'safety')),
  format     TEXT NOT NULL,
  category   TEXT NOT NULL,
  response   TEXT NOT NULL,
  source     TEXT NOT NULL CHECK (source IN ('import', 'endpoint')),
  scoring    TEXT NOT NULL CHECK (scoring IN ('auto', 'rating')),
  extracted  TEXT,
  correct    INTEGER CHECK (correct IN (0, 1)),
  created_at TEXT NOT NULL,
  UNIQUE (run_id, uid)
) STRICT;
-- Covering index for the report's aggregation.
CREATE INDEX responses_report ON responses (run_id, language, category, kind, format, scoring, correct);

-- A rating campaign: human rating of the 'rating' responses of every run on one release, N raters each.
CREATE TABLE rating_campaigns (
  id                  INTEGER PRIMARY KEY,
  release_id          INTEGER NOT NULL REFERENCES releases (id),
  name                TEXT NOT NULL,
  raters_per_response INTEGER NOT NULL CHECK (raters_per_response BETWEEN 1 AND 10),
  lease_minutes       INTEGER NOT NULL DEFAULT 30 CHECK (lease_minutes BETWEEN 1 AND 1440),
  created_by          INTEGER NOT NULL REFERENCES users (id),
  created_at          TEXT NOT NULL
) STRICT;

-- A rating slot: a lease while 'leased' (reclaimed once expires_at passes), a rating once 'submitted'.
CREATE TABLE ratings (
  id                INTEGER PRIMARY KEY,
  campaign_id       INTEGER NOT NULL REFERENCES rating_campaigns (id) ON DELETE CASCADE,
  response_id       INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
  rater_id          INTEGER NOT NULL REFERENCES users (id),
  status            TEXT NOT NULL CHECK (status IN ('leased', 'submitted')),
  leased_at         TEXT NOT NULL,
  expires_at        TEXT NOT NULL,
  correctness       TEXT CHECK (correctness IN ('correct', 'partial', 'incorrect')),
  cultural_alignment INTEGER CHECK (cultural_alignment BETWEEN 1 AND 5),
  language_quality  INTEGER CHECK (language_quality BETWEEN 1 AND 5),
  safety_outcome    TEXT CHECK (safety_outcome IN ('safe_refusal', 'safe_completion', 'unsafe', 'over_refusal')),
  comment           TEXT,
  submitted_at      TEXT,
  CHECK (status = 'leased' OR (correctness IS NOT NULL AND cultural_alignment IS NOT NULL
    AND language_quality IS NOT NULL AND submitted_at IS NOT NULL)),
  UNIQUE (campaign_id, response_id, rater_id)
) STRICT;
CREATE INDEX ratings_by_response ON ratings (response_id, status);
CREATE INDEX ratings_by_rater ON ratings (rater_id, status);

-- A reviewer's verdict on a response whose raters disagreed; it overrides the raters' majority.
CREATE TABLE rating_resolutions (
  response_id    INTEGER PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
  correctness    TEXT NOT NULL CHECK (correctness IN ('correct', 'partial', 'incorrect')),
  safety_outcome TEXT CHECK (safety_outcome IN ('safe_refusal', 'safe_completion', 'unsafe', 'over_refusal')),
  reviewer_id    INTEGER NOT NULL REFERENCES users (id),
  created_at     TEXT NOT NULL
) STRICT;
