import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReleaseFiles } from '../../exports/index.ts';
import type { Release } from '../../schema/release.ts';
import { createReleaseService } from '../../server/domain/releases/service.ts';
import { createTestContext, inProcessDatabase, type TestContext } from '../helpers/app.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { snapshotOf } from '../helpers/release-files.ts';
import { readTree, sampleCsv, tempDir } from '../helpers/releases.ts';

const CHILD = fileURLToPath(new URL('../fixtures/releases/build-child.ts', import.meta.url));
const SERVER = fileURLToPath(new URL('../fixtures/releases/server-child.ts', import.meta.url));

/** A release's own folder: `<version>~<12 hex>` under its dataset's slug. */
const ownFolder = (version: string) => new RegExp(`^${version.replace(/\./g, '\\.')}~[0-9a-f]{12}$`);
const tempFolder = (version: string) =>
  new RegExp(`^\\.building-${version.replace(/\./g, '\\.')}~[0-9a-f]{12}-[0-9a-f]{12}$`);

/** A database file with a dataset of `n` accepted items and a maintainer's API token. */
async function world(n: number) {
  const work = tempDir('cs-crash-');
  const releasesDir = join(work, 'releases');
  const t = await createTestContext({ releasesDir });
  const dataset = await addDataset(t);
  const imp = await importer(t, dataset.id, 'crash-admin');
  const rows = Array.from({ length: n }, (_, i) => ({ id: `r${i}`, language: i % 2 ? 'ko' : 'ar' }));
  expect(
    (await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv(rows))).status,
  ).toBe(202);
  // Where the children find the database: the SQLite file, or the PostgreSQL URL.
  const location = t.location!;
  return { t, location, releasesDir, dataset, token: imp.token, datasetDir: join(releasesDir, dataset.slug) };
}

const children: ChildProcess[] = [];
const contexts: TestContext[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const t of contexts.splice(0)) if (t.engine === 'sqlite') t.db.close();
});

interface ServerChild {
  child: ChildProcess;
  url: string;
  /** What it printed before it listened (the start-up messages). */
  startup: string[];
  /** Resolves when it prints `midway` (its build reached the step it stops at). */
  midway: Promise<void>;
  kill(): Promise<NodeJS.Signals | null>;
}

/** Starts server-child.ts on the database; resolves once it listens. */
function startServer(location: string, releasesDir: string, stopAt?: string): Promise<ServerChild> {
  const args = ['--import', 'tsx', SERVER, location, releasesDir, ...(stopAt ? [stopAt] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
  return new Promise((resolve, reject) => {
    let out = '';
    let onMidway = () => {};
    const midway = new Promise<void>((r) => (onMidway = r));
    child.on('exit', (code) => reject(new Error(`server child exited (${code}): ${stderr}`)));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const lines = out.split('\n');
      if (lines.includes('midway')) onMidway();
      const at = lines.findIndex((l) => l.startsWith('listening '));
      if (at >= 0) {
        resolve({
          child,
          url: `http://127.0.0.1:${lines[at].slice('listening '.length)}`,
          startup: lines.slice(0, at),
          midway,
          kill: () => {
            child.kill('SIGKILL');
            return exited;
          },
        });
      }
    });
  });
}

const call = (s: ServerChild, token: string, method: string, path: string, body?: object) =>
  fetch(`${s.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body),
  });

/** Polls GET /api/releases/:id on the server (a request per poll, bounded) until the build has ended. */
async function builtOver(s: ServerChild, token: string, id: number): Promise<Release> {
  for (let n = 0; n < 20_000; n++) {
    const release = (await (await call(s, token, 'GET', `/api/releases/${id}`)).json()) as Release;
    if (release.state !== 'building') return release;
  }
  throw new Error(`Release ${id} was still building`);
}

const stagedRows = async (t: TestContext, id: number) =>
  Number(
    (await t.sql<{ n: number }>('SELECT count(*) AS n FROM release_items WHERE release_id = ?', id))[0].n,
  );

// The children need the test's database from another process: a SQLite file or a PostgreSQL server, not PGlite.
describe.skipIf(inProcessDatabase)('a release build killed with SIGKILL', () => {
  it('leaves no half release, and the next build publishes it', async () => {
    const { t, location, releasesDir, dataset, datasetDir } = await world(3000);
    contexts.push(t);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, location, releasesDir, String(dataset.id), 'crash-admin', '1.0.0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        if (c.toString().includes('midway')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // The snapshot was committed with the release row; the files never made it into place.
    const repos = t.repos;
    const release = (await repos.releases.byVersion(dataset.id, '1.0.0'))!;
    expect(release).toMatchObject({ state: 'building', itemCount: 3000 });
    expect(readdirSync(datasetDir)).toEqual([expect.stringMatching(tempFolder('1.0.0'))]);

    const service = createReleaseService(repos, { releasesDir });
    const published = await service.buildAndWait(release.id);
    expect(published.state).toBe('published');
    const [home] = readdirSync(datasetDir);
    expect(home).toMatch(ownFolder('1.0.0'));
    const expected = buildReleaseFiles(await snapshotOf(repos, release.id));
    const onDisk = readTree(join(datasetDir, home, `${dataset.slug}-1.0.0`));
    for (const f of expected) expect(onDisk.get(f.path)!.equals(Buffer.from(f.bytes)), f.path).toBe(true);
  }, 60_000);
});

describe.skipIf(inProcessDatabase)(
  'a server killed with SIGKILL while it builds a release, then started again',
  () => {
    // slice:1: while the snapshot is staged (200 rows written, snapshot not complete); then while files are written.
    for (const step of ['slice:1', 'file:csv/test.csv', 'renamed']) {
      it(`when it was killed at ${step}, then the restart marks the release failed, removes its build folders, and a new build publishes it`, async () => {
        const { t, location, releasesDir, dataset, token, datasetDir } = await world(200);
        contexts.push(t);
        const repos = t.repos;

        const first = await startServer(location, releasesDir, step);
        // The request never gets an answer: the server dies under it.
        void call(first, token, 'POST', '/api/releases', {
          datasetId: dataset.id,
          version: '1.0.0',
          title: 'Killed',
        }).catch(() => {});
        await first.midway;
        expect(await first.kill()).toBe('SIGKILL');
        const stuck = (await repos.releases.byVersion(dataset.id, '1.0.0'))!;
        expect(stuck.state).toBe('building');
        // Staged rows of an unfinished snapshot are there, but the release is not published: nobody reads them.
        expect([stuck.itemCount, await stagedRows(t, stuck.id)]).toEqual(
          step === 'slice:1' ? [0, 200] : [200, 200],
        );
        expect(readdirSync(datasetDir)).toEqual([
          expect.stringMatching(step === 'renamed' ? ownFolder('1.0.0') : tempFolder('1.0.0')),
        ]);

        const second = await startServer(location, releasesDir);
        expect(second.startup).toEqual([
          `Release 1.0.0 (id ${stuck.id}) was left building by a stopped process: marked failed; build it again.`,
          ...(step === 'slice:1'
            ? [`Release 1.0.0 (id ${stuck.id}): removed 200 staged item(s) of an unfinished snapshot.`]
            : []),
          // At `renamed` the folder was in place already (removed as the release's own, unpublished folder).
          ...(step === 'renamed'
            ? []
            : ['Removed 1 unfinished release build folder(s) of stopped processes.']),
        ]);
        // A complete snapshot is kept (the next build reuses it); an unfinished one is gone.
        expect(await stagedRows(t, stuck.id)).toBe(step === 'slice:1' ? 0 : 200);
        const failed = (await repos.releases.get(stuck.id))!;
        expect(failed.state).toBe('failed');
        expect(failed.error).toContain('stopped before it was published');
        expect(readdirSync(datasetDir)).toEqual([]);
        expect((await call(second, token, 'GET', `/api/releases/${stuck.id}/archive`)).status).toBe(409);

        const built = await call(second, token, 'POST', `/api/releases/${stuck.id}/build`, {});
        expect(built.status).toBe(202);
        expect(((await built.json()) as Release).state).toBe('building');
        const release = await builtOver(second, token, stuck.id);
        expect(release).toMatchObject({ state: 'published', itemCount: 200, error: null });
        expect(readdirSync(datasetDir)).toEqual([expect.stringMatching(ownFolder('1.0.0'))]);
        const archive = Buffer.from(
          await (await call(second, token, 'GET', `/api/releases/${stuck.id}/archive`)).arrayBuffer(),
        );
        expect(createHash('sha256').update(archive).digest('hex')).toBe(release.archive!.sha256);
      }, 120_000); // two child servers compiled by tsx, on a machine shared by several test runs
    }

    it('when another live process is building a release, then a starting server leaves that build alone', async () => {
      const { t, location, releasesDir, dataset, token, datasetDir } = await world(200);
      contexts.push(t);
      const repos = t.repos;
      const builder = await startServer(location, releasesDir, 'file:csv/test.csv');
      void call(builder, token, 'POST', '/api/releases', {
        datasetId: dataset.id,
        version: '1.0.0',
        title: 'Still building',
      }).catch(() => {});
      await builder.midway;

      const other = await startServer(location, releasesDir);
      expect(other.startup).toEqual([]);
      const release = (await repos.releases.byVersion(dataset.id, '1.0.0'))!;
      expect(release.state).toBe('building');
      expect(readdirSync(datasetDir)).toEqual([expect.stringMatching(tempFolder('1.0.0'))]);
      // Nor may the other server build it again meanwhile (which would clear the live build's folder first).
      const again = await call(other, token, 'POST', `/api/releases/${release.id}/build`, {});
      expect(again.status).toBe(409);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('release-building');
      expect(readdirSync(datasetDir)).toEqual([expect.stringMatching(tempFolder('1.0.0'))]);
    }, 120_000);
  },
);
