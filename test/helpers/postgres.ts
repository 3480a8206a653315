import { afterAll, beforeAll } from 'vitest';
import { connectPostgres, PgliteInstance, type PgDatabase } from '../../server/db/postgres/database.ts';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';

/**
 * Fresh PostgreSQL databases for tests: on the real server named by CS_TEST_POSTGRES_URL when it is set (CI),
 * else in PGlite, in-process, so that `npm test` passes on a machine with nothing installed. Under CI without a
 * server, asking for one fails: the PostgreSQL runs must fail there rather than be skipped.
 *
 * Real server: a template database is migrated once per test file, and each call is `CREATE DATABASE … TEMPLATE`.
 * PGlite: one instance per test file (it takes ≈ 2 s to start and ≈ 300 MB), each call a schema of its own,
 * migrated. Either way, everything is closed and dropped after the test file.
 */
export function freshPostgres(): Promise<PgDatabase> {
  const url = testServerUrl();
  return url ? freshServerDatabase(url, true) : freshPgliteDatabase(true);
}

/** A new database the migrations have not touched (for the runner's own tests). */
export function emptyPostgres(): Promise<PgDatabase> {
  const url = testServerUrl();
  return url ? freshServerDatabase(url, false) : freshPgliteDatabase(false);
}

function testServerUrl(): string | undefined {
  const url = process.env.CS_TEST_POSTGRES_URL;
  if (!url && isCi()) {
    throw new Error(
      'CI is set but CS_TEST_POSTGRES_URL is not: the PostgreSQL tests must run against a real server in CI (.ci/run starts one).',
    );
  }
  return url || undefined;
}

/** Which engine freshPostgres gives, for test names. */
export const postgresEngine = process.env.CS_TEST_POSTGRES_URL ? 'postgres' : 'pglite';

export interface PostgresEngine {
  name: 'PGlite' | 'PostgreSQL server';
  /** A new migrated (or, with `false`, untouched) database, closed and dropped after the test file. */
  fresh: (migrated?: boolean) => Promise<PgDatabase>;
}

/**
 * Both PostgreSQL engines, for tests of the PostgreSQL layer itself (`describe.each`): PGlite always, and the
 * server when CS_TEST_POSTGRES_URL is set — or under CI, where its factory throws because the server is missing.
 */
export function postgresEngines(): PostgresEngine[] {
  pgliteWanted = true;
  const engines: PostgresEngine[] = [
    { name: 'PGlite', fresh: (migrated = true) => freshPgliteDatabase(migrated) },
  ];
  if (process.env.CS_TEST_POSTGRES_URL || isCi()) {
    engines.push({
      name: 'PostgreSQL server',
      fresh: async (migrated = true) => freshServerDatabase(testServerUrl()!, migrated),
    });
  }
  return engines;
}

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** What the file opened that others came from (the admin connection and template, the PGlite instance). */
const cleanups: (() => Promise<void>)[] = [];
/** The databases (schemas on PGlite) handed to tests: independent of each other, so dropped all at once. */
const drops: (() => Promise<void>)[] = [];
// The file's first database costs the most (PGlite's start ≈ 2 s, more on a busy machine; or the template's
// migration): paid here, with a hook's time limit, rather than inside the first test's 5 s.
beforeAll(async () => {
  const url = testServerUrl();
  if (url) await serverAdmin(url);
  if (!url || pgliteWanted) await pgliteInstance();
}, 60_000);
// On a busy server one DROP DATABASE may take seconds (it waits for a checkpoint): the tests' databases are dropped
// in parallel (checkpoints requested together are done once), with a generous time limit, and one that fails does
// not keep the others or the template from being dropped; the failures are reported together at the end.
afterAll(async () => {
  const results = await Promise.allSettled(drops.splice(0).map((drop) => drop()));
  // Last opened, first closed: the template or instance after the databases that came from it.
  for (const cleanup of cleanups.splice(0).reverse()) {
    results.push(...(await Promise.allSettled([cleanup()])));
  }
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    throw new AggregateError(
      failed.map((r) => r.reason as unknown),
      `${failed.length} test database(s) could not be closed or dropped`,
    );
  }
}, 600_000);

let counter = 0;
let pgliteWanted = false;
const unique = () => `${process.pid}_${Date.now().toString(36)}_${++counter}`;

// ---------------------------------------------------------------------------------------------------------
// Real server

/** SQL written with `?` placeholders (as SQLite takes them), numbered `$1, $2, …` for PostgreSQL. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** `url` pointing at another database on the same server (keeps user, host, port and query string). */
export function withDatabase(url: string, database: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(\/[^?#]*)?/i, `$1/${database}`);
}

/** The full URL (password included) of each server database handed out, for job threads' own connections. */
const serverUrls = new WeakMap<PgDatabase, string>();

/** The URL a job thread connects to `db` with: a database freshPostgres made on the server (not PGlite's). */
export function serverUrlOf(db: PgDatabase): string | undefined {
  return serverUrls.get(db);
}

let admin: Promise<{ db: PgDatabase; template: string }> | undefined;

/** A connection to the server's own database, and this file's migrated template database. */
function serverAdmin(url: string) {
  admin ??= (async () => {
    // Several connections: the drops after the file run in parallel.
    const db = await connectPostgres(url, { max: 8 });
    const template = `cs_test_template_${unique()}`;
    await db.exec(`CREATE DATABASE ${template}`);
    cleanups.push(async () => {
      await db.exec(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await db.close();
      admin = undefined;
    });
    const templateDb = await connectPostgres(withDatabase(url, template), { max: 1 });
    try {
      await migratePostgres(templateDb);
    } finally {
      // CREATE DATABASE … TEMPLATE needs the template without connections.
      await templateDb.close();
    }
    return { db, template };
  })();
  return admin;
}

async function freshServerDatabase(url: string, migrated: boolean): Promise<PgDatabase> {
  const { db: server, template } = await serverAdmin(url);
  const name = `cs_test_${unique()}`;
  await server.exec(`CREATE DATABASE ${name} TEMPLATE ${migrated ? template : 'template0'}`);
  // Few connections, closed soon when idle: a test file may ask for hundreds of databases.
  const db = await connectPostgres(withDatabase(url, name), { max: 4, idleTimeoutMillis: 1_000 });
  serverUrls.set(db, withDatabase(url, name));
  drops.push(async () => {
    await db.close();
    await server.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return db;
}

// ---------------------------------------------------------------------------------------------------------
// PGlite

let instance: Promise<PgliteInstance> | undefined;

function pgliteInstance(): Promise<PgliteInstance> {
  instance ??= (async () => {
    const opened = await PgliteInstance.open();
    // Extensions live in public, which every test schema has on its search path.
    await (await opened.database('public')).exec('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    cleanups.push(async () => {
      await opened.close();
      instance = undefined;
    });
    return opened;
  })();
  return instance;
}

async function freshPgliteDatabase(migrated: boolean): Promise<PgDatabase> {
  const pglite = await pgliteInstance();
  const schema = `cs_test_${++counter}`;
  const db = await pglite.database(schema, async () => {
    if (!pglite.closed)
      await (await pglite.database('public')).exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
  if (migrated) await migratePostgres(db);
  return db;
}
