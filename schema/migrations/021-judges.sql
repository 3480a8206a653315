-- 021: an LLM judge (issue 15, docs/scoring.md "Judge runs" and "Judge calibration"): a registered model with a
-- rubric, its runs over a model run's rated responses (a job, like a collection), every raw judge output kept
-- for audit, and the per-dataset thresholds that make a slice "judge-trusted".

-- A judge: a model (its endpoint and key, as for collection) and a rubric: JSON
-- { "language": "en" | "item", "criteria": text | null, "templates": [{ kind, format, language | null, template }] }.
CREATE TABLE judges (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  model_id    INTEGER NOT NULL REFERENCES models (id),
  rubric      TEXT NOT NULL CHECK (json_valid(rubric)),
  temperature REAL NOT NULL DEFAULT 0,
  max_tokens  INTEGER NOT NULL DEFAULT 512,
  created_by  INTEGER NOT NULL REFERENCES users (id),
  created_at  TEXT NOT NULL
) STRICT;

-- One judge over one model run's responses to rate (open-ended and safety). Started again, it resumes: it
-- asks only for responses without an output. `stop` is set by a cancel ('cancel') or by a server that is
-- shutting down ('shutdown'); the job reads it between requests.
CREATE TABLE judge_runs (
  id          INTEGER PRIMARY KEY,
  judge_id    INTEGER NOT NULL REFERENCES judges (id),
  run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  state       TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'cancelled', 'failed', 'interrupted')),
  total       INTEGER NOT NULL DEFAULT 0,
  asked       INTEGER NOT NULL DEFAULT 0,
  judged      INTEGER NOT NULL DEFAULT 0,
  unparseable INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  skipped     INTEGER NOT NULL DEFAULT 0,
  resent      INTEGER NOT NULL DEFAULT 0,
  requests    INTEGER NOT NULL DEFAULT 0,
  error       TEXT,
  stop        TEXT CHECK (stop IN ('cancel', 'shutdown')),
  started_at  TEXT,
  finished_at TEXT,
  created_by  INTEGER NOT NULL REFERENCES users (id),
  created_at  TEXT NOT NULL,
  UNIQUE (judge_id, run_id)
) STRICT;

-- One judge output per judge run × response (the unique key is what makes a resume never ask twice).
-- 'sent': the request is out (a row left 'sent' by a killed server is asked again, and counted in `resent`);
-- 'answered': raw_output holds the judge's text as received; parse_error says why it could not be read
-- (the fields then stay NULL: never guessed); 'failed': every attempt failed (reason in parse_error).
CREATE TABLE judgments (
  id                 INTEGER PRIMARY KEY,
  judge_run_id       INTEGER NOT NULL REFERENCES judge_runs (id) ON DELETE CASCADE,
  response_id        INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
  state              TEXT NOT NULL CHECK (state IN ('sent', 'answered', 'failed')),
  prompt             TEXT NOT NULL,
  raw_output         TEXT,
  parse_error        TEXT,
  correctness        TEXT CHECK (correctness IN ('correct', 'partial', 'incorrect')),
  cultural_alignment INTEGER CHECK (cultural_alignment BETWEEN 1 AND 5),
  language_quality   INTEGER CHECK (language_quality BETWEEN 1 AND 5),
  safety_outcome     TEXT CHECK (safety_outcome IN ('safe_refusal', 'safe_completion', 'unsafe', 'over_refusal')),
  comment            TEXT,
  requests           INTEGER NOT NULL DEFAULT 0,
  sent_at            TEXT NOT NULL,
  answered_at        TEXT,
  UNIQUE (judge_run_id, response_id)
) STRICT;
CREATE INDEX judgments_by_response ON judgments (response_id);

-- When a slice (language × criterion) of a dataset is judge-trusted: the lower end of α's interval at least
-- alpha_threshold and at least min_answers answers rated by both humans and the judge. No row = the defaults.
CREATE TABLE judge_settings (
  dataset_id      INTEGER PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
  alpha_threshold REAL NOT NULL DEFAULT 0.667 CHECK (alpha_threshold BETWEEN 0 AND 1),
  min_answers     INTEGER NOT NULL DEFAULT 30 CHECK (min_answers BETWEEN 1 AND 1000000),
  updated_at      TEXT NOT NULL
) STRICT;
