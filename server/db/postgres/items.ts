import type { AsyncRepository } from '../async-repository.ts';
import type { createItemRepository } from '../items.ts';
import type { PgDatabase } from './database.ts';
import { pgListQueries } from './items/list.ts';
import { pgRecordQueries } from './items/records.ts';
import { pgSearchQueries } from './items/search.ts';

/**
 * Items and their revisions on PostgreSQL: the contract of server/db/items.ts. Search needs no index
 * upkeep here (schema/postgres/022-baseline/40-items.sql): an item's folded text is written with it and
 * the pg_trgm indexes are current when the write commits, so the catch-up methods have nothing to do.
 */
export function createPgItemRepository(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof createItemRepository>> {
  const search = pgSearchQueries(db);
  return {
    ...pgRecordQueries(db),
    answersWithheld: search.answersWithheld,
    /** Nothing is ever queued: 0 indexed. */
    catchUpSearchIndex: (_limit: number) => Promise.resolve(0),
    /** GIN indexes need no merging by the application (PostgreSQL's own pending-list cleanup does it). */
    mergeSearchIndex: (_pages: number) => Promise.resolve(false),
    pendingSearchIndex: () => Promise.resolve(0),
    searchableText: search.searchableText,
    ...pgListQueries(db),
    similarCandidates: search.similarCandidates,
  };
}
