import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { Role } from '../../schema/common.ts';
import type { User } from '../../schema/user.ts';
import { createApp, type AppOptions } from '../../server/app.ts';
import { openDatabase, type Db } from '../../server/db/connection.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createRepositories } from '../../server/db/repositories.ts';
import { hashPassword } from '../../server/domain/passwords.ts';
import { syncDefaultTaxonomies } from '../../server/domain/taxonomies.ts';

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

/** A fresh database, migrated to the latest version, with the default taxonomies loaded. */
export function freshDb(): Db {
  const db = openDatabase(freshDbPath());
  migrate(db);
  syncDefaultTaxonomies(createRepositories(db).taxonomies);
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
}

export interface Agent {
  user: User;
  csrfToken: string;
  get(url: string): request.Test;
  delete(url: string): request.Test;
  post(url: string, body?: unknown): request.Test;
  patch(url: string, body?: unknown): request.Test;
}

/** Asynchronous for its callers' sake (set-up that needs to wait can be added here without changing them). */
export function createTestContext(options: Partial<AppOptions> = {}): Promise<TestContext> {
  const db = options.db ?? freshDb();
  const app = createApp({ log: () => {}, ...options, db });
  const repos = createRepositories(db);
  return Promise.resolve({
    db,
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
  });
}
