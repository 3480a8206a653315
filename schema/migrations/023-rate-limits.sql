-- 023: rate limits shared by every process on the database (issue 12, "sessions and rate limits shared across
-- instances"): failed sign-ins per username and per client address, and "Try on models" requests per user and
-- per model, counted here rather than in each process's memory, so two servers on one file allow what one does.
--
-- One row per key and fixed window: `count` hits until `reset_at` (ISO time); a hit after it starts a new window.
-- Keys are digests (server/domain/rate-limits.ts), never the usernames or addresses themselves. Expired rows mean
-- nothing (a hit resets them) and are deleted in small batches by reset_at.
CREATE TABLE rate_limits (
  key      TEXT PRIMARY KEY,
  count    INTEGER NOT NULL CHECK (count >= 0),
  reset_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX rate_limits_by_reset ON rate_limits (reset_at);
