import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { itemFormats, type ItemListPage } from '../../schema/item.ts';
import type { Release } from '../../schema/release.ts';
import type { Model, ReportCell, Run } from '../../schema/scoring.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import type { AgreementReport, ReviewQueuePage } from '../../schema/validation.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { demoItems } from '../../server/demo/items.ts';
import { DEMO_PASSWORD, demoUsers } from '../../server/demo/users.ts';
import { createTestContext, type TestContext, type TestContextOptions } from '../helpers/app.ts';

/** The app on a database as main.ts sees it on a very first start: migrated, nothing else. */
const firstStart = (options: TestContextOptions = {}) => createTestContext({ ...options, taxonomies: false });

/**
 * Every row of every table, to prove that a later start writes nothing. Sorted: PostgreSQL returns rows in no set
 * order (a row rewritten with the same values moves), and what is compared is what is stored.
 */
async function snapshot(t: TestContext) {
  const tables = await t.sql<{ name: string }>(
    t.engine === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'items_fts%' ORDER BY name"
      : `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const rows: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const all = (await t.sql(`SELECT * FROM "${name}"`)).map((row) => JSON.stringify(row));
    rows[name] = all.sort().map((row) => JSON.parse(row) as unknown);
  }
  return rows;
}

const count = async (t: TestContext, table: string) =>
  (await t.sql<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0].n;

/** Release folders of this file's demo seeds, removed after each test. */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function releasesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cs-demo-releases-'));
  dirs.push(dir);
  return dir;
}

const login = (app: Parameters<typeof request>[0], username: string, password: string) =>
  request(app).post('/api/auth/login').send({ username, password });

describe('bootstrap on the first start', () => {
  it('loads the default taxonomies and creates the first maintainer with a one-time password it prints', async () => {
    const t = await firstStart();
    const lines = await bootstrap(t.repos, { adminUsername: 'root', demo: false });
    expect(lines).toHaveLength(1);
    const password = /one-time password (\S+)/.exec(lines[0])?.[1];
    expect(password).toBeDefined();
    expect(lines[0]).toContain('"root"');

    const res = await login(t.app, 'root', password!);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'root', role: 'maintainer', disabled: false });
    const agent = request.agent(t.app);
    await agent.post('/api/auth/login').send({ username: 'root', password });
    const taxonomies = (await agent.get('/api/taxonomies')).body as Taxonomy[];
    expect(taxonomies.map((x) => x.id).sort()).toEqual(['attack-styles', 'safety-hazards', 'socio-cultural']);
  });

  it('when the password comes from the environment, then it is used and never printed', async () => {
    const t = await firstStart();
    const adminPassword = 'from-the-environment-42';
    const lines = await bootstrap(t.repos, { adminUsername: 'admin', adminPassword, demo: false });
    expect(lines.join('\n')).not.toContain(adminPassword);
    expect(lines.join('\n')).toContain('CS_ADMIN_PASSWORD');
    expect((await login(t.app, 'admin', adminPassword)).status).toBe(200);
  });

  it('when the configured username is invalid, then it fails with a clear message and creates nobody', async () => {
    const t = await firstStart();
    await expect(bootstrap(t.repos, { adminUsername: 'bad name!', demo: false })).rejects.toThrow(
      /CS_ADMIN_USERNAME.*username/,
    );
    expect(await count(t, 'users')).toBe(0);
  });

  it('when started again, then nothing changes and nothing is printed', async () => {
    const t = await firstStart();
    await bootstrap(t.repos, { adminUsername: 'admin', demo: false });
    const before = await snapshot(t);
    expect(await bootstrap(t.repos, { adminUsername: 'someone-else', demo: false })).toEqual([]);
    expect(await snapshot(t)).toEqual(before);
  });
});

// Each demo seed is hundreds of statements (36 s for the first test on a PostgreSQL server, over 20 s on SQLite,
// with the 2-core machine under load).
describe('bootstrap with --demo', { timeout: 60_000 }, () => {
  it('seeds two datasets, the demo users and their items, and prints the logins', async () => {
    const t = await firstStart();
    const lines = await bootstrap(t.repos, {
      adminUsername: 'admin',
      demo: true,
      releasesDir: releasesDir(),
    });
    const text = lines.join('\n');
    expect(text).toContain(DEMO_PASSWORD);
    for (const u of demoUsers) expect(text).toContain(u.username);
    expect(text).not.toMatch(/one-time password/);

    for (const u of demoUsers) {
      const res = await login(t.app, u.username, DEMO_PASSWORD);
      expect(res.status, u.username).toBe(200);
      expect(res.body.user).toMatchObject({ role: u.role, languages: [...u.languages].sort() });
    }
    const admin = request.agent(t.app);
    await admin.post('/api/auth/login').send({ username: 'admin', password: DEMO_PASSWORD });
    const datasets = (await admin.get('/api/datasets')).body as { name: string }[];
    expect(datasets.map((d) => d.name).sort()).toEqual(['Everyday culture', 'Safety in local languages']);
    const all = (await admin.get('/api/items?pageSize=200')).body as ItemListPage;
    expect(all.total).toBe(demoItems.length);
    // One scrypt login per demo account (twelve): slow by design (the describe gives the time).
  });

  it('gives each authoring annotator items in their language, mostly submitted or further along, and a draft', async () => {
    const t = await firstStart();
    await bootstrap(t.repos, { adminUsername: 'admin', demo: true, releasesDir: releasesDir() });
    // jisoo, omar, dahye and karim only validate: they see their language's items but wrote none (no drafts).
    const authors = demoUsers.filter(
      (x) => x.role === 'annotator' && demoItems.some((i) => i.author === x.username),
    );
    expect(
      demoUsers.filter((x) => x.role === 'annotator' && !authors.includes(x)).map((x) => x.username),
    ).toEqual(['jisoo', 'omar', 'dahye', 'karim']);
    for (const u of authors) {
      const agent = request.agent(t.app);
      await agent.post('/api/auth/login').send({ username: u.username, password: DEMO_PASSWORD });
      const page = (await agent.get('/api/items?pageSize=200')).body as ItemListPage;
      expect(page.items.length, u.username).toBeGreaterThanOrEqual(4);
      expect(new Set(page.items.map((i) => i.language))).toEqual(new Set(u.languages));
      const statuses = page.items.map((i) => i.status);
      expect(statuses, u.username).toContain('draft');
      expect(statuses.filter((s) => s !== 'draft').length).toBeGreaterThan(statuses.length / 2);
    }
  });

  it('covers six languages, four formats, culture and safety, with glosses and countries on every item', () => {
    expect(new Set(demoItems.map((i) => i.fields.language))).toEqual(
      new Set(['ko', 'ar', 'th', 'hi', 'sw', 'yo']),
    );
    expect(new Set(demoItems.map((i) => i.fields.format))).toEqual(new Set(itemFormats));
    expect(demoItems.filter((i) => i.fields.kind === 'safety').length).toBeGreaterThanOrEqual(5);
    for (const item of demoItems) {
      expect(item.fields.questionEn, item.fields.question).toBeTruthy();
      expect(item.fields.answerEn, item.fields.question).toBeTruthy();
      expect(item.fields.country, item.fields.question).toMatch(/^[A-Z]{2}$/);
      expect(item.fields.question, 'stored as typed: NFC').toBe(item.fields.question.normalize('NFC'));
    }
    expect(demoItems.filter((i) => i.status === 'submitted').length).toBeGreaterThan(demoItems.length * 0.7);
  });

  it('when started again, then nothing is added', async () => {
    const t = await firstStart();
    await bootstrap(t.repos, { adminUsername: 'admin', demo: true, releasesDir: releasesDir() });
    const before = await snapshot(t);
    expect(
      await bootstrap(t.repos, { adminUsername: 'admin', demo: true, releasesDir: releasesDir() }),
    ).toEqual([]);
    expect(await snapshot(t)).toEqual(before);
  });

  it('when the database already has users, then no demo accounts are created', async () => {
    const t = await firstStart();
    await bootstrap(t.repos, { adminUsername: 'admin', demo: false });
    const lines = await bootstrap(t.repos, {
      adminUsername: 'admin',
      demo: true,
      releasesDir: releasesDir(),
    });
    expect(lines.join('\n')).toMatch(/not loaded/);
    expect(await count(t, 'releases')).toBe(0);
    expect(await count(t, 'users')).toBe(1);
    expect(await count(t, 'items')).toBe(0);
  });

  it('leaves work on every page: validated items, a review queue, a release and scored demo models', async () => {
    // The demo release is built by a job on its own connection to the database (PGlite's: on this thread).
    const dir = releasesDir();
    const t = await firstStart({ releasesDir: dir });
    const lines = await bootstrap(t.repos, { adminUsername: 'admin', demo: true, releasesDir: dir });
    expect(lines.join('\n')).toMatch(/5 validated and accepted, 2 waiting in review/);
    expect(lines.join('\n')).toContain('Demo release 1.0.0');
    const as = async (username: string) => {
      const agent = request.agent(t.app);
      const res = await agent.post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
      expect(res.status).toBe(200);
      return { agent, csrfToken: res.body.csrfToken as string };
    };
    const { agent: admin } = await as('admin');
    const { agent: reviewer, csrfToken } = await as('reviewer');
    const datasets = (await admin.get('/api/datasets')).body as { id: number; slug: string }[];
    const culture = datasets.find((d) => d.slug === 'everyday-culture')!;

    // Review: one Korean and one Arabic item with a doubt wait for the reviewer.
    const queue = (await reviewer.get('/api/review/queue')).body as ReviewQueuePage;
    expect(queue.total).toBe(2);
    expect(queue.items.map((i) => i.language).sort()).toEqual(['ar', 'ko']);

    // Validate: the reviewer still has unvalidated Arabic and Thai items.
    const task = await reviewer.post('/api/tasks/next').set('X-CSRF-Token', csrfToken).send();
    expect(task.status).toBe(200);
    expect(['ar', 'th']).toContain(
      (task.body as { task: { item: { language: string } } }).task.item.language,
    );

    // Agreement: rounds with two validations give numbers.
    const agreement = (await admin.get(`/api/agreement?dataset=${culture.id}`)).body as AgreementReport;
    expect(agreement.questions.find((q) => q.language === '*' && q.category === '*')?.units).toBe(7);

    // Releases: 1.0.0 of the accepted items, with an archive to download.
    const releases = (await admin.get('/api/releases')).body as Release[];
    expect(releases.map((r) => [r.version, r.state, r.itemCount])).toEqual([['1.0.0', 'published', 5]]);
    const archive = await admin.get(`/api/releases/${releases[0].id}/archive`).buffer(true);
    expect(archive.status).toBe(200);
    expect(archive.headers['content-type']).toMatch(/gzip/);

    // Scoring: a sovereign and a global model, each with a complete run, and a report with numbers.
    const models = (await admin.get('/api/models')).body as Model[];
    expect(models.map((m) => m.sovereign).sort()).toEqual([false, true]);
    const runs = (await admin.get(`/api/runs?release=${releases[0].id}`)).body as Run[];
    expect(runs.map((r) => r.status)).toEqual(['complete', 'complete']);
    const report = (await admin.get(`/api/reports?release=${releases[0].id}&resamples=100`)).body as {
      cells: ReportCell[];
    };
    const overall = report.cells.filter(
      (c) => c.language === '*' && c.category === '*' && c.kind === '*' && c.format === '*',
    );
    expect(overall).toHaveLength(2);
    for (const c of overall) {
      expect(c.accuracy.value).not.toBeNull();
      expect(c.ratedCorrectness.value).not.toBeNull();
    }
    expect(new Set(overall.map((c) => c.accuracy.value)).size).toBe(2);
  });
});
