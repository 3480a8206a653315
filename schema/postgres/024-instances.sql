-- 024: which app instance owns a running job (issue 12, "several instances"), the same tables and columns as
-- SQLite's migration 024. Every server process (and every CLI command that runs a job) registers here at start
-- with a random id and refreshes `seen_at` every few seconds (server/domain/instances.ts); it deletes its row when
-- it stops. An instance is dead when its row is gone or its `seen_at` is older than the bound (30 s by default).
--
-- A running job records its owner: imports.owner (reading or writing), runs.collect_owner (collecting),
-- judge_runs.owner (running) and releases.builder (building). A starting instance interrupts only jobs whose owner
-- is dead, or that have no owner; a live job of another instance is left alone. The liveness test and the
-- interruption are one conditional UPDATE, so an owner's heartbeat committed first keeps its jobs. No foreign key:
-- a deleted instance's finished jobs keep its id.
CREATE TABLE instances (
  id         text PRIMARY KEY,
  host       text NOT NULL,
  pid        integer NOT NULL,
  started_at timestamptz NOT NULL,
  seen_at    timestamptz NOT NULL
);

ALTER TABLE imports ADD COLUMN owner text;
ALTER TABLE runs ADD COLUMN collect_owner text;
ALTER TABLE judge_runs ADD COLUMN owner text;
