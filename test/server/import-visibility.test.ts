import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ImportJob } from '../../schema/import.ts';
import type { ItemSummary } from '../../schema/item.ts';
import { createTestContext, inProcessDatabase, scratchDir, type TestContext } from '../helpers/app.ts';
import { finishedImport, importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { sampleCsv } from '../helpers/releases.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const rows = (ids: string[]) => sampleCsv(ids.map((id) => ({ id })));
const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/**
 * A dataset with one visible imported item (`old-1`), a maintainer's token, and an annotator of Korean. The
 * import hook runs `whileHidden` once, when a real import has written its new items and not yet made them
 * visible (step `written`), while the job thread waits for it.
 */
async function world(whileHidden: (t: TestContext) => Promise<void>) {
  let armed = false;
  const t: TestContext = await createTestContext({
    importHook: async (step) => {
      if (step !== 'written' || !armed) return;
      armed = false;
      await whileHidden(t);
    },
  });
  const dataset = await addDataset(t);
  const imp = await importer(t, dataset.id, 'visibility-admin');
  const bearer = { Authorization: `Bearer ${imp.token}` };
  const first = await imp.upload({ format: 'csv', dryRun: false, status: 'submitted' }, rows(['old-1']));
  expect(first.job.state).toBe('imported');
  await t.addUser('ann', 'annotator', ['ko']);
  const upload = async (file: string, status: 'submitted' | 'accepted', hidden = true) => {
    const created = await request(t.app)
      .post('/api/imports')
      .set(bearer)
      .send({ datasetId: dataset.id, format: 'csv', dryRun: false, status });
    armed = hidden;
    const put = await request(t.app)
      .put(`/api/imports/${(created.body as ImportJob).id}/file`)
      .set(bearer)
      .set('Content-Type', 'text/csv')
      .send(file);
    expect(put.status).toBe(202);
    return finishedImport(t, imp.token, (created.body as ImportJob).id);
  };
  return { t, dataset, bearer, upload };
}

/** `cli import --commit` of `file` into dataset `slug` of the database at `dbPath` (a file or URL), as its own process. */
const cliImport = (dbPath: string, slug: string, file: string) =>
  promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/cli.ts',
      'import',
      '--username',
      'visibility-admin',
      '--dataset',
      slug,
    ].concat(['--file', file, '--commit', '--db', dbPath]),
    { cwd: ROOT },
  ).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
  );

const count = async (t: TestContext, sql: string) => (await t.sql<{ n: number }>(sql))[0].n;

describe('a real import while it writes (hidden slices, one final transaction)', () => {
  it('when its new items are written but not yet committed, then no list, search, item, task or count shows them; after the commit all do', async () => {
    let seen: Record<string, unknown> = {};
    const { t, dataset, bearer, upload } = await world(async (ctx) => {
      const ann = await ctx.login('ann');
      const hiddenId = await count(ctx, "SELECT id AS n FROM items WHERE external_id = 'new-599'");
      const list = await request(ctx.app).get(`/api/items?dataset=${dataset.id}`).set(bearer);
      const search = await request(ctx.app).get(`/api/items?q=new-599`).set(bearer);
      const submitted = await request(ctx.app).get(`/api/items?status=submitted&language=ko`).set(bearer);
      seen = {
        // The rows are in the table already: 600 new ones, in two slices.
        rowsInTable: await count(ctx, 'SELECT count(*) AS n FROM items'),
        revisionsInTable: await count(ctx, 'SELECT count(*) AS n FROM item_revisions'),
        list: [list.body.total, (list.body.items as ItemSummary[]).map((i) => i.question)],
        search: search.body.total,
        submitted: submitted.body.total,
        item: (await request(ctx.app).get(`/api/items/${hiddenId}`).set(bearer)).status,
        annotatorItem: (await ann.get(`/api/items/${hiddenId}`)).status,
        task: (await ann.post('/api/tasks/next')).body.task?.item?.question,
        nextTask: (await ann.post('/api/tasks/next')).body.task?.item?.question,
      };
    });
    const done = await upload(rows(range(600, 'new')), 'submitted');
    expect(done).toMatchObject({ state: 'imported', created: 600, errorCount: 0 });
    expect(seen).toEqual({
      rowsInTable: 601,
      revisionsInTable: 601,
      list: [1, ['ko question old-1']],
      search: 0,
      submitted: 1,
      item: 404,
      annotatorItem: 404,
      // The only task is the visible item's (asking again returns the task held).
      task: 'ko question old-1',
      nextTask: 'ko question old-1',
    });

    const after = await request(t.app).get(`/api/items?dataset=${dataset.id}`).set(bearer);
    expect(after.body.total).toBe(601);
    const found = await request(t.app).get('/api/items?q=new-599').set(bearer);
    expect((found.body.items as ItemSummary[]).map((i) => i.question)).toEqual(['ko question new-599']);
    const id = await count(t, "SELECT id AS n FROM items WHERE external_id = 'new-599'");
    expect((await request(t.app).get(`/api/items/${id}`).set(bearer)).status).toBe(200);
    expect(await count(t, 'SELECT count(*) AS n FROM imports WHERE rows_hidden')).toBe(0);
  });

  it('when its accepted items are hidden, then the release preview counts only the visible ones', async () => {
    let previewed: unknown;
    const { t, dataset, bearer, upload } = await world(async (ctx) => {
      previewed = (
        await request(ctx.app).post('/api/releases/preview').set(bearer).send({ datasetId: dataset.id })
      ).body;
    });
    expect(await upload(rows(['visible-1', 'visible-2']), 'accepted', false)).toMatchObject({ created: 2 });
    expect(await upload(rows(range(30, 'acc')), 'accepted')).toMatchObject({ state: 'imported' });
    expect(previewed).toMatchObject({ total: 2, cells: [['ko', 'tradition/food', 2]] });
    const after = await request(t.app)
      .post('/api/releases/preview')
      .set(bearer)
      .send({ datasetId: dataset.id });
    expect(after.body).toMatchObject({ total: 32, cells: [['ko', 'tradition/food', 32]] });
  });

  // The CLI in a process of its own: PGlite's database lives in this process only (CI runs it on the server).
  it.skipIf(inProcessDatabase)(
    'when another import of the same dataset is being written, then a second one (another process) fails with dataset-busy, writes nothing, and can be sent again',
    async () => {
      const dir = scratchDir('visibility-');
      const file = join(dir, 'second.csv');
      writeFileSync(file, rows(['second-1', 'second-2']));
      let second: { code: number; out: string } | undefined;
      const { t, dataset, upload } = await world(async (ctx) => {
        // The CLI in its own process, on the same database, while this import waits with hidden rows.
        second = await cliImport(ctx.location!, dataset.slug, file);
      });
      expect(await upload(rows(range(10, 'first')), 'submitted')).toMatchObject({
        state: 'imported',
        created: 10,
      });
      expect(second!.code).toBe(1);
      expect(second!.out).toContain(
        'file: dataset-busy: Another import of this dataset was being written; nothing was imported. Upload the file again when it has finished.',
      );
      expect(await count(t, "SELECT count(*) AS n FROM items WHERE external_id LIKE 'second-%'")).toBe(0);

      // Once the first import is in, the same file goes in.
      const again = await cliImport(t.location!, dataset.slug, file);
      expect(again).toMatchObject({ code: 0 });
      expect(again.out).toContain('Created 2, updated 0, unchanged 0.');
      expect(await count(t, 'SELECT count(*) AS n FROM items')).toBe(13);
    },
    60_000,
  );
});
