-- Migration 22 on PostgreSQL is a baseline: its parts (this folder, in name order, one per table group) run in one
-- transaction on a fresh database. This part holds what the groups share.

-- Trigram indexes for search in any script, terms of any length (items' folded text; see 40-items.sql).
-- Trusted since PostgreSQL 13: the database's owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- A trigger refusing the change it fires on, with the message given as its argument, e.g. the release tables:
--   CREATE TRIGGER release_items_immutable BEFORE UPDATE OR DELETE ON release_items
--     FOR EACH ROW EXECUTE FUNCTION cs_refuse_change('release snapshots are immutable');
-- SQLSTATE P0001 (raise_exception) with SQLite's RAISE(ABORT, …) message word for word, so that one check of the
-- message serves both engines.
CREATE FUNCTION cs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0];
END
$$;
