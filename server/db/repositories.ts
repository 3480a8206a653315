import type { Db } from './connection.ts';
import { createDatasetRepository } from './datasets.ts';
import { createImportRepository } from './imports.ts';
import { createItemRepository } from './items.ts';
import { createReleaseRepository } from './releases.ts';
import { createScoringRepository } from './scoring.ts';
import { createTaxonomyRepository } from './taxonomies.ts';
import { createTrialRepository } from './trials.ts';
import { createUserRepository } from './users.ts';
import { createValidationRepository } from './validations.ts';
import { immediateWrite } from './write-turns.ts';

/**
 * The data-access layer: every SQL statement of the application lives behind these repositories,
 * so a PostgreSQL implementation can replace them without touching routes or domain code.
 */
export function createRepositories(db: Db) {
  return {
    db,
    users: createUserRepository(db),
    datasets: createDatasetRepository(db),
    taxonomies: createTaxonomyRepository(db),
    items: createItemRepository(db),
    imports: createImportRepository(db),
    releases: createReleaseRepository(db),
    validations: createValidationRepository(db),
    scoring: createScoringRepository(db),
    trials: createTrialRepository(db),
    /**
     * Runs `fn` in one write transaction, taking the write lock at BEGIN (IMMEDIATE) so that when
     * another process writes too (the CLI, a second server) a read-then-write never fails on a
     * snapshot that process moved on; the busy timeout makes writers queue instead. Nested calls
     * become savepoints. Announced (write-turns.ts): the process's background writers let it go first.
     */
    transaction: <T>(fn: () => T): T => immediateWrite(db, fn),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
