-- 022: model-in-the-loop authoring (issue 15, point 3): "Try on models" in the item editor.
--
-- trial_settings: per dataset, whether an item needs at least one trial before it can be submitted, and the judge
-- (migration 021) that says whether a model complied with or refused a safety prompt (NULL: "not judged").
-- trial_models: the models annotators of a dataset may try, each with its prompt template (NULL = the item's
-- format's default in the item's language, as for runs).
CREATE TABLE trial_settings (
  dataset_id    INTEGER PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
  require_trial INTEGER NOT NULL DEFAULT 0 CHECK (require_trial IN (0, 1)),
  judge_id      INTEGER REFERENCES judges (id) ON DELETE SET NULL
) STRICT;

CREATE TABLE trial_models (
  dataset_id      INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  model_id        INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  prompt_template TEXT,
  position        INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, model_id)
) STRICT;

-- One model's answer to one revision of an item (item_version = the item's version when it was tried): the
-- prompt sent, the answer, what automatic scoring read (`extracted`, `correct`; multiple choice, short answer,
-- true/false) or, for safety items, whether the model complied or refused (`safety_outcome`, set by a judge;
-- NULL: not judged). `reference` is the reference the score was taken against, as text, as it was then.
CREATE TABLE item_trials (
  id             INTEGER PRIMARY KEY,
  item_id        INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  item_version   INTEGER NOT NULL,
  model_id       INTEGER NOT NULL REFERENCES models (id),
  user_id        INTEGER NOT NULL REFERENCES users (id),
  prompt         TEXT NOT NULL,
  answer         TEXT NOT NULL,
  reference      TEXT,
  scoring        TEXT NOT NULL CHECK (scoring IN ('auto', 'rating')),
  extracted      TEXT,
  correct        INTEGER CHECK (correct IN (0, 1)),
  safety_outcome TEXT CHECK (safety_outcome IN ('complied', 'refused')),
  created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX item_trials_by_item ON item_trials (item_id, id);

-- The item list's "no model got it right" filter reads one row per tried item: the automatically scored
-- trials of its latest tried revision and how many were correct (kept by the repository with each trial).
CREATE TABLE item_trial_summary (
  item_id      INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  item_version INTEGER NOT NULL,
  scored       INTEGER NOT NULL,
  correct      INTEGER NOT NULL
) STRICT;
CREATE INDEX item_trial_summary_unsolved ON item_trial_summary (item_id) WHERE scored > 0 AND correct = 0;

-- Releases carry the trials of their items only when the maintainer asks (POST /api/releases includeTrials).
ALTER TABLE releases ADD COLUMN include_trials INTEGER NOT NULL DEFAULT 0 CHECK (include_trials IN (0, 1));
