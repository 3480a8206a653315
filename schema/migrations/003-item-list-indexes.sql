-- 003: indexes for GET /api/items over 100k+ items (SPEC §10: p95 < 15 ms).
-- The list runs two queries with the same WHERE: a page (ORDER BY a time or the id, LIMIT) and a
-- count. The two filter indexes (with and without a dataset) cover every equality filter and the
-- visibility rule (language, status, author), so counts read an index alone; the time indexes let a
-- page stop after LIMIT rows.
CREATE INDEX items_list_filters ON items (dataset_id, language, status, author_id, kind, format, primary_category);
CREATE INDEX items_list_filters_by_language ON items (language, status, author_id, kind, format, primary_category);
-- The usual annotator view: one dataset, language and status, most recently changed first.
CREATE INDEX items_by_dataset_language_status_updated ON items (dataset_id, language, status, updated_at);
CREATE INDEX items_by_updated ON items (updated_at);
CREATE INDEX items_by_created ON items (created_at);
CREATE INDEX items_by_dataset_created ON items (dataset_id, created_at);
CREATE INDEX items_by_language_updated ON items (language, updated_at);
