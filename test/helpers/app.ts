import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { Role } from '../../schema/common.ts';
import type { User } from '../../schema/user.ts';
import { createApp, type AppOptions } from '../../server/app.ts';
import { openDatabase, type Db } from '../../server/db/connection.ts';
import { copyDatabase } from '../../server/db/copy/copy-database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { rememberConnection, shareRepositories } from '../../server/db/open-repositories.ts';
import { createPgRepositories } from '../../server/db/postgres/repositories.ts';
import { createRepositories } from '../../server/db/repositories.ts';
import { createTaxonomyRepository } from '../../server/db/taxonomies.ts';
import { hashPassword } from '../../server/domain/passwords.ts';
import {
  flattenTaxonomy,
  readDefaultTaxonomy,
  syncDefaultTaxonomies,
} from '../../server/domain/taxonomies.ts';
import { taxonomyIds } from '../../schema/taxonomy.ts';

/**
 * The engine createTestContext builds on unless told: SQLite, or PostgreSQL with CS_TEST_ENGINE=postgres (PGlite, or
 * the server CS_TEST_POSTGRES_URL names). The PostgreSQL harness is loaded here, while the file is collected, so
 * that its hooks (start, drop after the file) are registered; a file asking for `engine: 'postgres'` itself imports
 * test/helpers/postgres.ts for the same reason.
 */
const defaultEngine = process.env.CS_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
if (defaultEngine === 'postgres') await import('./postgres.ts');

/**
 * True when the test database lives inside this process only (PGlite): a test that starts a child process on the
 * same database (the CLI, a server killed mid-job) cannot run then — `it.skipIf(inProcessDatabase)`; CI runs it on
 * the real server.
 */
export const inProcessDatabase = defaultEngine === 'postgres' && !process.env.CS_TEST_POSTGRES_URL;

export const TEST_PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;
/** One scrypt hash shared by all test users: hashing is deliberately slow. */
const testHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

let scratchRoot: string | undefined;
let dbCount = 0;

/** A new folder inside this test file's temp folder, which test/setup.ts removes after the file. */
export function scratchDir(prefix = 'dir-'): string {
  scratchRoot ??= mkdtempSync(join(tmpdir(), 'cs-test-'));
  return mkdtempSync(join(scratchRoot, prefix));
}

/**
 * A fresh database file in this test file's temp folder. Files, not `:memory:`: jobs run on worker
 * threads with their own connections, which an in-memory database cannot have.
 */
export function freshDbPath(): string {
  scratchRoot ??= mkdtempSync(join(tmpdir(), 'cs-test-'));
  return join(scratchRoot, `db-${++dbCount}.sqlite`);
}

/** Removes this test file's temp folder: its databases and scratch folders (test/setup.ts, after each file). */
export function removeTestDatabases() {
  if (scratchRoot) rmSync(scratchRoot, { recursive: true, force: true });
  scratchRoot = undefined;
}

/**
 * A fresh database, migrated to the latest version, with the default taxonomies loaded. Synchronous, so that
 * `createRepositories(freshDb())` stays one expression: it loads the taxonomies as syncDefaultTaxonomies does
 * (server/domain/taxonomies.ts), through SQLite's repository as it is inside, before any other code can run.
 */
export function freshDb(): Db {
  const db = migratedDb();
  const taxonomies = createTaxonomyRepository(db);
  for (const id of taxonomyIds) {
    const file = readDefaultTaxonomy(id);
    taxonomies.syncDefault(
      { id: file.id, name: file.name, version: file.version, description: file.description },
      flattenTaxonomy(file),
    );
  }
  return db;
}

/** A fresh database file, migrated, nothing in it. */
function migratedDb(): Db {
  const db = openDatabase(freshDbPath());
  migrate(db);
  return db;
}

export interface TestContext {
  db: Db;
  app: Express;
  repos: ReturnType<typeof createRepositories>;
  /** Creates a user directly in the database. */
  addUser(username: string, role: Role, languages?: string[]): Promise<User>;
  /** A supertest agent logged in as `username` that sends the CSRF header on writes. */
  login(username: string): Promise<Agent>;
  /** Which engine the app runs on. */
  engine: 'sqlite' | 'postgres';
  /**
   * Where another process finds this database (CS_DATABASE_URL / `--db`): the SQLite file, or the PostgreSQL URL
   * with its password. Undefined on PGlite (see inProcessDatabase).
   */
  location: string | undefined;
  /**
   * Raw SQL on whichever engine the app runs on, `?` placeholders: the rows of a query, or `[]` for a write. For
   * set-ups no API makes (a backdated row, a damaged file's record) and checks of what is stored; keep the SQL
   * portable (SQLite stores booleans as 0/1, PostgreSQL as true/false).
   */
  sql<R = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<R[]>;
}

export interface Agent {
  user: User;
  csrfToken: string;
  get(url: string): request.Test;
  delete(url: string): request.Test;
  post(url: string, body?: unknown): request.Test;
  patch(url: string, body?: unknown): request.Test;
}

export interface TestContextOptions extends Partial<AppOptions> {
  /** Which engine the app runs on (default: CS_TEST_ENGINE, else SQLite). */
  engine?: 'sqlite' | 'postgres';
  /** False: the database only migrated, without the default taxonomies (as a very first start finds it). */
  taxonomies?: boolean;
  /**
   * On PostgreSQL: the app starts on a copy of this SQLite database (copy-database's copy, ids kept) instead of an
   * empty one — a world built once, copied for each test that writes to it. Ignored on SQLite (copy the file).
   */
  copyOf?: Db;
}

/**
 * The app on a fresh database with the default taxonomies. On PostgreSQL, `db` and `repos.db` (SQLite's connection)
 * throw when read, so a test reaching into SQLite fails saying so.
 */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const { engine = defaultEngine, taxonomies = true, copyOf, ...appOptions } = options;
  if (engine === 'postgres' && !options.db) return postgresContext(appOptions, { taxonomies, copyOf });
  const db = options.db ?? (taxonomies ? freshDb() : migratedDb());
  const app = createApp({ log: () => {}, ...appOptions, db });
  // Async, so that SQLite's errors (a trigger's refusal) reject the promise as PostgreSQL's do, never throw at the call.
  // eslint-disable-next-line @typescript-eslint/require-await
  const sql = async <R>(text: string, ...params: unknown[]): Promise<R[]> => {
    const statement = db.prepare(text);
    if (statement.reader) return statement.all(...params) as R[];
    statement.run(...params);
    return [];
  };
  return { ...contextOn(app, createRepositories(db)), db, engine: 'sqlite', location: db.name, sql };
}

async function postgresContext(
  options: Partial<AppOptions>,
  start: { taxonomies: boolean; copyOf?: Db },
): Promise<TestContext> {
  const { freshPostgres, numbered, serverUrlOf } = await import('./postgres.ts');
  const database = await freshPostgres();
  const pg = createPgRepositories(database);
  if (start.copyOf) {
    const copied = await copyDatabase(start.copyOf, database);
    if (!copied.ok) throw new Error(`The copy of ${start.copyOf.name} did not verify`);
  } else if (start.taxonomies) await syncDefaultTaxonomies(pg.taxonomies);
  // On a server, jobs run on job threads with connections of their own (given the password here); PGlite's
  // in-memory database is this thread's alone, so its jobs run here.
  const server = serverUrlOf(database);
  if (server) rememberConnection(server);
  else shareRepositories(pg, database);
  const noSqlite = (): never => {
    throw new Error(`This test runs on PostgreSQL (${pg.location}): it has no SQLite connection`);
  };
  const repos = Object.defineProperty({ ...pg }, 'db', { get: noSqlite }) as TestContext['repos'];
  const app = createApp({ log: () => {}, ...options, repos });
  const sql = <R>(text: string, ...params: unknown[]): Promise<R[]> =>
    database.query<R>(numbered(text), params);
  const context = { ...contextOn(app, repos), engine: 'postgres' as const, location: server, sql };
  return Object.defineProperty(context, 'db', { get: noSqlite }) as TestContext;
}

function contextOn(
  app: Express,
  repos: TestContext['repos'],
): Omit<TestContext, 'db' | 'engine' | 'location' | 'sql'> {
  return {
    app,
    repos,
    async addUser(username, role, languages = []) {
      return repos.users.create({
        username,
        displayName: username,
        role,
        languages,
        passwordHash: await testHash(),
        uiLocale: 'en',
      });
    },
    async login(username) {
      const agent = request.agent(app);
      const res = await agent.post('/api/auth/login').send({ username, password: TEST_PASSWORD });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
      const csrfToken = res.body.csrfToken as string;
      return {
        user: res.body.user as User,
        csrfToken,
        get: (url) => agent.get(url),
        delete: (url) => agent.delete(url).set('X-CSRF-Token', csrfToken),
        post: (url, body) =>
          agent
            .post(url)
            .set('X-CSRF-Token', csrfToken)
            .send(body as object),
        patch: (url, body) =>
          agent
            .patch(url)
            .set('X-CSRF-Token', csrfToken)
            .send(body as object),
      };
    },
  };
}
