import type { Db } from './connection.ts';
import { buildStateQueries } from './releases/build-state.ts';
import { recordQueries } from './releases/records.ts';
import { selectionQueries } from './releases/selection.ts';
import { snapshotQueries } from './releases/snapshot.ts';

export { type NewRelease, type ReleaseLocation } from './releases/records.ts';
export { type SelectionFilter } from './releases/selection.ts';

/**
 * Releases and their frozen snapshots: one repository made of the parts in releases/ (release rows, the state of a
 * build, the items a filter selects, the frozen items), each holding its own statements.
 */
export function createReleaseRepository(db: Db) {
  return {
    ...recordQueries(db),
    ...buildStateQueries(db),
    ...snapshotQueries(db),
    ...selectionQueries(db),
  };
}
export type ReleaseRepository = ReturnType<typeof createReleaseRepository>;
