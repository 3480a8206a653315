import { gateOf, type AsyncRepository } from './async-repository.ts';
import type { Db } from './connection.ts';
import { createDatasetRepository } from './datasets.ts';
import { createImportRepository } from './imports.ts';
import { createInstanceRepository } from './instances.ts';
import { createItemRepository } from './items.ts';
import { createReleaseRepository } from './releases.ts';
import { createScoringRepository } from './scoring.ts';
import { createTaxonomyRepository } from './taxonomies.ts';
import { createRateLimitRepository } from './rate-limits.ts';
import { createTrialRepository } from './trials.ts';
import { createUserRepository } from './users.ts';
import { createValidationRepository } from './validations.ts';

/** SQLite's repositories as they are inside: synchronous, their statements prepared once per connection. */
function sqliteRepositories(db: Db) {
  return {
    users: createUserRepository(db),
    datasets: createDatasetRepository(db),
    taxonomies: createTaxonomyRepository(db),
    items: createItemRepository(db),
    imports: createImportRepository(db),
    releases: createReleaseRepository(db),
    validations: createValidationRepository(db),
    scoring: createScoringRepository(db),
    trials: createTrialRepository(db),
    rateLimits: createRateLimitRepository(db),
    instances: createInstanceRepository(db),
  };
}
type SqliteRepositories = ReturnType<typeof sqliteRepositories>;

/**
 * The data-access layer's contract: every SQL statement of the application lives behind these repositories,
 * every method asynchronous, so that SQLite (here) and PostgreSQL (server/db/postgres/) implement the same
 * shape and routes and domain code never know which engine runs.
 */
export type Repositories = { [K in keyof SqliteRepositories]: AsyncRepository<SqliteRepositories[K]> } & {
  /** Where the database is, engine-neutral: job threads open their own repositories from it (openRepositories). */
  readonly location: string;
  /**
   * Runs `fn` in one write transaction: every repository call it awaits runs inside it; calls from outside
   * wait until it ends. The body awaits only repository calls and pure code — never a network call, a timer
   * or a password hash (on SQLite it holds the connection's gate). Nested calls become savepoints.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs `fn`'s reads on one consistent snapshot (a read-only transaction). */
  readSnapshot<T>(fn: () => Promise<T>): Promise<T>;
};
export type UserRepository = Repositories['users'];
export type DatasetRepository = Repositories['datasets'];
export type TaxonomyRepository = Repositories['taxonomies'];
export type ItemRepository = Repositories['items'];
export type ImportRepository = Repositories['imports'];
export type ReleaseRepository = Repositories['releases'];
export type ValidationRepository = Repositories['validations'];
export type ScoringRepository = Repositories['scoring'];
export type TrialRepository = Repositories['trials'];
export type RateLimitRepository = Repositories['rateLimits'];
export type InstanceRepository = Repositories['instances'];

/**
 * The repositories over one SQLite connection, each method wrapped by the connection's gate
 * (async-repository.ts). Their transactions take the write lock at BEGIN (IMMEDIATE) so that when another
 * process writes too (the CLI, a second server) a read-then-write never fails on a snapshot that process
 * moved on (the busy timeout makes writers queue instead), and are announced (write-turns.ts): the process's
 * background writers let them go first.
 *
 * `db` stays reachable here, outside the contract, for SQLite-only infrastructure only: WAL checkpoints
 * (checkpoints.ts), the search index catch-up (search-catch-up.ts), write turns, backups and the
 * benchmarks' raw floors. Routes and domain code use `Repositories`, which has no `db`.
 */
export function createRepositories(db: Db): Repositories & { readonly db: Db } {
  const gate = gateOf(db);
  const sync = sqliteRepositories(db);
  return {
    db,
    location: db.name,
    users: gate.wrap(sync.users),
    datasets: gate.wrap(sync.datasets),
    taxonomies: gate.wrap(sync.taxonomies),
    items: gate.wrap(sync.items),
    imports: gate.wrap(sync.imports),
    releases: gate.wrap(sync.releases),
    validations: gate.wrap(sync.validations),
    scoring: gate.wrap(sync.scoring),
    trials: gate.wrap(sync.trials),
    rateLimits: gate.wrap(sync.rateLimits),
    instances: gate.wrap(sync.instances),
    transaction: (fn) => gate.transaction(fn),
    readSnapshot: (fn) => gate.readSnapshot(fn),
  };
}
