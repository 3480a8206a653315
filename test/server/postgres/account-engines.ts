import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { gateOf, type AsyncRepository } from '../../../server/db/async-repository.ts';
import { openDatabase } from '../../../server/db/connection.ts';
import { createDatasetRepository } from '../../../server/db/datasets.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { connectPostgres, type PgDatabase } from '../../../server/db/postgres/database.ts';
import { createPgDatasetRepository } from '../../../server/db/postgres/datasets.ts';
import { createPgTaxonomyRepository } from '../../../server/db/postgres/taxonomies.ts';
import { createPgTrialRepository } from '../../../server/db/postgres/trials.ts';
import { createPgUserRepository } from '../../../server/db/postgres/users.ts';
import { createTaxonomyRepository } from '../../../server/db/taxonomies.ts';
import { createTrialRepository } from '../../../server/db/trials.ts';
import { createUserRepository } from '../../../server/db/users.ts';
import { freshPostgres, numbered, postgresEngine, withDatabase } from '../../helpers/postgres.ts';

/** The repositories of the users, datasets, taxonomies and trials group, as the contract types them. */
export interface AccountRepositories {
  users: AsyncRepository<ReturnType<typeof createUserRepository>>;
  datasets: AsyncRepository<ReturnType<typeof createDatasetRepository>>;
  taxonomies: AsyncRepository<ReturnType<typeof createTaxonomyRepository>>;
  trials: AsyncRepository<ReturnType<typeof createTrialRepository>>;
}

/**
 * One engine under test, on an empty migrated database (no default taxonomies): the repositories, a transaction
 * to run calls in, and plain SQL for fixtures (rows of other groups' tables) and checks. Fixture SQL is written
 * once with `?` placeholders and TRUE/FALSE literals, which both engines read.
 */
export interface Engine extends AccountRepositories {
  name: 'sqlite' | 'pglite' | 'postgres';
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  run(sql: string, params?: unknown[]): Promise<void>;
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /**
   * The same repositories on another connection to the same database, as a second app instance has (SQLite: a
   * second connection to the file; PGlite has one connection, so new repositories on it).
   */
  otherInstance(): Promise<AccountRepositories>;
  /**
   * Two writers at once: `first` runs in a transaction that stays open until `second` (started meanwhile, through
   * another instance) waits for a lock `first` holds; then `first` commits and `second` goes on. On a real server
   * only: SQLite and PGlite have one writer, so there `second` runs after `first`.
   */
  atOnce<A, B>(first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]>;
  /** The error code a unique violation surfaces with. */
  uniqueViolation: string;
  /** The error code a foreign key violation surfaces with. */
  foreignKeyViolation: string;
}

const closing: (() => Promise<void>)[] = [];
let folder: string | undefined;
let files = 0;
afterAll(async () => {
  for (const close of closing.splice(0)) await close();
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

const sqliteRepositories = (db: ReturnType<typeof openDatabase>): AccountRepositories => {
  const gate = gateOf(db);
  return {
    users: gate.wrap(createUserRepository(db)),
    datasets: gate.wrap(createDatasetRepository(db)),
    taxonomies: gate.wrap(createTaxonomyRepository(db)),
    trials: gate.wrap(createTrialRepository(db)),
  };
};

function sqlite(): Promise<Engine> {
  // Files of this module's own, so that these tests need nothing of the app's (test/helpers/app.ts).
  folder ??= mkdtempSync(join(tmpdir(), 'cs-pg-accounts-'));
  const path = join(folder, `db-${++files}.sqlite`);
  const db = openDatabase(path);
  migrate(db);
  closing.push(() => Promise.resolve(void db.close()));
  return Promise.resolve({
    name: 'sqlite',
    ...sqliteRepositories(db),
    transaction: (fn) => gateOf(db).transaction(fn),
    run: (sql, params = []) => Promise.resolve(void db.prepare(sql).run(...params)),
    rows: <R>(sql: string, params: unknown[] = []) => Promise.resolve(db.prepare(sql).all(...params) as R[]),
    otherInstance: () => {
      const other = openDatabase(path);
      closing.push(() => Promise.resolve(void other.close()));
      return Promise.resolve(sqliteRepositories(other));
    },
    atOnce: async (first, second) => [await gateOf(db).transaction(first), await second()],
    uniqueViolation: 'SQLITE_CONSTRAINT_UNIQUE',
    foreignKeyViolation: 'SQLITE_CONSTRAINT_FOREIGNKEY',
  });
}

const pgRepositories = (db: PgDatabase): AccountRepositories => ({
  users: createPgUserRepository(db),
  datasets: createPgDatasetRepository(db),
  taxonomies: createPgTaxonomyRepository(db),
  trials: createPgTrialRepository(db),
});

async function postgres(): Promise<Engine> {
  const db = await freshPostgres();
  return {
    name: postgresEngine,
    ...pgRepositories(db),
    transaction: (fn) => db.transaction(fn),
    run: async (sql, params = []) => void (await db.execute(numbered(sql), params)),
    rows: (sql, params = []) => db.query(numbered(sql), params),
    otherInstance: async () => {
      const url = process.env.CS_TEST_POSTGRES_URL;
      if (postgresEngine === 'pglite' || !url) return pgRepositories(db);
      const [{ name }] = await db.query<{ name: string }>('SELECT current_database() AS name');
      const other = await connectPostgres(withDatabase(url, name), { max: 4 });
      // Before the harness drops the database (its afterAll runs after this file's).
      closing.push(() => other.close());
      return pgRepositories(other);
    },
    atOnce: async <A, B>(first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> => {
      if (postgresEngine === 'pglite') return [await db.transaction(first), await second()];
      let wrote!: (result: A) => void;
      let commit!: () => void;
      const written = new Promise<A>((resolve) => (wrote = resolve));
      const held = new Promise<void>((resolve) => (commit = resolve));
      const transaction = db.transaction(async () => {
        wrote(await first());
        await held;
      });
      // Whichever settles first: the write, or a failure of the transaction before it.
      const a = await Promise.race([written, transaction.then(() => written)]);
      let settled = false;
      const b = second().finally(() => (settled = true));
      b.catch(() => {}); // awaited below; a second writer that never blocks ends the wait too
      // Polled on a connection of the pool, outside the transaction: go on once the second writer is blocked.
      while (!settled) {
        const [row] = await db.query<{ n: number }>(
          `SELECT count(*) AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (row.n > 0) break;
      }
      if (settled) {
        commit();
        await transaction;
        throw new Error('The second writer never waited for the first: the test does not test what it says');
      }
      commit();
      await transaction;
      return [a, await b];
    },
    uniqueViolation: '23505',
    foreignKeyViolation: '23503',
  };
}

/** Both engines, for `describe.each`. */
export const engines: { engine: string; open: () => Promise<Engine> }[] = [
  { engine: 'sqlite', open: sqlite },
  { engine: postgresEngine, open: postgres },
];

/** A timestamp as both engines give it back. */
export const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
