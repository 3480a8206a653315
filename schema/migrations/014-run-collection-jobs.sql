-- A run's latest collection of responses, which runs as a job on a collection thread (docs/scoring.md):
-- its state, how many items it asks (those without a response when it started, within its limit), how many
-- were asked, answered and failed so far, how many already had a response, the HTTP requests sent, the first
-- failures (JSON array of {id, reason}, by id), when it started and ended, and a cancel request that any
-- server process may set and the job reads between requests. All NULL/0 for a run never collected.
ALTER TABLE runs ADD COLUMN collect_state TEXT
  CHECK (collect_state IN ('running', 'done', 'cancelled', 'failed', 'interrupted'));
ALTER TABLE runs ADD COLUMN collect_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN collect_asked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN collect_answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN collect_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN collect_skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN collect_requests INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN collect_failures TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runs ADD COLUMN collect_started_at TEXT;
ALTER TABLE runs ADD COLUMN collect_finished_at TEXT;
ALTER TABLE runs ADD COLUMN collect_cancel INTEGER NOT NULL DEFAULT 0 CHECK (collect_cancel IN (0, 1));
