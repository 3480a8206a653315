-- 024: which app instance owns a running job (issue 12, "several instances"). Every server process (and every
-- CLI command that runs a job) registers here at start with a random id and refreshes `seen_at` every few
-- seconds (server/domain/instances.ts); it deletes its row when it stops. An instance is dead when its row is
-- gone or its `seen_at` is older than the bound (30 s by default).
--
-- A running job records its owner: imports.owner (reading or writing), runs.collect_owner (collecting),
-- judge_runs.owner (running) and releases.builder (building; the column already named the builder). A starting
-- instance interrupts only jobs whose owner is dead, or that have no owner (rows from before 024); a live job of
-- another instance is left alone. No foreign key: a deleted instance's finished jobs keep its id, and a job whose
-- owner is gone is by definition orphaned.
CREATE TABLE instances (
  id         TEXT PRIMARY KEY,
  host       TEXT NOT NULL,
  pid        INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  seen_at    TEXT NOT NULL
) STRICT, WITHOUT ROWID;

ALTER TABLE imports ADD COLUMN owner TEXT;
ALTER TABLE runs ADD COLUMN collect_owner TEXT;
ALTER TABLE judge_runs ADD COLUMN owner TEXT;
