import type { Db } from './connection.ts';
import { hiddenRowQueries } from './imports/hidden-rows.ts';
import { jobQueries } from './imports/jobs.ts';
import { provenanceQueries } from './imports/provenance.ts';
import { gateOf } from './async-repository.ts';
import { createImportStage, type ImportStage } from './imports/stage.ts';

export { CANCELLED, DATASET_BUSY, INTERRUPTED, type ImportOutcome, type NewImport } from './imports/jobs.ts';
export { type ProvenanceEntry } from './imports/provenance.ts';
export { createImportStage, type ImportStage, type StagedMatch, type StagedRow } from './imports/stage.ts';

/**
 * Import jobs, the hidden rows of a running import, the provenance of imported items and a running import's
 * stage: one repository made of the parts in imports/, each holding its own statements.
 */
export function createImportRepository(db: Db) {
  return {
    ...jobQueries(db),
    ...hiddenRowQueries(db),
    ...provenanceQueries(db),
    /**
     * The stage of a running import (see createImportStage), its methods asynchronous like every
     * repository's (the connection's gate, async-repository.ts).
     */
    stage: (importId: number): ImportStage => gateOf(db).wrap(createImportStage(db, importId)),
  };
}
export type ImportRepository = ReturnType<typeof createImportRepository>;
