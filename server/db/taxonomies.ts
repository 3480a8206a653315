import type { Db } from './connection.ts';

// STUB: to be written.
export function createTaxonomyRepository(_db: Db) {
  return {};
}
export type TaxonomyRepository = ReturnType<typeof createTaxonomyRepository>;
