import { openDatabase, type Db } from './connection.ts';
import { migrate } from './migrate.ts';
import { openPostgres, redactUrl, type PgDatabase } from './postgres/database.ts';
import { migratePostgres, postgresSchemaVersion } from './postgres/migrate.ts';
import { createPgRepositories } from './postgres/repositories.ts';
import { createRepositories, type Repositories } from './repositories.ts';

export type Engine = 'sqlite' | 'postgres';

/** Repositories on a connection of their own, and the way to close it. */
export type OpenedRepositories = Repositories & {
  readonly engine: Engine;
  /**
   * SQLite-only infrastructure (see createRepositories): WAL checkpoints, the search index catch-up, write turns,
   * backups. On PostgreSQL none of it exists and reading `db` throws (engine says which it is).
   */
  readonly db: Db;
  close(): Promise<void>;
};

/** Whether `location` names a PostgreSQL database (a postgres:// or postgresql:// URL, or PGlite's pglite:…). */
export function isPostgresLocation(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location) || location.startsWith('pglite:');
}

// Databases this thread holds that no other connection can reach by their location (an in-memory PGlite), or
// whose location lacks the password (a URL given on the command line): see shareRepositories / connectionOf.
const inProcess = new Map<string, Repositories>();
const urls = new Map<string, string>();
// The PostgreSQL database under repositories opened here (for migrateRepositories).
const pgOf = new WeakMap<object, PgDatabase>();
// The PostgreSQL database under shared repositories, by location, when the sharer gave it (shareRepositories).
const sharedPg = new Map<string, PgDatabase>();

/**
 * Makes `repos` what openRepositories(repos.location) gives on this thread (without closing them on close()):
 * for a database no second connection can open, PGlite in memory above all. Jobs on such a database run on the
 * thread that holds it (server/jobs/pool.ts) instead of a job thread. Given `database` (the one under `repos`),
 * openMigratedRepositories(repos.location) works too — a CLI command run in-process on it. Returns the way to
 * withdraw them.
 */
export function shareRepositories(repos: Repositories, database?: PgDatabase): () => void {
  inProcess.set(repos.location, repos);
  if (database) sharedPg.set(repos.location, database);
  return () => {
    if (inProcess.get(repos.location) !== repos) return;
    inProcess.delete(repos.location);
    sharedPg.delete(repos.location);
  };
}

/** The repositories shared on this thread under `location`, if any (shareRepositories). */
export function sharedRepositories(location: string): Repositories | undefined {
  return inProcess.get(location);
}

/**
 * What a job thread is given to open `location` (a location never carries a password): the full URL this thread
 * opened it with, or the location itself. It crosses to the job thread in memory and is never printed.
 */
export function connectionOf(location: string): string {
  return urls.get(location) ?? location;
}

/** Remembers `url`'s password for its location (a database opened elsewhere on this thread, e.g. by a test harness). */
export function rememberConnection(url: string): void {
  const location = redactUrl(url);
  if (location !== url) urls.set(location, url);
}

const notSqlite = (location: string): never => {
  throw new Error(
    `${location} is a PostgreSQL database: SQLite-only machinery (checkpoints, search catch-up, write turns, backups) does not apply`,
  );
};

/**
 * Opens the repositories of the database at `location` on a connection of their own: how the server, a CLI command,
 * a job thread or a release build's writer reaches the database without knowing its engine. The one place the
 * engine is chosen: a postgres:// or postgresql:// URL (or pglite:DIR) opens PostgreSQL, anything else is a SQLite
 * file. An unreachable server fails here with DatabaseUnreachableError (host, database, reason; no password).
 */
export async function openRepositories(location: string): Promise<OpenedRepositories> {
  const shared = inProcess.get(location);
  if (shared) {
    return withDb({ ...shared, engine: 'postgres', close: () => Promise.resolve() }, () =>
      notSqlite(shared.location),
    );
  }
  if (isPostgresLocation(location)) {
    const pg = await openPostgres(connectionOf(location));
    rememberConnection(connectionOf(location));
    const repos = withDb({ ...createPgRepositories(pg), engine: 'postgres', close: () => pg.close() }, () =>
      notSqlite(pg.location),
    );
    pgOf.set(repos, pg);
    return repos;
  }
  return sqliteOpened(openDatabase(location));
}

const sqliteOpened = (db: Db): OpenedRepositories => ({
  ...createRepositories(db),
  engine: 'sqlite',
  close: () => {
    db.close();
    return Promise.resolve();
  },
});

function withDb(repos: Omit<OpenedRepositories, 'db'>, db: () => Db): OpenedRepositories {
  return Object.defineProperty(repos, 'db', { get: db, enumerable: false }) as OpenedRepositories;
}

/**
 * openRepositories, the database first brought to the newest schema by its engine's runner (SQLite's repositories
 * prepare their statements at once, so the tables must exist before): the versions before and after.
 */
export async function openMigratedRepositories(
  location: string,
): Promise<{ repos: OpenedRepositories; before: number; after: number }> {
  if (inProcess.has(location) || isPostgresLocation(location)) {
    const repos = await openRepositories(location);
    try {
      const pg = pgOf.get(repos) ?? sharedPg.get(location);
      if (!pg) throw new Error(`${location} is migrated by the code that shared it`);
      const before = await postgresSchemaVersion(pg);
      return { repos, before, after: await migratePostgres(pg) };
    } catch (error) {
      await repos.close();
      throw error;
    }
  }
  const db = openDatabase(location);
  try {
    const before = db.pragma('user_version', { simple: true }) as number;
    const after = migrate(db);
    return { repos: sqliteOpened(db), before, after };
  } catch (error) {
    db.close();
    throw error;
  }
}
