// Issue 12, point 4: two real server processes (server/main.ts, as an operator starts them) on one PostgreSQL
// database and one shared releases folder, called over real HTTP as a load balancer would call them.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJob } from '../../../schema/import.ts';
import type { Item, ItemSummary } from '../../../schema/item.ts';
import type { Release } from '../../../schema/release.ts';
import type { ValidationTask } from '../../../schema/validation.ts';
import { createAuthService } from '../../../server/domain/auth.ts';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../../helpers/app.ts';
import { importer } from '../../helpers/imports.ts';
import { addDataset, completeItemBody } from '../../helpers/items.ts';
import { sampleCsv, tempDir } from '../../helpers/releases.ts';
// Registers the PostgreSQL harness's hooks (this file asks createTestContext for PostgreSQL itself).
import '../../helpers/postgres.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'server/main.ts');

interface Instance {
  name: string;
  url: string;
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
}

/** Starts server/main.ts on the database at `databaseUrl`; resolves once it listens. */
function startServer(name: string, databaseUrl: string, releasesDir: string): Promise<Instance> {
  // The outer environment's database settings stay out: only these name the database.
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.CS_DB_PATH;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: {
      ...env,
      CS_DATABASE_URL: databaseUrl,
      CS_RELEASES_DIR: releasesDir,
      PORT: '0',
      HOST: '127.0.0.1',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const port = /Culture Studio on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)?.[1];
      if (port) resolve({ name, url: `http://127.0.0.1:${port}`, child, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}): ${stdout}\n${stderr}`)));
  });
}

/** Stops a server as an operator does (SIGTERM: it deregisters), or kills it if it does not exit. */
async function stopServer(s: Instance | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => s.child.on('exit', () => resolve()));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

type Headers = Record<string, string>;

/** A request to one instance; the answer's status, headers and body (JSON when it is JSON). */
async function call(s: Instance, method: string, path: string, headers: Headers, body?: unknown) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : null;
  return { status: res.status, headers: res.headers, text, body: json };
}

const bearer = (token: string): Headers => ({ Authorization: `Bearer ${token}` });

let t: TestContext;
let a: Instance | undefined;
let b: Instance | undefined;
let releasesDir: string;

// PGlite lives inside one process: no second process can open it, so this file needs a PostgreSQL server
// (CS_TEST_POSTGRES_URL). Under CI it never skips: without a server there, the harness throws and the file fails.
const ci = process.env.CI;
const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false'; // as test/helpers/postgres.ts reads it
describe.skipIf(!process.env.CS_TEST_POSTGRES_URL && !inCi)(
  'two server processes on one PostgreSQL database',
  { timeout: 120_000 },
  () => {
    beforeAll(async () => {
      // The test's own app (in this process, on the same database) only seeds what no case is about.
      t = await createTestContext({ engine: 'postgres' });
      if (!t.location)
        throw new Error('The two servers need a PostgreSQL server database (CS_TEST_POSTGRES_URL)');
      releasesDir = tempDir('shared-releases-');
      [a, b] = await Promise.all([
        startServer('A', t.location, releasesDir),
        startServer('B', t.location, releasesDir),
      ]);
    }, 180_000);
    afterAll(async () => {
      await Promise.all([stopServer(a), stopServer(b)]);
    }, 60_000);

    /** A user made in the database, and an API token of theirs. */
    async function userWithToken(
      username: string,
      role: 'annotator' | 'maintainer',
      languages: string[] = [],
    ) {
      const user = await t.addUser(username, role, languages);
      const { token } = await createAuthService(t.repos.users).createToken(user.id, 'test');
      return { user, token };
    }

    it('a session made on one instance is valid on the other, both ways, and a logout on one ends it on both', async () => {
      await t.addUser('sora', 'annotator', ['ko']);
      const login = async (s: Instance) => {
        const res = await call(
          s,
          'POST',
          '/api/auth/login',
          {},
          { username: 'sora', password: TEST_PASSWORD },
        );
        expect(res.status, res.text).toBe(200);
        const cookie = /cs_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
        return { cookie, csrf: (res.body as { csrfToken: string }).csrfToken };
      };
      const session = (s: Instance, cookie: string) =>
        call(s, 'GET', '/api/auth/session', { Cookie: cookie });

      const onA = await login(a!);
      const seenByB = await session(b!, onA.cookie);
      expect(seenByB.status, seenByB.text).toBe(200);
      expect(seenByB.body).toMatchObject({ user: { username: 'sora' }, csrfToken: onA.csrf });
      const onB = await login(b!);
      expect((await session(a!, onB.cookie)).body).toMatchObject({
        user: { username: 'sora' },
        csrfToken: onB.csrf,
      });

      const out = await call(a!, 'POST', '/api/auth/logout', {
        Cookie: onA.cookie,
        'X-CSRF-Token': onA.csrf,
      });
      expect(out.status, out.text).toBe(204);
      expect((await session(b!, onA.cookie)).status).toBe(401);
      expect((await session(a!, onA.cookie)).status).toBe(401);
      // The other session (made on B) is untouched by the logout of the first.
      expect((await session(a!, onB.cookie)).status).toBe(200);
    });

    it('40 validators asking both instances at once for tasks get every one of 20 items × 3 validations once, none twice', async () => {
      const ITEMS = 20;
      const PER_ITEM = 3;
      const dataset = await addDataset(t, { validatorsPerItem: PER_ITEM, autoAccept: true });
      const author = await userWithToken('hana', 'annotator', ['ko']);
      const itemIds: number[] = [];
      for (let i = 0; i < ITEMS; i++) {
        const created = await call(
          a!,
          'POST',
          '/api/items',
          bearer(author.token),
          completeItemBody(dataset.id, {}, { question: `설날 질문 ${i}` }),
        );
        expect(created.status, created.text).toBe(201);
        const item = created.body as Item;
        const submitted = await call(b!, 'POST', `/api/items/${item.id}/submit`, bearer(author.token), {
          version: item.version,
        });
        expect(submitted.status, submitted.text).toBe(200);
        itemIds.push(item.id);
      }
      const validators = await Promise.all(
        Array.from({ length: 40 }, (_, i) => userWithToken(`validator${i}`, 'annotator', ['ko'])),
      );

      /** One validator: asks A and B in turn for the next task and completes it, until neither has one. */
      const work = async (token: string, first: number) => {
        const done: { task: number; item: number }[] = [];
        const order = first % 2 === 0 ? [a!, b!] : [b!, a!];
        for (let n = 0; ; n++) {
          const s = order[n % 2];
          const next = await call(s, 'POST', '/api/tasks/next', bearer(token));
          expect(next.status, next.text).toBe(200);
          const task = (next.body as { task: ValidationTask | null }).task;
          if (!task) {
            // The other instance has none either.
            const other = await call(order[(n + 1) % 2], 'POST', '/api/tasks/next', bearer(token));
            expect((other.body as { task: ValidationTask | null }).task).toBeNull();
            return done;
          }
          // The answer and the judgement go to the other instance than the one that assigned the task.
          const there = order[(n + 1) % 2];
          if (task.ownAnswerRequired && !task.ownAnswer) {
            const answered = await call(there, 'POST', `/api/tasks/${task.id}/answer`, bearer(token), {
              ownAnswer: { variants: ['떡국'] },
            });
            expect(answered.status, answered.text).toBe(200);
          }
          const submitted = await call(there, 'POST', `/api/tasks/${task.id}/submit`, bearer(token), {
            grounded: 'yes',
            correct: 'yes',
            category: 'keep',
            quality: 4,
          });
          expect(submitted.status, submitted.text).toBe(200);
          done.push({ task: task.id, item: task.item.id });
        }
      };
      const results = await Promise.all(validators.map((v, i) => work(v.token, i)));

      const all = results.flat();
      // 20 items × 3 validations: 60 tasks, no task handed out twice.
      expect(all).toHaveLength(60);
      expect(new Set(all.map((d) => d.task)).size).toBe(60);
      // Each item validated by exactly 3 validators, each of them once.
      const byItem = new Map<number, Set<number>>();
      results.forEach((done, v) => {
        for (const d of done) {
          const validatorsOfItem = byItem.get(d.item) ?? new Set<number>();
          expect(validatorsOfItem.has(v), `validator ${v} got item ${d.item} twice`).toBe(false);
          byItem.set(d.item, validatorsOfItem.add(v));
        }
      });
      expect([...byItem.keys()].sort((x, y) => x - y)).toEqual(itemIds);
      for (const validatorsOfItem of byItem.values()) expect(validatorsOfItem.size).toBe(3);
      // Three agreeing validations accept an item (autoAccept): all 20, as either instance lists them.
      const listed = await call(
        a!,
        'GET',
        `/api/items?dataset=${dataset.id}&pageSize=100`,
        bearer(author.token),
      );
      expect(listed.status, listed.text).toBe(200);
      const statuses = (listed.body as { items: ItemSummary[] }).items.map((i) => i.status);
      expect(statuses).toEqual(Array.from({ length: 20 }, () => 'accepted'));
    });

    it('two concurrent edits of one draft through different instances give one 200 and one 409', async () => {
      const dataset = await addDataset(t);
      const author = await userWithToken('jun', 'annotator', ['ko']);
      const created = await call(
        a!,
        'POST',
        '/api/items',
        bearer(author.token),
        completeItemBody(dataset.id),
      );
      expect(created.status, created.text).toBe(201);
      const draft = created.body as Item;
      expect(draft).toMatchObject({ status: 'draft', version: 1 });

      const edit = (s: Instance, question: string) =>
        call(s, 'PATCH', `/api/items/${draft.id}`, bearer(author.token), {
          version: 1,
          changes: { question },
        });
      const [viaA, viaB] = await Promise.all([edit(a!, 'Edited through A'), edit(b!, 'Edited through B')]);
      expect([viaA.status, viaB.status].sort()).toEqual([200, 409]);
      const winner = viaA.status === 200 ? 'Edited through A' : 'Edited through B';
      const loser = viaA.status === 200 ? viaB : viaA;
      expect((loser.body as { error: { code: string } }).error.code).toBe('stale-version');
      for (const s of [a!, b!])
        expect((await call(s, 'GET', `/api/items/${draft.id}`, bearer(author.token))).body).toMatchObject({
          version: 2,
          question: winner,
        });
    });

    it('an import created on one instance takes its file on the other, and its check and its commit are followed on the first', async () => {
      const dataset = await addDataset(t);
      const maintainer = await userWithToken('mina', 'maintainer');
      const auth = bearer(maintainer.token);
      const csv = sampleCsv([{ id: 'x1' }, { id: 'x2' }, { id: 'x3' }]);
      /** Creates the job on `on`, uploads the file to `to`, follows the job on `on` until it ends. */
      const importThrough = async (on: Instance, to: Instance, dryRun: boolean) => {
        const created = await call(on, 'POST', '/api/imports', auth, {
          datasetId: dataset.id,
          format: 'csv',
          dryRun,
          status: 'accepted',
        });
        expect(created.status, created.text).toBe(201);
        const id = (created.body as ImportJob).id;
        const put = await fetch(`${to.url}/api/imports/${id}/file`, {
          method: 'PUT',
          headers: { ...auth, 'Content-Type': 'text/csv' },
          body: csv,
        });
        expect(put.status, await put.text()).toBe(202);
        for (let polls = 0; polls < 2000; polls++) {
          const job = (await call(on, 'GET', `/api/imports/${id}`, auth)).body as ImportJob;
          if (job.state !== 'reading' && job.state !== 'writing') return job;
          await new Promise((r) => setTimeout(r, 10)); // a client's poll interval
        }
        throw new Error(`import ${id} did not end`);
      };

      const check = await importThrough(a!, b!, true);
      expect(check).toMatchObject({ state: 'checked', errorCount: 0, created: 3, updated: 0 });
      const commit = await importThrough(b!, a!, false);
      expect(commit).toMatchObject({ state: 'imported', errorCount: 0, created: 3, updated: 0 });
      const listed = await call(b!, 'GET', `/api/items?dataset=${dataset.id}&pageSize=100`, auth);
      expect((listed.body as { items: ItemSummary[] }).items.map((i) => i.question).sort()).toEqual([
        'ko question x1',
        'ko question x2',
        'ko question x3',
      ]);
    });

    it('a release cut on one instance is listed and downloaded byte-identically from the other', async () => {
      const dataset = await addDataset(t);
      // Accepted items, imported through the test's own app (imports across instances are the case above).
      const imp = await importer(t, dataset.id, 'yuna');
      const seeded = await imp.upload(
        { format: 'csv', dryRun: false, status: 'accepted' },
        sampleCsv([{ id: 'r1' }, { id: 'r2', language: 'ar' }, { id: 'r3' }]),
      );
      expect(seeded.job.state).toBe('imported');
      const auth = bearer(imp.token);
      const cut = await call(a!, 'POST', '/api/releases', auth, {
        datasetId: dataset.id,
        version: '1.0.0',
        title: 'Cut on A',
      });
      expect(cut.status, cut.text).toBe(202);
      const id = (cut.body as Release).id;
      let release: Release | undefined;
      for (let polls = 0; polls < 2000 && release?.state !== 'published'; polls++) {
        release = (await call(b!, 'GET', `/api/releases/${id}`, auth)).body as Release;
        if (release.state === 'failed') throw new Error(`the build failed: ${JSON.stringify(release)}`);
        if (release.state !== 'published') await new Promise((r) => setTimeout(r, 10));
      }
      expect(release).toMatchObject({ state: 'published', version: '1.0.0', itemCount: 3 });
      const listed = await call(b!, 'GET', `/api/releases?dataset=${dataset.id}`, auth);
      expect((listed.body as Release[]).map((r) => [r.id, r.state])).toEqual([[id, 'published']]);

      const download = async (s: Instance) => {
        const res = await fetch(`${s.url}/api/releases/${id}/archive`, { headers: auth });
        expect(res.status).toBe(200);
        return Buffer.from(await res.arrayBuffer());
      };
      const fromB = await download(b!);
      const fromA = await download(a!);
      expect(fromB.equals(fromA)).toBe(true);
      expect(createHash('sha256').update(fromB).digest('hex')).toBe(release!.archive!.sha256);
    });
  },
);
