import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { createRepositories } from '../../../server/db/repositories.ts';
import { copyDatabase, CopyRefusedError, type CopyReport } from '../../../server/db/copy/copy-database.ts';
import { loadMigrations, migrate } from '../../../server/db/migrate.ts';
import { rememberConnection, shareRepositories } from '../../../server/db/open-repositories.ts';
import { connectPostgres, openPglite, type PgDatabase } from '../../../server/db/postgres/database.ts';
import { createPgRepositories } from '../../../server/db/postgres/repositories.ts';
import { createPgUserRepository } from '../../../server/db/postgres/users.ts';
import { openDatabase, type Db } from '../../../server/db/connection.ts';
import { seedDemo } from '../../../server/demo/seed.ts';
import { DEMO_PASSWORD } from '../../../server/demo/users.ts';
import { createTestContext, freshDb, scratchDir } from '../../helpers/app.ts';
import { fixture, importer } from '../../helpers/imports.ts';
import { freshPostgres, serverUrlOf, withDatabase } from '../../helpers/postgres.ts';

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

async function count(pg: PgDatabase, table: string): Promise<number> {
  const [row] = await pg.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return row.n;
}

/** One GET's answer, its body as bytes (release files are compared byte for byte). */
interface Answer {
  status: number;
  type: string;
  bytes: Buffer;
}

/** A supertest agent signed in as a demo user (they all share DEMO_PASSWORD). */
async function demoLogin(app: Express, username: string) {
  const agent = request.agent(app);
  const res = await agent.post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
  return {
    agent,
    csrfToken: res.body.csrfToken as string,
    async get(path: string): Promise<Answer> {
      const res = await agent
        .get(path)
        .buffer(true)
        .parse((stream, done) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
          stream.on('end', () => done(null, Buffer.concat(chunks)));
        });
      return {
        status: res.status,
        type: String(res.headers['content-type'] ?? ''),
        bytes: res.body as Buffer,
      };
    },
  };
}
type DemoAgent = Awaited<ReturnType<typeof demoLogin>>;

/** Where two JSON values first differ ('' when they are equal). */
function firstDifference(a: unknown, b: unknown, at = ''): string {
  if (Object.is(a, b)) return '';
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${at || '(body)'}: SQLite ${JSON.stringify(a)?.slice(0, 200)}, PostgreSQL ${JSON.stringify(b)?.slice(0, 200)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${at}: array on one side only`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${at}.${k}`,
    );
    if (d) return d;
  }
  return '';
}

/*
 * Moving house proven through the API (issue 12, point 5): the demo database on SQLite (server/demo, as `npm run
 * demo` makes it, plus what the demo lacks, made through the SQLite app: an import, a gold item, a judge), copied
 * to PostgreSQL, and one app on each; every GET route of server/routes/** that lists or reads is asked the same
 * question on both, as each demo role that sees different things, and must answer the same status, content type
 * and body (JSON compared as values, everything else byte for byte).
 *
 * Covered (per role: admin the maintainer, reviewer, jisoo an annotator who validated, minji an annotator who
 * wrote items): /health; /auth/session, /auth/state (the session's own csrfToken set aside: each app made its own
 * session); /me, /me/tokens; /users and each user; /datasets; /taxonomies and each; validation-, trial- and
 * judge-settings of each dataset; /items with every filter (dataset, language, status, kind, format, category,
 * author, trials), every sort, a page, and searches in three scripts; /items/similar; for each item: the item,
 * its revisions and each revision, its decisions, its trials, its review view and its import provenance;
 * /imports (by dataset, and each import) and /imports/presets; /releases (and by dataset), each release, its
 * archive, changelog and card byte for byte; /tasks/stats and each validation task; /review/queue (filters, a
 * page); /agreement (its computedMs, a timing, set aside) and each of its exports; /gold of each dataset;
 * /models; /runs (by release, by model), each run and its responses (and a page of them); /rating/campaigns,
 * each campaign, its disagreements and each rating task; /reports, its items (and a page), its CSV and JSON
 * exports, /reports/compare (and its exports) and /reports/headline; /judges and each; /judge-runs.
 * Left out: every POST, PUT, PATCH and DELETE (they write; POST /tasks/next and /rating/campaigns/:id/next lease
 * work, a write too): the copy is read, not changed; /judge-runs/:id, its judgments and calibration (no judge run
 * exists: a run calls a model endpoint, which this test has none of).
 */
describe('the demo database copied to PostgreSQL, through the API', () => {
  const ROLES = ['admin', 'reviewer', 'jisoo', 'minji'] as const;
  let source: Db;
  let report: CopyReport;
  let pg: PgDatabase;
  let onSqlite: Record<string, DemoAgent>;
  let onPostgres: Record<string, DemoAgent>;
  const errors: string[] = [];
  const log = (message: string, e: unknown) => errors.push(`${message}: ${String(e)}`);

  beforeAll(async () => {
    source = freshDb();
    const releasesDir = scratchDir('copy-api-releases-');
    await seedDemo(createRepositories(source), releasesDir);
    const sqlite = await createTestContext({ db: source, releasesDir, log });
    // What the demo does not make but the copy must carry: an import (by a maintainer of its own, with an API
    // token), a gold item, a judge.
    const imported = await (
      await importer(sqlite, 1)
    ).upload({ format: 'csv', fileName: 'native.csv', dryRun: false }, fixture('native.csv'));
    expect(imported.job.state).toBe('imported');
    const admin = await demoLogin(sqlite.app, 'admin');
    const write = (method: 'post' | 'put', path: string, body: object) =>
      admin.agent[method](path)
        .set('X-CSRF-Token', admin.csrfToken)
        .send(body)
        .expect((r) => {
          if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
        });
    await write('put', '/api/gold/1', { grounded: 'yes', correct: 'yes' });
    const models = (await admin.agent.get('/api/models')).body as { id: number }[];
    await write('post', '/api/judges', { name: 'Demo judge', modelId: models[0].id });

    pg = await freshPostgres();
    report = await copyDatabase(source, pg);
    const repos = createPgRepositories(pg);
    // Jobs (reports, comparisons) on a server run on job threads, which need the password; on PGlite, here.
    const server = serverUrlOf(pg);
    if (server) rememberConnection(server);
    else shareRepositories(repos);
    const postgresApp = createApp({ repos, releasesDir, log });
    onSqlite = {};
    onPostgres = {};
    for (const role of ROLES) {
      onSqlite[role] = await demoLogin(sqlite.app, role);
      onPostgres[role] = await demoLogin(postgresApp, role);
    }
  }, 300_000);

  it('copies every table with its ids, each verified by row count and content hash', () => {
    expect(report.ok).toBe(true);
    const checks = new Map(report.checks.map((c) => [c.table, c]));
    // Hand-checked against server/demo: 12 users (users.ts) and the importer, 34 items (items.ts) and the 5 rows
    // of native.csv, 2 datasets, release 1.0.0, two models' runs; the importer's token, the gold item, the judge.
    expect(checks.get('users')).toMatchObject({ sqliteRows: 13, postgresRows: 13 });
    expect(checks.get('items')).toMatchObject({ sqliteRows: 39, postgresRows: 39 });
    expect(checks.get('imports')).toMatchObject({ sqliteRows: 1, postgresRows: 1 });
    expect(checks.get('import_items')).toMatchObject({ sqliteRows: 5, postgresRows: 5 });
    expect(checks.get('datasets')).toMatchObject({ sqliteRows: 2, postgresRows: 2 });
    expect(checks.get('releases')).toMatchObject({ sqliteRows: 1, postgresRows: 1 });
    expect(checks.get('runs')).toMatchObject({ sqliteRows: 2, postgresRows: 2 });
    expect(checks.get('api_tokens')).toMatchObject({ sqliteRows: 1, postgresRows: 1 });
    expect(checks.get('judges')).toMatchObject({ sqliteRows: 1, postgresRows: 1 });
    expect(checks.get('gold_items')).toMatchObject({ sqliteRows: 1, postgresRows: 1 });
    for (const c of report.checks) {
      expect(c.postgresRows, c.table).toBe(c.sqliteRows);
      expect(c.postgresHash, c.table).toBe(c.sqliteHash);
    }
    expect(report.checks.map((c) => c.table)).toEqual(
      expect.arrayContaining(['item_revisions', 'validations', 'release_items', 'responses', 'ratings']),
    );
    expect(report.skipped.map((s) => s.table)).toEqual(
      expect.arrayContaining(['items_fts', 'items_search_pending', 'cs_schema_version', 'import_stage']),
    );
  });

  /** Every path this describe's header lists, with the ids read from the SQLite app's own listings. */
  async function listingPaths(): Promise<string[]> {
    const admin = onSqlite.admin;
    const json = async <T>(path: string): Promise<T> =>
      JSON.parse((await admin.get(path)).bytes.toString()) as T;
    const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
    const datasets = ids(await json('/api/datasets'));
    const userList = await json<{ id: number; username: string }[]>('/api/users');
    const users = ids(userList);
    const taxonomies = (await json<{ id: string }[]>('/api/taxonomies')).map((t) => t.id);
    const items = (await json<{ items: { id: number; version: number }[] }>('/api/items?pageSize=200')).items;
    const releases = ids(await json('/api/releases'));
    const models = ids(await json('/api/models'));
    const runs = ids(await json('/api/runs'));
    const campaigns = ids(await json('/api/rating/campaigns'));
    const judges = ids(await json('/api/judges'));
    const imports = ids(await json('/api/imports'));
    const column = (sql: string) => source.prepare(sql).pluck().all() as number[];
    const validations = column('SELECT id FROM validations ORDER BY id');
    const ratings = column('SELECT id FROM ratings ORDER BY id');
    const minji = userList.find((u) => u.username === 'minji')!.id;
    const paths = [
      '/api/health',
      '/api/auth/session',
      '/api/auth/state',
      '/api/me',
      '/api/me/tokens',
      '/api/users',
      ...users.map((id) => `/api/users/${id}`),
      '/api/datasets',
      '/api/taxonomies',
      ...taxonomies.map((id) => `/api/taxonomies/${id}`),
      ...datasets.flatMap((d) => [
        `/api/validation-settings/${d}`,
        `/api/trial-settings/${d}`,
        `/api/judge-settings/${d}`,
        `/api/items?dataset=${d}`,
        `/api/imports?dataset=${d}`,
        `/api/releases?dataset=${d}`,
        `/api/review/queue?dataset=${d}`,
        `/api/agreement?dataset=${d}`,
        `/api/agreement?dataset=${d}&language=ko&breakdown=false`,
        ...['questions', 'annotators', 'coverage'].map(
          (t) => `/api/agreement/export?dataset=${d}&table=${t}`,
        ),
        `/api/gold?dataset=${d}`,
      ]),
      '/api/items',
      ...['ko', 'ar', 'th'].map((l) => `/api/items?language=${l}`),
      ...['draft', 'submitted', 'in_validation', 'accepted', 'in_review', 'rejected', 'needs_revision'].map(
        (s) => `/api/items?status=${s}`,
      ),
      '/api/items?kind=culture',
      '/api/items?kind=safety',
      ...['open_ended', 'short_answer', 'multiple_choice', 'true_false'].map((f) => `/api/items?format=${f}`),
      '/api/items?category=tradition%2Ffood',
      `/api/items?author=${minji}`,
      '/api/items?trials=unsolved',
      ...['updated_desc', 'updated_asc', 'created_desc', 'created_asc', 'id_asc', 'id_desc'].map(
        (s) => `/api/items?sort=${s}&pageSize=200`,
      ),
      '/api/items?sort=id_asc&pageSize=5&page=2',
      `/api/items?q=${encodeURIComponent('설날')}`,
      `/api/items?q=${encodeURIComponent('رمضان')}`,
      '/api/items?q=festival&sort=id_desc',
      // Terms of one and two characters, case, several terms, LIKE's own characters, a filter with a search.
      ...['떡', 'SEOLLAL', '설날 음식', 'สงกรานต์', '%', '_', 'a', '"'].map(
        (q) => `/api/items?q=${encodeURIComponent(q)}`,
      ),
      `/api/items?q=${encodeURIComponent('설날')}&status=accepted&dataset=${datasets[0]}&sort=created_asc`,
      `/api/items/similar?dataset=${datasets[0]}&language=ko&q=${encodeURIComponent('설날 아침에 먹는 음식')}`,
      ...items.flatMap((i) => [
        `/api/items/${i.id}`,
        `/api/items/${i.id}/revisions`,
        ...Array.from({ length: i.version }, (_, v) => `/api/items/${i.id}/revisions/${v + 1}`),
        `/api/items/${i.id}/decisions`,
        `/api/items/${i.id}/trials`,
        `/api/review/items/${i.id}`,
        `/api/imports/items/${i.id}/provenance`,
      ]),
      '/api/imports',
      '/api/imports/presets',
      ...imports.map((id) => `/api/imports/${id}`),
      '/api/releases',
      ...releases.flatMap((r) => [
        `/api/releases/${r}`,
        `/api/releases/${r}/archive`,
        `/api/releases/${r}/changelog`,
        `/api/releases/${r}/card`,
      ]),
      '/api/tasks/stats',
      ...validations.map((id) => `/api/tasks/${id}`),
      '/api/review/queue',
      '/api/review/queue?language=ar',
      '/api/review/queue?pageSize=1&page=2',
      '/api/models',
      '/api/runs',
      ...releases.map((r) => `/api/runs?release=${r}`),
      ...models.map((m) => `/api/runs?model=${m}`),
      ...runs.flatMap((r) => [
        `/api/runs/${r}`,
        `/api/runs/${r}/responses`,
        `/api/runs/${r}/responses?limit=3`,
      ]),
      '/api/rating/campaigns',
      ...campaigns.flatMap((c) => [`/api/rating/campaigns/${c}`, `/api/rating/campaigns/${c}/disagreements`]),
      ...ratings.map((id) => `/api/rating/tasks/${id}`),
      ...releases.flatMap((r) => [
        `/api/reports?release=${r}`,
        `/api/reports/items?release=${r}`,
        `/api/reports/items?release=${r}&limit=2`,
        `/api/reports/export?release=${r}&format=csv`,
        `/api/reports/export?release=${r}&format=json`,
        `/api/reports/compare?release=${r}&a=${runs[0]}&b=${runs[1]}`,
        `/api/reports/compare/export?release=${r}&a=${runs[0]}&b=${runs[1]}&format=csv`,
        `/api/reports/compare/export?release=${r}&a=${runs[0]}&b=${runs[1]}&format=json`,
        `/api/reports/headline?release=${r}`,
      ]),
      '/api/judges',
      ...judges.map((id) => `/api/judges/${id}`),
      '/api/judge-runs',
    ];
    return paths;
  }

  /** A difference between the two answers, or '' when they are the same. */
  function compare(path: string, a: Answer, b: Answer): string {
    if (a.status !== b.status || a.type !== b.type) {
      return `${path}: SQLite ${a.status} ${a.type}, PostgreSQL ${b.status} ${b.type} ${b.bytes.toString().slice(0, 300)}`;
    }
    if (!a.type.startsWith('application/json')) {
      return a.bytes.equals(b.bytes)
        ? ''
        : `${path}: the bytes differ (${a.bytes.length} and ${b.bytes.length})`;
    }
    const [x, y] = [a, b].map((r) => JSON.parse(r.bytes.toString()) as unknown);
    if (path.startsWith('/api/auth/')) {
      // Each app signed the user in on a session of its own.
      for (const body of [x, y] as { csrfToken?: string; session?: { csrfToken?: string } }[]) {
        delete body.csrfToken;
        if (body.session) delete body.session.csrfToken;
      }
    }
    if (path.startsWith('/api/agreement?')) {
      // How long the report took to compute.
      for (const body of [x, y] as { computedMs?: number }[]) delete body.computedMs;
    }
    const d = firstDifference(x, y);
    return d && `${path} ${d}`;
  }

  it('answers every listing, item, task, report and release file as SQLite does, for each demo role', async () => {
    const paths = await listingPaths();
    const differences: string[] = [];
    const answered: { role: string; path: string; status: number }[] = [];
    // Eight questions at a time: each app answers them in its own time, and the two answers are then compared.
    const questions = ROLES.flatMap((role) => paths.map((path) => ({ role, path })));
    for (let i = 0; i < questions.length; i += 8) {
      await Promise.all(
        questions.slice(i, i + 8).map(async ({ role, path }) => {
          const [a, b] = await Promise.all([onSqlite[role].get(path), onPostgres[role].get(path)]);
          answered.push({ role, path, status: a.status });
          const d = compare(path, a, b);
          if (d) differences.push(`${role} ${d}`);
        }),
      );
    }
    expect(differences).toEqual([]);
    expect(errors).toEqual([]);
    // The answers agree on content, not on refusals: the maintainer reads every listing, report and file (the
    // ones left are about one item or task: an item with no review or import, a task of someone else's).
    const refusedToAdmin = answered.filter((a) => a.role === 'admin' && a.status !== 200).map((a) => a.path);
    const aboutOne = /^\/api\/(review\/items|tasks|rating\/tasks)\/\d+$/;
    expect(refusedToAdmin.filter((p) => !aboutOne.test(p))).toEqual([]);
  }, 600_000);

  it('reads on PostgreSQL what server/demo and the additions made: users, items, a search, the release archive', async () => {
    const read = async (role: string, path: string) =>
      JSON.parse((await onPostgres[role].get(path)).bytes.toString()) as Record<string, unknown>;
    const users = (await read('admin', '/api/users')) as unknown as {
      username: string;
      role: string;
      languages: string[];
    }[];
    expect(users).toHaveLength(13);
    expect(users.find((u) => u.username === 'jisoo')).toMatchObject({ role: 'annotator', languages: ['ko'] });
    expect((await read('admin', '/api/items')).total).toBe(39);
    const seollal = (await read('admin', `/api/items?q=${encodeURIComponent('설날')}`)) as {
      items: { question: string }[];
    };
    // The demo's question and native.csv's first row, the imported (newer) one first.
    expect(seollal.items.map((i) => i.question)).toEqual([
      '설날에 먹는 전통 음식은 무엇인가요?',
      '설날 아침에 먹으면 나이를 한 살 더 먹는다고 하는 음식은 무엇인가요?',
    ]);
    const releases = (await read('minji', '/api/releases')) as unknown as {
      version: string;
      state: string;
    }[];
    expect(releases).toMatchObject([{ version: '1.0.0', state: 'published' }]);
    const archive = await onPostgres.admin.get('/api/releases/1/archive');
    expect(archive.status).toBe(200);
    expect(archive.bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('numbers the next row after the copied ids', async () => {
    const next = await createPgUserRepository(pg).create({
      username: 'newcomer',
      displayName: 'Newcomer',
      role: 'annotator',
      languages: ['ko'],
      passwordHash: 'x',
      uiLocale: 'en',
    });
    expect(next.id).toBe(14);
  });
});

describe('copy-database (SQLite to PostgreSQL)', () => {
  let source: Db;
  beforeAll(async () => {
    source = await demoSource();
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
