import type { Db } from './connection.ts';

// STUB: to be written.
export function createDatasetRepository(_db: Db) {
  return {};
}
export type DatasetRepository = ReturnType<typeof createDatasetRepository>;
