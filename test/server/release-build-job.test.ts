import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Release, ReleaseItem } from '../../schema/release.ts';
import { openRepositories } from '../../server/db/open-repositories.ts';
import { createTestContext, inProcessDatabase, type TestContext } from '../helpers/app.ts';
import { importer, type Importer } from '../helpers/imports.ts';
import { addDataset, createItem } from '../helpers/items.ts';
import { snapshotOf } from '../helpers/release-files.ts';
import { sampleCsv, settled, tempDir } from '../helpers/releases.ts';

interface ItemRow {
  id: number;
  uid: string;
  externalId: string;
  question: string;
  primaryCategory: string;
}

describe('POST /api/releases: the build as a job', () => {
  let t: TestContext;
  let imp: Importer;
  let datasetId: number;
  let dir: string;
  /** Called by the build's hook at each step (on this thread: the job waits for it). */
  let onStep: (step: string) => Promise<void> | void;
  const bearer = () => ({ Authorization: `Bearer ${imp.token}` });
  const post = (version: string) =>
    request(t.app).post('/api/releases').set(bearer()).send({ datasetId, version, title: 'Release' });
  const itemsInUidOrder = () =>
    t.sql<ItemRow>(
      `SELECT id, uid, external_id AS "externalId", question, primary_category AS "primaryCategory"
       FROM items ORDER BY uid`,
    );
  const frozen = async (release: Release, uid: string): Promise<ReleaseItem['item']> => {
    const snapshot = await snapshotOf(t.repos, release.id);
    return snapshot.items.find((i) => i.item.uid === uid)!.item;
  };

  const setup = async (n: number) => {
    dir = tempDir();
    onStep = () => {};
    t = await createTestContext({ releasesDir: dir, releaseBuildHook: (step) => onStep(step) });
    datasetId = (await addDataset(t)).id;
    imp = await importer(t, datasetId);
    const rows = Array.from({ length: n }, (_, i) => ({ id: `r${i}`, language: i % 2 ? 'ko' : 'ar' }));
    const res = await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv(rows));
    expect(res.job.state, JSON.stringify(res.body)).toBe('imported');
  };

  describe('with 1,500 items (two slices of the snapshot)', () => {
    beforeEach(() => setup(1500), 60_000);

    it('answers at once with the release building, and GET shows its progress and then the published release', async () => {
      const seen: unknown[] = [];
      onStep = async (step) => {
        if (step === 'slice:1') seen.push((await request(t.app).get('/api/releases').set(bearer())).body);
      };
      const res = await post('1.0.0');
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ version: '1.0.0', state: 'building', itemCount: 0, archive: null });
      expect(res.body.progress).toMatchObject({ phase: expect.any(String), done: expect.any(Number) });
      const done = await settled(t.app, bearer(), res);
      expect(done.body).toMatchObject({ state: 'published', itemCount: 1500, progress: null, error: null });
      // While the snapshot was read, the release was listed as building with the rows staged so far.
      expect(seen).toEqual([
        [
          expect.objectContaining({
            state: 'building',
            progress: { phase: 'snapshot', done: 1000, total: null },
          }),
        ],
      ]);
    });

    // Not on PGlite: its one connection is the snapshot's while the build reads, so no second writer can write then
    // (the hook's queries join the build's transaction); CI's server and a local one run it.
    it.skipIf(inProcessDatabase)(
      'when an item is edited while the build reads its snapshot, then the release holds its old version, every field of it, and the edit is not held up',
      async () => {
        const items = await itemsInUidOrder();
        const first = items[0]; // read in the first slice, before the edit
        const last = items[items.length - 1]; // read in the second slice, after the edit
        // Another writer (a second connection, as the CLI or another server would be) changes two fields of
        // each of the two items in one transaction while the build waits between its slices.
        let edit: { updated: number; ms: number } | null = null;
        onStep = async (step) => {
          if (step !== 'slice:1') return;
          const started = performance.now();
          const other = await openRepositories(t.repos.location);
          let updated = 0;
          await other.transaction(async () => {
            for (const item of [first, last]) {
              const ok = await other.items.update(item.id, (await other.items.get(item.id))!.version, {
                question: `edited ${item.uid}`,
                primaryCategory: 'history',
                updatedAt: new Date().toISOString(),
              });
              if (ok) updated++;
            }
          });
          await other.close();
          edit = { updated, ms: performance.now() - started };
        };
        const release = (await settled(t.app, bearer(), post('1.0.0'))).body as Release;
        expect(release.state).toBe('published');
        expect(edit).toMatchObject({ updated: 2 });
        // Nothing held the write lock while the build waited between slices.
        expect(edit!.ms).toBeLessThan(1000);
        for (const item of [first, last]) {
          expect(item.primaryCategory).toBe('tradition/food');
          expect(await frozen(release, item.uid)).toMatchObject({
            question: item.question,
            primaryCategory: 'tradition/food',
          });
          expect(await t.repos.items.get(item.id)).toMatchObject({
            question: `edited ${item.uid}`,
            primaryCategory: 'history',
          });
        }
        // The next release takes the new versions of both items, both fields of each (docs/releases.md).
        const next = (await settled(t.app, bearer(), post('1.1.0'))).body as Release;
        for (const item of [first, last]) {
          expect(await frozen(next, item.uid)).toMatchObject({
            question: `edited ${item.uid}`,
            primaryCategory: 'history',
          });
        }
        // Two builds of 1,500 items: seconds each on a busy 2-core machine.
      },
      30_000,
    );

    it('while a release is building, its metadata is listed with empty counts and its contents are 404 to everyone but maintainers', async () => {
      await t.addUser('ann', 'annotator', ['ko', 'ar']);
      const ann = await t.login('ann');
      const seen: { meta: unknown; archive: number; card: number; maintainer: number }[] = [];
      onStep = async (step) => {
        if (step !== 'slice:1') return;
        const id = (await t.repos.releases.list(datasetId))[0].id;
        seen.push({
          meta: (await ann.get(`/api/releases/${id}`)).body,
          archive: (await ann.get(`/api/releases/${id}/archive`)).status,
          card: (await ann.get(`/api/releases/${id}/card`)).status,
          maintainer: (await request(t.app).get(`/api/releases/${id}/archive`).set(bearer())).status,
        });
      };
      expect((await settled(t.app, bearer(), post('1.0.0'))).body.state).toBe('published');
      expect(seen).toEqual([
        {
          meta: expect.objectContaining({
            state: 'building',
            itemCount: 0,
            counts: { total: 0, languages: [], categories: [], cells: [] },
          }),
          archive: 404,
          card: 404,
          maintainer: 409,
        },
      ]);
    });

    it('when the build of a release is asked again while it runs, then it is 409 release-building', async () => {
      let again: { status: number; code: string } | null = null;
      onStep = async (step) => {
        if (step !== 'slice:1') return;
        const id = (await t.repos.releases.list(datasetId))[0].id;
        const res = await request(t.app).post(`/api/releases/${id}/build`).set(bearer()).send({});
        again = { status: res.status, code: (res.body as { error: { code: string } }).error.code };
      };
      expect((await settled(t.app, bearer(), post('1.0.0'))).body.state).toBe('published');
      expect(again).toEqual({ status: 409, code: 'release-building' });
    });
  });

  // Not on PGlite: its database lives on this thread, so the build's queries run here whatever thread starts them.
  describe.skipIf(inProcessDatabase)('with 3,000 items', () => {
    beforeEach(() => setup(3000), 60_000);

    it('keeps the request thread free: autosaves are answered during the build and the event loop stays responsive', async () => {
      // An annotator's draft, autosaved again and again while the release is built.
      await t.addUser('ann', 'annotator', ['ko']);
      const ann = await t.login('ann');
      const draft = await createItem(ann, datasetId);
      let version = draft.version;
      const saves: number[] = [];
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const started = await post('1.0.0');
      expect(started.status).toBe(202);
      for (let n = 0; n < 20_000; n++) {
        const got = await request(t.app).get(`/api/releases/${started.body.id}`).set(bearer());
        if (got.body.state !== 'building') break;
        const at = performance.now();
        const save = await ann.patch(`/api/items/${draft.id}`, {
          version,
          changes: { notes: `autosave ${n}` },
        });
        saves.push(performance.now() - at);
        expect(save.status, save.text).toBe(200);
        version++;
      }
      delay.disable();
      expect((await request(t.app).get(`/api/releases/${started.body.id}`).set(bearer())).body).toMatchObject(
        {
          state: 'published',
          itemCount: 3000,
        },
      );
      expect(saves.length).toBeGreaterThan(3);
      // p99 holds the 50 ms line; the max bound leaves room for a loaded 2-core machine, where an idle loop
      // alone sees 50–60 ms now and then (the benchmarks measure the 50 ms max on a quiet machine).
      expect(delay.percentile(99) / 1e6).toBeLessThan(50);
      expect(delay.max / 1e6).toBeLessThan(250);
      expect(Math.max(...saves)).toBeLessThan(250);
    }, 60_000);
  });
});
