-- 023: rate limits shared by every app instance (issue 12, "sessions and rate limits shared across instances"),
-- the same table as SQLite's migration 023: failed sign-ins per username and per client address, "Try on models"
-- requests per user and per model.
--
-- One row per key and fixed window: `count` hits until `reset_at`; a hit after it starts a new window. Each hit is
-- one INSERT … ON CONFLICT DO UPDATE (server/db/postgres/rate-limits.ts): the conflicting row is locked while the
-- statement decides, so instances counting into one window at once never lose a hit nor pass the limit. Keys are
-- digests, never usernames or addresses. Expired rows mean nothing (a hit resets them) and are deleted in small
-- batches by reset_at, skipping rows another instance holds.
CREATE TABLE rate_limits (
  key      text PRIMARY KEY,
  count    integer NOT NULL CHECK (count >= 0),
  reset_at timestamptz NOT NULL
);
CREATE INDEX rate_limits_by_reset ON rate_limits (reset_at);
