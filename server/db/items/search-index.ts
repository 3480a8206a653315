import type { Db } from '../connection.ts';

/**
 * Keeping the search indexes current (migration 012): items queued in items_search_pending (new, edited or
 * bulk-loaded) are indexed in batches from their folded text, and the indexes' segments merged when idle.
 */
export function searchIndexQueries(db: Db) {
  const pendingBatch = db.prepare<[number], { id: number }>(
    'SELECT item_id AS id FROM items_search_pending ORDER BY item_id LIMIT ?',
  );
  const indexBatch = [
    'DELETE FROM items_fts WHERE rowid IN (SELECT value FROM json_each(@ids))',
    'DELETE FROM items_fts_short WHERE rowid IN (SELECT value FROM json_each(@ids))',
    `INSERT INTO items_fts (rowid, question, question_more, answers)
     SELECT s.item_id, s.question, s.question_more, s.answers
     FROM json_each(@ids) AS b CROSS JOIN items_search_text s ON s.item_id = b.value`,
    `INSERT INTO items_fts_short (rowid, question_keys, answer_keys)
     SELECT s.item_id, cs_search_keys(s.question, s.question_more), cs_search_keys(s.answers)
     FROM json_each(@ids) AS b CROSS JOIN items_search_text s ON s.item_id = b.value`,
    'DELETE FROM items_search_pending WHERE item_id IN (SELECT value FROM json_each(@ids))',
  ].map((sql) => db.prepare(sql));
  const indexItems = (ids: number[]) => {
    const params = { ids: JSON.stringify(ids) };
    for (const statement of indexBatch) statement.run(params);
  };
  /** Indexes up to `limit` queued items, oldest first, in one transaction; returns how many. */
  const catchUpSearchIndex = db.transaction((limit: number): number => {
    const ids = pendingBatch.all(limit).map((r) => r.id);
    if (ids.length > 0) indexItems(ids);
    return ids.length;
  });
  // FTS5 incremental merging (negative: any level holding two segments or more is merged). A bulk load
  // leaves the indexes in many segments, and a contentless delete writes a tombstone into each segment
  // that may hold the rowid: 200 deletes took 150 ms on a freshly bulk-loaded 100k index, 2 ms merged.
  const mergeSteps = ['items_fts', 'items_fts_short'].map((t) =>
    db.prepare<[number]>(`INSERT INTO ${t} (${t}, rank) VALUES ('merge', ?)`),
  );
  // The structure record (id 10 of each %_data table) lists the segments: unchanged, nothing was merged.
  const structure = db
    .prepare<[], string>(
      `SELECT hex((SELECT block FROM items_fts_data WHERE id = 10)) || hex((SELECT block FROM items_fts_short_data WHERE id = 10))`,
    )
    .pluck();
  const mergeSearchIndex = db.transaction((pages: number): boolean => {
    const before = structure.get();
    for (const step of mergeSteps) step.run(-pages);
    const after = structure.get();
    return after !== before;
  });
  const pendingCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM items_search_pending');

  return {
    /** Indexes items `ids` now (in the caller's transaction) and takes them off the queue. */
    indexItems,

    /**
     * Indexes up to `limit` items queued for the search indexes (new, edited or bulk-loaded items), in
     * one short write transaction; returns how many. Bulk loaders insert rows (the triggers queue them)
     * and then call this in slices until it returns 0; the catch-up thread does the same in the server.
     */
    catchUpSearchIndex: (limit: number): number => catchUpSearchIndex.immediate(limit),

    /**
     * Merges index segments, about `pages` pages of work per index, in one write transaction; false once
     * there is nothing left to merge. The catch-up thread calls it whenever the queue is empty.
     */
    mergeSearchIndex: (pages: number): boolean => mergeSearchIndex.immediate(pages),

    /** How many items wait for the search indexes. */
    pendingSearchIndex: (): number => pendingCount.get()!.n,
  };
}
