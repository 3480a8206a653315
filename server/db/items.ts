import type { Db } from './connection.ts';

// STUB: to be written.
export function createItemRepository(_db: Db) {
  return {};
}
export type ItemRepository = ReturnType<typeof createItemRepository>;
