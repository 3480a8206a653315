import type { Db } from './connection.ts';
import { listQueries } from './items/list.ts';
import { recordQueries } from './items/records.ts';
import { revisionQueries } from './items/revisions.ts';
import { searchIndexQueries } from './items/search-index.ts';
import { searchQueries } from './items/search.ts';

export { JSON_FIELDS } from './items/columns.ts';
export { type ItemListFilter } from './items/list.ts';
export { type ItemUpdate, type NewItem } from './items/records.ts';
export { type NewItemRevision } from './items/revisions.ts';
export { searchTerms, type SearchableText, type SimilarCandidatesFilter } from './items/search.ts';
export { VISIBLE, type AnswerScope, type ItemScope } from './items/visibility.ts';

/**
 * Items and their revisions: one repository made of the parts in items/ (rows, the list, search and its indexes,
 * revisions, and the visibility predicates they share), each holding its own statements.
 */
export function createItemRepository(db: Db) {
  const index = searchIndexQueries(db);
  const search = searchQueries(db);
  return {
    ...recordQueries(db, index.indexItems),
    ...revisionQueries(db),
    answersWithheld: search.answersWithheld,
    catchUpSearchIndex: index.catchUpSearchIndex,
    mergeSearchIndex: index.mergeSearchIndex,
    pendingSearchIndex: index.pendingSearchIndex,
    searchableText: search.searchableText,
    ...listQueries(db, search.searchIds),
    similarCandidates: search.similarCandidates,
  };
}
export type ItemRepository = ReturnType<typeof createItemRepository>;
