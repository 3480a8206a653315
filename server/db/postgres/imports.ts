import type { AsyncRepository } from '../async-repository.ts';
import type { createImportRepository } from '../imports.ts';
import type { PgDatabase } from './database.ts';
import { pgHiddenRowQueries } from './imports/hidden-rows.ts';
import { pgJobQueries } from './imports/jobs.ts';
import { pgProvenanceQueries } from './imports/provenance.ts';
import { createPgImportStage } from './imports/stage.ts';

/**
 * Import jobs, the hidden rows of a running import, the provenance of imported items and a running import's stage
 * on PostgreSQL: the contract of server/db/imports.ts (schema/postgres/022-baseline/30-imports.sql).
 */
export function createPgImportRepository(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof createImportRepository>> {
  return {
    ...pgJobQueries(db),
    ...pgHiddenRowQueries(db),
    ...pgProvenanceQueries(db),
    stage: (importId) => createPgImportStage(db, importId),
  };
}
