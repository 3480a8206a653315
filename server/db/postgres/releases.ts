import type { AsyncRepository } from '../async-repository.ts';
import type { createReleaseRepository } from '../releases.ts';
import type { PgDatabase } from './database.ts';
import { pgBuildStateQueries } from './releases/build-state.ts';
import { pgRecordQueries } from './releases/records.ts';
import { pgSelectionQueries } from './releases/selection.ts';
import { pgSnapshotQueries } from './releases/snapshot.ts';

/**
 * Releases and their frozen snapshots on PostgreSQL: the contract of server/db/releases.ts
 * (schema/postgres/022-baseline/50-releases.sql: versions unique per dataset, published releases and every frozen
 * item immutable by triggers, the release records' JSON kept as text).
 */
export function createPgReleaseRepository(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof createReleaseRepository>> {
  return {
    ...pgRecordQueries(db),
    ...pgBuildStateQueries(db),
    ...pgSnapshotQueries(db),
    ...pgSelectionQueries(db),
  };
}
