import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRepositories } from '../../../server/db/repositories.ts';
import { copyDatabase, CopyRefusedError, type CopyReport } from '../../../server/db/copy/copy-database.ts';
import { loadMigrations, migrate } from '../../../server/db/migrate.ts';
import { connectPostgres, openPglite, type PgDatabase } from '../../../server/db/postgres/database.ts';
import { createPgItemRepository } from '../../../server/db/postgres/items.ts';
import { createPgReleaseRepository } from '../../../server/db/postgres/releases.ts';
import { createPgScoringRepository } from '../../../server/db/postgres/scoring.ts';
import { createPgUserRepository } from '../../../server/db/postgres/users.ts';
import { createPgValidationRepository } from '../../../server/db/postgres/validations.ts';
import type { ItemListFilter } from '../../../server/db/items/list.ts';
import { openDatabase, type Db } from '../../../server/db/connection.ts';
import { seedDemo } from '../../../server/demo/seed.ts';
import { freshDb, scratchDir } from '../../helpers/app.ts';
import { freshPostgres, withDatabase } from '../../helpers/postgres.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The demo database (users, datasets, items, validations, release 1.0.0, two scored models, ratings). */
async function demoSource(): Promise<Db> {
  const db = freshDb();
  const repos = createRepositories(db);
  await seedDemo(repos, scratchDir('copy-releases-'));
  // Sessions and tokens are copied too.
  const admin = (await repos.users.getByUsername('admin'))!;
  await repos.users.createSession('session-hash', admin.id, 'csrf', '2999-01-01T00:00:00.000Z');
  await repos.users.createToken(admin.id, 'ci', 'token-hash', 'cs_abcd');
  return db;
}

const listFilter = (overrides: Partial<ItemListFilter> = {}): ItemListFilter => ({
  sort: 'id_asc',
  limit: 500,
  offset: 0,
  scope: null,
  answers: null,
  ...overrides,
});

async function count(pg: PgDatabase, table: string): Promise<number> {
  const [row] = await pg.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return row.n;
}

const byTable = (report: CopyReport) => new Map(report.checks.map((c) => [c.table, c]));

describe('copy-database (SQLite to PostgreSQL)', () => {
  let source: Db;
  beforeAll(async () => {
    source = await demoSource();
  }, 120_000);

  it('copies the demo database with its ids: every table verifies, and the listings read the same on both engines', async () => {
    const pg = await freshPostgres();
    const report = await copyDatabase(source, pg);
    expect(report.ok).toBe(true);
    const checks = byTable(report);
    // Hand-checked against server/demo: 12 users (users.ts), 2 datasets, release 1.0.0, two models' runs.
    expect(checks.get('users')).toMatchObject({ sqliteRows: 12, postgresRows: 12 });
    expect(checks.get('datasets')).toMatchObject({ sqliteRows: 2, postgresRows: 2 });
    expect(checks.get('releases')).toMatchObject({ sqliteRows: 1, postgresRows: 1 });
    expect(checks.get('runs')).toMatchObject({ sqliteRows: 2, postgresRows: 2 });
    expect(checks.get('sessions')).toMatchObject({ sqliteRows: 1, postgresRows: 1 });
    expect(checks.get('api_tokens')).toMatchObject({ sqliteRows: 1, postgresRows: 1 });
    for (const c of report.checks) {
      expect(c.postgresRows, c.table).toBe(c.sqliteRows);
      expect(c.postgresHash, c.table).toBe(c.sqliteHash);
    }
    // Every application table is either copied or skipped with its reason.
    expect(report.checks.map((c) => c.table)).toEqual(
      expect.arrayContaining([
        'items',
        'item_revisions',
        'validations',
        'release_items',
        'responses',
        'ratings',
      ]),
    );
    expect(report.skipped.map((s) => s.table)).toEqual(
      expect.arrayContaining(['items_fts', 'items_search_pending', 'cs_schema_version', 'import_stage']),
    );
    expect(await count(pg, 'items')).toBe(checks.get('items')!.sqliteRows);
    expect(await count(pg, 'items_search_text')).toBe(checks.get('items')!.sqliteRows);

    const sqlite = createRepositories(source);
    const users = createPgUserRepository(pg);
    const items = createPgItemRepository(pg);
    const releases = createPgReleaseRepository(pg);
    const validations = createPgValidationRepository(pg);
    const scoring = createPgScoringRepository(pg);

    const userList = await users.list();
    expect(userList).toEqual(await sqlite.users.list());
    expect(userList.find((u) => u.username === 'jisoo')).toMatchObject({
      role: 'annotator',
      languages: ['ko'],
    });

    const itemPage = await items.list(listFilter());
    expect(itemPage).toEqual(await sqlite.items.list(listFilter()));
    // server/demo/items.ts: 34 items; one question names 설날 (Seollal).
    expect(itemPage.total).toBe(34);
    const seollal = await items.list(listFilter({ q: '설날' }));
    expect(seollal).toEqual(await sqlite.items.list(listFilter({ q: '설날' })));
    expect(seollal.items.map((i) => i.question)).toEqual([
      '설날 아침에 먹으면 나이를 한 살 더 먹는다고 하는 음식은 무엇인가요?',
    ]);
    for (const item of itemPage.items) {
      expect(await items.listRevisions(item.id)).toEqual(await sqlite.items.listRevisions(item.id));
      expect(await validations.itemValidations(item.id)).toEqual(
        await sqlite.validations.itemValidations(item.id),
      );
    }

    const releaseList = await releases.list();
    expect(releaseList).toEqual(await sqlite.releases.list());
    expect(releaseList[0]).toMatchObject({ version: '1.0.0', state: 'published' });

    const runs = await scoring.listRuns({});
    expect(runs).toEqual(await sqlite.scoring.listRuns({}));
    const campaigns = await scoring.listCampaignIds();
    expect(campaigns).toEqual([1]);
    expect(await scoring.campaignRatings(1)).toEqual(await sqlite.scoring.campaignRatings(1));

    // Identities continue after the copied ids.
    const next = await users.create({
      username: 'newcomer',
      displayName: 'Newcomer',
      role: 'annotator',
      languages: ['ko'],
      passwordHash: 'x',
      uiLocale: 'en',
    });
    expect(next.id).toBe(13);
  }, 120_000);

  it('refuses a target with any row in an application table, writing nothing', async () => {
    const pg = await freshPostgres();
    await createPgUserRepository(pg).create({
      username: 'already',
      displayName: 'Already here',
      role: 'maintainer',
      languages: [],
      passwordHash: 'x',
      uiLocale: 'en',
    });
    const refused = copyDatabase(source, pg);
    await expect(refused).rejects.toThrow(CopyRefusedError);
    await expect(refused).rejects.toThrow(/is not empty \(table users has rows\).*nothing was written/);
    expect(await count(pg, 'users')).toBe(1);
    expect(await count(pg, 'items')).toBe(0);
  });

  it('refuses a source whose schema version is not the code’s, with the reason', async () => {
    // The newest migration is 22 or later (migrations are added for both engines); the source is one behind.
    const latest = loadMigrations().at(-1)!.version;
    expect(latest).toBeGreaterThanOrEqual(22);
    const old = openDatabase(':memory:');
    migrate(old, { target: latest - 1 });
    const pg = await freshPostgres();
    await expect(copyDatabase(old, pg)).rejects.toThrow(
      `The SQLite database is at schema version ${latest - 1}, this code's is ${latest}: migrate it first`,
    );
    expect(await count(pg, 'users')).toBe(0);
    old.close();
  });

  it('refuses a table that only one side has, naming it, before writing anything', async () => {
    const db = openDatabase(':memory:');
    migrate(db);
    db.exec('CREATE TABLE annotations_extra (id INTEGER PRIMARY KEY, note TEXT)');
    const pg = await freshPostgres();
    await expect(copyDatabase(db, pg)).rejects.toThrow(
      "table annotations_extra is in the SQLite database but not in PostgreSQL's schema",
    );
    db.close();
    const other = openDatabase(':memory:');
    migrate(other);
    await pg.exec('CREATE TABLE audit_extra (id bigint PRIMARY KEY)');
    await expect(copyDatabase(other, pg)).rejects.toThrow(
      "table audit_extra is in PostgreSQL's schema but not in the SQLite database",
    );
    other.close();
  });

  it('when a table does not verify, reports it and keeps nothing', async () => {
    const db = await demoSource();
    // A stale folded text on SQLite: PostgreSQL's, rebuilt from the item, differs.
    db.prepare("UPDATE items_search_text SET question = 'stale' WHERE item_id = 1").run();
    const pg = await freshPostgres();
    const report = await copyDatabase(db, pg);
    expect(report.ok).toBe(false);
    const bad = report.checks.filter((c) => c.sqliteHash !== c.postgresHash).map((c) => c.table);
    expect(bad).toEqual(['items_search_text']);
    expect(await count(pg, 'users')).toBe(0);
    expect(await count(pg, 'items')).toBe(0);
    db.close();
  }, 120_000);
});

/** This process's environment without the database settings (each test gives its own). */
function outsideEnv(): NodeJS.ProcessEnv {
  const { CS_DATABASE_URL: _url, CS_DB_PATH: _path, ...rest } = process.env;
  return rest;
}

describe('npm run cli -- copy-database', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server/cli.ts'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...outsideEnv(), ...env },
      timeout: 120_000,
    });

  /**
   * An empty, unmigrated target for the child process: a new database on the server when CS_TEST_POSTGRES_URL is
   * set (given to the CLI through CS_DATABASE_URL, as an operator would), else a new PGlite folder (--to).
   */
  async function cliTarget(): Promise<{
    args: string[];
    env: Record<string, string>;
    open: () => Promise<PgDatabase>;
    drop: () => Promise<void>;
  }> {
    const server = process.env.CS_TEST_POSTGRES_URL;
    if (server) {
      const name = `cs_copy_cli_${process.pid}_${Date.now()}`;
      const admin = await connectPostgres(server, { max: 1 });
      await admin.exec(`CREATE DATABASE ${name}`);
      const url = withDatabase(server, name);
      return {
        args: [],
        env: { CS_DATABASE_URL: url },
        open: () => connectPostgres(url, { max: 1 }),
        drop: async () => {
          await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await admin.close();
        },
      };
    }
    const dir = join(scratchDir('copy-pglite-'), 'pg');
    return {
      args: ['--to', `pglite:${dir}`],
      env: {},
      open: () => openPglite(dir),
      drop: () => Promise.resolve(),
    };
  }

  it('copies the database named by --from into a new PostgreSQL database, migrating it, and prints the verification table', async () => {
    const db = await demoSource();
    const path = db.name;
    db.close();
    const target = await cliTarget();
    try {
      // CS_DB_PATH names another (empty) database: --from wins.
      const other = openDatabase(join(scratchDir('copy-other-'), 'other.sqlite'));
      migrate(other);
      other.close();
      const run = cli(['copy-database', '--from', `sqlite:${path}`, ...target.args], {
        ...target.env,
        CS_DB_PATH: other.name,
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines).toContainEqual(
        expect.stringMatching(/^TABLE\s+SQLITE ROWS\s+POSTGRES ROWS\s+SQLITE HASH\s+POSTGRES HASH$/),
      );
      expect(lines).toContainEqual(expect.stringMatching(/^users\s+12\s+12\s+([0-9a-f]{16})\s+\1\s+ok$/));
      expect(lines).toContainEqual(expect.stringMatching(/every row count and content hash matches\.$/));
      const pg = await target.open();
      try {
        expect(await count(pg, 'users')).toBe(12);
        expect(await count(pg, 'items')).toBe(34);
      } finally {
        await pg.close();
      }
      // Once more into the same database (the source named by --db this time): refused, not empty.
      const again = cli(['copy-database', '--db', path, ...target.args], target.env);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(
        /^error: The PostgreSQL database at .* is not empty \(table \w+ has rows\)/,
      );
    } finally {
      await target.drop();
    }
  }, 240_000);

  it('when the URL is wrong, exits 1 with the connection error and never the password', () => {
    const path = join(scratchDir('copy-src-'), 'cs.db');
    const db = openDatabase(path);
    migrate(db);
    db.close();
    const run = cli(['copy-database', '--db', path], {
      CS_DATABASE_URL: 'postgres://mover:s3cret-pw@127.0.0.1:1/culture',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Cannot connect to PostgreSQL (host 127.0.0.1, port 1, database "culture", user "mover")',
    );
    expect(run.stderr + run.stdout).not.toContain('s3cret-pw');
  }, 60_000);
});
