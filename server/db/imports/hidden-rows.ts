import type { Db } from '../connection.ts';

/**
 * The rows an import writes stay hidden from readers until its final transaction (migration 016): marked
 * hidden slice by slice, revealed at the commit, or deleted in short slices once the job has ended otherwise.
 */
export function hiddenRowQueries(db: Db) {
  const hide = db.prepare(
    `UPDATE imports SET rows_hidden = 1 WHERE id = @id AND state = 'writing' AND attempt = @attempt`,
  );
  const reveal = db.prepare(`UPDATE imports SET rows_hidden = 0 WHERE id = ?`);
  const withHiddenRows = db
    .prepare<[], number>(`SELECT id FROM imports WHERE rows_hidden = 1 AND state <> 'writing' ORDER BY id`)
    .pluck();
  const deleteHidden = db.prepare<[number, number]>(
    `DELETE FROM items WHERE id IN (SELECT id FROM items WHERE import_id = ? LIMIT ?)`,
  );
  const deleteHiddenSlice = db.transaction((id: number, limit: number): number => {
    const n = deleteHidden.run(id, limit).changes;
    if (n === 0) reveal.run(id);
    return n;
  });

  return {
    /**
     * Marks the rows of a writing job's attempt hidden (call in the transaction of each slice): from then on no
     * reader sees an item it created until `reveal` (its commit) or until its rows are deleted. False if
     * the job is no longer writing in that attempt (marked interrupted): the slice must not be written.
     */
    hide: (id: number, attempt: number): boolean => hide.run({ id, attempt }).changes === 1,
    /** Lets readers see a job's rows: the commit of an import, in its final transaction. */
    reveal: (id: number): void => {
      reveal.run(id);
    },
    /** Jobs that ended (failed, cancelled, interrupted) with hidden rows left to delete. */
    withHiddenRows: (): number[] => withHiddenRows.all(),
    /**
     * Deletes up to `limit` of the hidden rows of job `id` (revisions and provenance go with them) in one
     * short transaction; once none is left, clears its flag. Returns how many were deleted.
     */
    deleteHiddenRows: (id: number, limit: number): number => deleteHiddenSlice.immediate(id, limit),
  };
}
