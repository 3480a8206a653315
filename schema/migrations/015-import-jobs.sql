-- 015: an import runs as a job on a job thread (server/domain/import/job.ts): the upload is saved to a
-- temporary file and answered with 202, and the check (and commit) run off the request thread.
--
-- cancel_requested: 1 once a maintainer asked a running import to stop (POST /api/imports/:id/cancel).
--   The job reads it between batches of rows (any process can ask, through the row) and ends failed with
--   the issue code `cancelled`, having written nothing; the file can then be sent again.
ALTER TABLE imports ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1));
