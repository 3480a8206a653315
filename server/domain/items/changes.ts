// What an edit changes: field-by-field differences, recorded in revisions and written as columns.
import { itemFieldNames, type ItemFields, type ItemRevision } from '../../../schema/item.ts';

export type Changes = ItemRevision['changes'];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** field → [before, after] for the fields in `next` that differ from `item`. */
export function diff(item: ItemFields, next: Partial<ItemFields>): Changes {
  const changes: Changes = {};
  for (const f of itemFieldNames) {
    if (next[f] === undefined || same(item[f], next[f])) continue;
    changes[f] = [item[f], next[f]];
  }
  return changes;
}

/** The "after" side of a diff, as columns to write. */
export const afterValues = (changes: Changes): Partial<ItemFields> =>
  Object.fromEntries(Object.entries(changes).map(([f, [, after]]) => [f, after]));
