import { AsyncLocalStorage } from 'node:async_hooks';
import type { Repositories } from '../repositories.ts';
import type { PgDatabase } from './database.ts';
import { createPgDatasetRepository } from './datasets.ts';
import { createPgImportRepository } from './imports.ts';
import { createPgInstanceRepository } from './instances.ts';
import { createPgItemRepository } from './items.ts';
import { createPgReleaseRepository } from './releases.ts';
import { createPgRateLimitRepository } from './rate-limits.ts';
import { createPgScoringRepository } from './scoring.ts';
import { createPgTaxonomyRepository } from './taxonomies.ts';
import { createPgTrialRepository } from './trials.ts';
import { createPgUserRepository } from './users.ts';
import { createPgValidationRepository } from './validations.ts';

/**
 * The same contract as SQLite's createRepositories (server/db/repositories.ts) over one PostgreSQL database:
 * routes and domain code get `Repositories` and never know which engine runs.
 *
 * Transactions are PostgreSQL's own, READ COMMITTED: where SQLite relies on its one writer (BEGIN IMMEDIATE), the
 * repositories take row locks, advisory locks, unique constraints or conditional UPDATEs (each group says which),
 * so that several app instances on one database stay correct.
 */
export function createPgRepositories(db: PgDatabase): Repositories {
  // Code inside one of these repositories' transactions or snapshots: a snapshot there is that transaction's.
  const inside = new AsyncLocalStorage<true>();
  return {
    location: db.location,
    users: createPgUserRepository(db),
    datasets: createPgDatasetRepository(db),
    taxonomies: createPgTaxonomyRepository(db),
    items: createPgItemRepository(db),
    imports: createPgImportRepository(db),
    releases: createPgReleaseRepository(db),
    validations: createPgValidationRepository(db),
    scoring: createPgScoringRepository(db),
    trials: createPgTrialRepository(db),
    rateLimits: createPgRateLimitRepository(db),
    instances: createPgInstanceRepository(db),
    transaction: (fn) => db.transaction(() => inside.run(true, fn)),
    // One snapshot for every read of `fn`, and a promise that it only reads: REPEATABLE READ READ ONLY. PGlite has
    // one connection whose transactions take turns, so any transaction there is one snapshot; and a job's writer
    // (a release build's), which can only be that same connection, writes inside it.
    readSnapshot: (fn) =>
      inside.getStore()
        ? fn()
        : db.location.startsWith('pglite:')
          ? db.transaction(() => inside.run(true, fn))
          : db.transaction(
              async () => {
                await db.exec('SET TRANSACTION READ ONLY');
                return inside.run(true, fn);
              },
              { isolation: 'repeatable read' },
            ),
  };
}
