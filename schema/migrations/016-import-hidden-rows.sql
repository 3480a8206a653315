-- 016: a real import writes its new items in short slices that no reader can see, and makes them visible
-- with one tiny final transaction (server/domain/import/service.ts; docs/architecture.md, Jobs).
--
-- items.import_id: the import that created the item (NULL for items written otherwise, and for items
--   imported before this migration). Kept after the commit: it is also where an item came from.
-- imports.rows_hidden: 1 while the import has rows in items that nobody may see — from its first slice
--   until the final transaction that marks it imported (and clears the flag), or until its rows were
--   deleted after it failed, was cancelled or its process died. Every query that reads items as a user
--   sees them keeps out items whose import has rows_hidden = 1 (VISIBLE in server/db/items.ts).
ALTER TABLE items ADD COLUMN import_id INTEGER;
CREATE INDEX items_by_import ON items (import_id) WHERE import_id IS NOT NULL;
-- imports.run: counts the times the job took its file (1 for the first run, 2 for a retry after an
--   interruption or a cancellation). A run changes the job's row only while the row says it is that run, so
--   a run that is still stopping cannot overwrite the state of the retry that followed it.
ALTER TABLE imports ADD COLUMN rows_hidden INTEGER NOT NULL DEFAULT 0 CHECK (rows_hidden IN (0, 1));
ALTER TABLE imports ADD COLUMN run INTEGER NOT NULL DEFAULT 0;
