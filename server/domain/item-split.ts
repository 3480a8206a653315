import type { ItemSplit } from '../../schema/item.ts';
import type { Repositories } from '../db/repositories.ts';
import { notFound } from '../errors.ts';

/**
 * Puts an item in a release split: `dev` marks it as a few-shot exemplar, `test` (the default) puts it back.
 * Maintainers only (the route checks the role); any status, since the split matters only once the item is
 * released. Not an authored field: no revision is written and the version stays, so no editor goes stale.
 */
export async function setItemSplit(repos: Repositories, id: number, split: ItemSplit) {
  if (!(await repos.items.setSplit(id, split))) throw notFound('Item');
  const item = (await repos.items.get(id))!;
  return { id: item.id, uid: item.uid, split: item.split, version: item.version };
}

/** Item splits as the API offers them (PUT /api/items/:id/split, maintainers). */
export function createItemSplitService(repos: Repositories) {
  return { set: (id: number, split: ItemSplit) => setItemSplit(repos, id, split) };
}
export type ItemSplitService = ReturnType<typeof createItemSplitService>;
