import type { AsyncRepository } from '../../async-repository.ts';
import type { hiddenRowQueries } from '../../imports/hidden-rows.ts';
import type { PgDatabase } from '../database.ts';

/**
 * The rows an import writes stay hidden from readers until its final transaction (server/db/imports/hidden-rows.ts):
 * marked hidden slice by slice, revealed at the commit, or deleted in short slices once the job has ended otherwise.
 */
export function pgHiddenRowQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof hiddenRowQueries>> {
  const reveal = async (id: number) => {
    await db.execute('UPDATE imports SET rows_hidden = false WHERE id = $1', [id]);
  };
  return {
    hide: async (id, attempt) =>
      (await db.execute(
        `UPDATE imports SET rows_hidden = true WHERE id = $1 AND state = 'writing' AND attempt = $2`,
        [id, attempt],
      )) === 1,
    reveal,
    withHiddenRows: async () =>
      (
        await db.query<{ id: number }>(
          `SELECT id FROM imports WHERE rows_hidden AND state <> 'writing' ORDER BY id`,
        )
      ).map((r) => r.id),
    // One short transaction per slice (revisions, provenance and search text go with their items: ON DELETE CASCADE).
    deleteHiddenRows: (id, limit) =>
      db.transaction(async () => {
        const n = await db.execute(
          'DELETE FROM items WHERE id IN (SELECT id FROM items WHERE import_id = $1 LIMIT $2)',
          [id, limit],
        );
        if (n === 0) await reveal(id);
        return n;
      }),
  };
}
