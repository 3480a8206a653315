import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildReleaseFiles } from '../../exports/index.ts';
import type { Release, ReleaseCounts } from '../../schema/release.ts';
import { releaseSource } from '../../server/domain/releases/snapshot.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer, type Importer } from '../helpers/imports.ts';
import { snapshotOf, writeArchive, writeReleaseTree } from '../helpers/release-files.ts';
import { addDataset } from '../helpers/items.ts';
import { readArchive, readTree, sampleCsv, settled, tempDir, type SampleRow } from '../helpers/releases.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../schema/dataset-record.schema.json', import.meta.url), 'utf8'),
) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormatsModule.default(ajv);
const validateRecord = ajv.compile(schema);

const SAMPLE: SampleRow[] = [
  { id: 'k1' },
  { id: 'k2', format: 'short_answer', category: 'tradition/holidays' },
  { id: 'k3', format: 'multiple_choice', category: 'history' },
  { id: 'k4', format: 'true_false', category: 'history' },
  { id: 'k5', kind: 'safety' },
  { id: 'a1', language: 'ar', format: 'multiple_choice' },
  { id: 'a2', language: 'ar', format: 'short_answer', question: 'سؤال =1+1 "مقتبس"' },
];

describe('releases', () => {
  let t: TestContext;
  let imp: Importer;
  let datasetId: number;
  let slug: string;
  let dir: string;
  let failAt: string | null;
  const bearer = () => ({ Authorization: `Bearer ${imp.token}` });
  const post = (url: string, body: object) => request(t.app).post(url).set(bearer()).send(body);
  /** POST /api/releases, then the release once its build has ended (the POST answers 202 at once). */
  const cut = (body: object) =>
    settled(t.app, bearer(), post('/api/releases', { datasetId, title: 'Release', ...body }));
  /**
   * POST /api/releases/:id/build, then polls it to its end. The release's row says `failed` a moment before this
   * process has heard its job end; a build asked for in that moment is refused 409 release-building (so a late
   * failure of the old job can never land on the new one), and is asked again, as a client would.
   */
  const rebuild = async (id: number) => {
    for (let tries = 0; ; tries++) {
      const started = await post(`/api/releases/${id}/build`, {});
      if (started.status !== 409 || started.body.error?.code !== 'release-building' || tries === 1_000)
        return settled(t.app, bearer(), started);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  /** A release's own folder: `<slug>/<version>~<random>`, the only one of that version. */
  const home = (version: string) => {
    const names = readdirSync(join(dir, slug)).filter((n) => n.startsWith(`${version}~`));
    expect(names).toHaveLength(1);
    return join(dir, slug, names[0]);
  };
  const folder = (version: string) => join(home(version), `${slug}-${version}`);

  /** Checks the files on disk are exactly what the pure writers give for the stored snapshot. */
  const expectFilesMatchPureWriters = async (release: Release, previous?: Release) => {
    const expected = buildReleaseFiles(
      await snapshotOf(t.repos, release.id),
      previous ? await snapshotOf(t.repos, previous.id) : null,
    );
    const onDisk = readTree(folder(release.version));
    expect([...onDisk.keys()]).toEqual(expected.map((f) => f.path));
    for (const f of expected) expect(onDisk.get(f.path)!.equals(Buffer.from(f.bytes)), f.path).toBe(true);
    expect(release.files.map((f) => f.path)).toEqual(expected.map((f) => f.path));
  };

  beforeEach(async () => {
    dir = tempDir();
    failAt = null;
    t = await createTestContext({
      releasesDir: dir,
      releaseBuildHook: (step) => {
        if (step === failAt) throw new Error(`injected failure at ${step}`);
      },
    });
    const dataset = await addDataset(t, { description: 'Test *dataset*' });
    datasetId = dataset.id;
    slug = dataset.slug;
    imp = await importer(t, datasetId);
    const res = await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv(SAMPLE));
    expect(res.status).toBe(202);
  });

  it('cuts 1.0.0 of the accepted items: every file is in place, as the pure writers write it', async () => {
    const res = await cut({ version: '1.0.0', notes: 'First', license: 'cc-by-sa-4.0' });
    expect([res.status, res.body.state], res.text).toEqual([202, 'published']);
    const release = res.body as Release;
    expect(release).toMatchObject({
      version: '1.0.0',
      state: 'published',
      itemCount: 7,
      previousVersion: null,
      license: 'cc-by-sa-4.0',
    });
    expect(release.archive).toMatchObject({ name: `${slug}-1.0.0.tar.gz` });
    await expectFilesMatchPureWriters(release);

    const files = readTree(folder('1.0.0'));
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'data/ko/test.jsonl',
        'data/ar/test.jsonl',
        'csv/test.csv',
        'README.md',
        'croissant.json',
        'CHANGELOG.md',
        'SHA256SUMS',
        'harness/mcq/ko.jsonl',
        'harness/short_answer/ar.jsonl',
      ]),
    );
    for (const path of ['data/ko/test.jsonl', 'data/ar/test.jsonl']) {
      for (const line of files.get(path)!.toString('utf8').trimEnd().split('\n')) {
        const record = JSON.parse(line) as unknown;
        expect(validateRecord(record), JSON.stringify(validateRecord.errors)).toBe(true);
        expect(record).toMatchObject({ release: '1.0.0' });
      }
    }
    // SHA256SUMS covers every other file and is right.
    const sums = files.get('SHA256SUMS')!.toString('utf8').trimEnd().split('\n');
    expect(sums).toHaveLength(files.size - 1);
    for (const line of sums) {
      const [hash, path] = line.split('  ') as [string, string];
      expect(createHash('sha256').update(files.get(path)!).digest('hex')).toBe(hash);
    }
    expect(files.get('README.md')!.toString('utf8')).toContain('CULTURE-STUDIO CANARY');
    // No temporary folder is left behind.
    expect(readdirSync(join(dir, slug))).toEqual([expect.stringMatching(/^1\.0\.0~[0-9a-f]{12}$/)]);
  });

  it('serves one deterministic archive of the release folder', async () => {
    const release = (await cut({ version: '1.0.0' })).body as Release;
    const res = await request(t.app)
      .get(`/api/releases/${release.id}/archive`)
      .set(bearer())
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(`${slug}-1.0.0.tar.gz`);
    const bytes = res.body as Buffer;
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(release.archive!.sha256);
    const entries = await readArchive(bytes);
    const files = readTree(folder('1.0.0'));
    expect(entries.map((e) => e.name)).toEqual([...files.keys()].map((p) => `${slug}-1.0.0/${p}`));
    for (const e of entries) {
      expect(e.bytes.equals(files.get(e.name.slice(`${slug}-1.0.0/`.length))!)).toBe(true);
      expect(e.mtime?.toISOString()).toBe(`${release.releasedAt}T00:00:00.000Z`);
      expect(e.mode).toBe(0o644);
    }
  });

  it('ships the record JSON Schema in every release, byte for byte, in its files, checksums and archive', async () => {
    const release = (await cut({ version: '1.0.0' })).body as Release;
    const schemaBytes = readFileSync(new URL('../../schema/dataset-record.schema.json', import.meta.url));
    const sha256 = createHash('sha256').update(schemaBytes).digest('hex');
    expect(release.files).toContainEqual({
      path: 'dataset-record.schema.json',
      size: schemaBytes.length,
      sha256,
    });
    const files = readTree(folder('1.0.0'));
    expect(files.get('dataset-record.schema.json')!.equals(schemaBytes)).toBe(true);
    expect(files.get('SHA256SUMS')!.toString('utf8')).toContain(`${sha256}  dataset-record.schema.json\n`);
    const entries = await readArchive(readFileSync(join(home('1.0.0'), release.archive!.name)));
    expect(
      entries.find((e) => e.name === `${slug}-1.0.0/dataset-record.schema.json`)?.bytes.equals(schemaBytes),
    ).toBe(true);
    const card = await request(t.app).get(`/api/releases/${release.id}/card`).set(bearer());
    expect(card.text).toContain('- `dataset-record.schema.json`: the JSON Schema of a record');
  });

  it('when two releases are built at once, then each gets exactly its own files and archive', async () => {
    // The builds share one file writer thread, each through its own channel.
    const [first, second] = await Promise.all([
      cut({ version: '1.0.0' }),
      cut({ version: '1.1.0', filter: { languages: ['ar'] } }),
    ]);
    expect([first.body.state, second.body.state], second.text).toEqual(['published', 'published']);
    const a = first.body as Release;
    const b = second.body as Release;
    expect([a.itemCount, b.itemCount]).toEqual([7, 2]);
    await expectFilesMatchPureWriters(a);
    await expectFilesMatchPureWriters(b, b.previousVersion === null ? undefined : a);
    for (const r of [a, b]) {
      const entries = await readArchive(readFileSync(join(home(r.version), r.archive!.name)));
      const onDisk = readTree(folder(r.version));
      expect(entries.map((e) => e.name)).toEqual([...onDisk.keys()].map((p) => `${slug}-${r.version}/${p}`));
      for (const e of entries)
        expect(e.bytes.equals(onDisk.get(e.name.split('/').slice(1).join('/'))!)).toBe(true);
    }
  });

  it('builds byte-identical files and archive from the same snapshot twice', async () => {
    const release = (await cut({ version: '1.0.0' })).body as Release;
    const hashes: string[] = [];
    for (const n of [1, 2]) {
      const out = join(tempDir(), `copy-${n}`);
      const files = await writeReleaseTree(out, await releaseSource(t.repos, release));
      await writeArchive(out, 'x', files, release.releasedAt, `${out}.tar.gz`);
      hashes.push(
        createHash('sha256')
          .update(readFileSync(`${out}.tar.gz`))
          .digest('hex'),
      );
      expect(files).toEqual(release.files);
    }
    expect(hashes[0]).toBe(hashes[1]);
  });

  it('is an immutable snapshot: later edits never change it, and a version is never rebuilt or overwritten', async () => {
    const release = (await cut({ version: '1.0.0' })).body as Release;
    const before = readTree(folder('1.0.0'));
    const edited = sampleCsv(SAMPLE.map((r) => (r.id === 'k1' ? { ...r, question: 'changed later' } : r)));
    expect((await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, edited)).job.updated).toBe(
      1,
    );

    expect(JSON.stringify(await snapshotOf(t.repos, release.id))).not.toContain('changed later');
    expect(readTree(folder('1.0.0'))).toEqual(before);

    const again = await cut({ version: '1.0.0' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('release-exists');
    const again2 = await post(`/api/releases/${release.id}/build`, {});
    expect(again2.status).toBe(409);
    expect(again2.body.error.code).toBe('release-published');
    // Below the application too: the database refuses to change a published release.
    await expect(
      t.sql('UPDATE release_items SET snapshot = ? WHERE release_id = ?', '{}', release.id),
    ).rejects.toThrow(/immutable/);
    await expect(t.sql("UPDATE releases SET title = 'x' WHERE id = ?", release.id)).rejects.toThrow(
      /cannot be changed/,
    );
    await expect(t.sql('DELETE FROM releases WHERE id = ?', release.id)).rejects.toThrow(/cannot be deleted/);
  });

  it('cuts 1.1.0 after corrections, with a changelog of what was added, removed and changed', async () => {
    const first = (await cut({ version: '1.0.0' })).body as Release;
    const corrected = SAMPLE.filter((r) => r.id !== 'k4').map((r) =>
      r.id === 'k1' ? { ...r, question: 'corrected question' } : r,
    );
    await imp.upload(
      { format: 'csv', dryRun: false, status: 'accepted' },
      sampleCsv([...corrected, { id: 'k9', language: 'sw' }]),
    );
    // k4 is no longer in the file; a maintainer sets it aside (here: straight in the database).
    await t.sql("UPDATE items SET status = 'rejected' WHERE external_id = 'k4'");

    const res = await cut({ version: '1.1.0' });
    expect([res.status, res.body.state], res.text).toEqual([202, 'published']);
    const second = res.body as Release;
    expect(second).toMatchObject({ previousVersion: '1.0.0', itemCount: 7 });
    await expectFilesMatchPureWriters(second, first);

    const log = await request(t.app).get(`/api/releases/${second.id}/changelog`).set(bearer());
    expect(log.status).toBe(200);
    expect(log.headers['content-type']).toContain('text/markdown');
    expect(log.text).toContain('Compared with 1.0.0: 1 added, 1 removed, 1 changed');
    expect(log.text).toMatch(/### Added\n\n- `sw-/);
    expect(log.text).toContain('`question`: `"ko question k1"` → `"corrected question"`');
  });

  it('takes a filter by language, kind and category, and previews the counts first', async () => {
    const preview = await post('/api/releases/preview', {
      datasetId,
      filter: { languages: ['ko'], kinds: ['culture'], categories: ['tradition'] },
    });
    expect(preview.status).toBe(200);
    expect(preview.body as ReleaseCounts).toEqual({
      total: 2,
      languages: ['ko'],
      categories: ['tradition/food', 'tradition/holidays'],
      cells: [
        ['ko', 'tradition/food', 1],
        ['ko', 'tradition/holidays', 1],
      ],
    });
    const all = (await post('/api/releases/preview', { datasetId })).body as ReleaseCounts;
    expect(all.total).toBe(7);
    expect(all.categories).toContain('safety:hate');

    const res = await cut({
      version: '0.1.0',
      filter: { languages: ['ko'], kinds: ['culture'], categories: ['tradition'] },
    });
    expect(res.body).toMatchObject({ itemCount: 2, counts: preview.body });
    expect(readTree(folder('0.1.0')).has('data/ar/test.jsonl')).toBe(false);
    // Without a filter: every language, culture categories and safety hazards, as previewed.
    expect((await cut({ version: '0.2.0' })).body).toMatchObject({ itemCount: 7, counts: all });
  });

  it('includes submitted items only in a pre-release, and says so when the version is not one', async () => {
    await imp.upload({ format: 'csv', dryRun: false }, sampleCsv([{ id: 's1' }, { id: 's2' }]));
    const refused = await cut({ version: '1.0.0', filter: { includeSubmitted: true } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.issues[0]).toMatchObject({ path: 'version' });
    const rc = await cut({ version: '1.0.0-rc.1', filter: { includeSubmitted: true } });
    expect(rc.body.state).toBe('published');
    expect(rc.body.itemCount).toBe(9);
    const final = await cut({ version: '1.0.0' });
    expect(final.body).toMatchObject({ itemCount: 7, previousVersion: '1.0.0-rc.1' });
  });

  it('when nothing matches the filter, then it is 422 and no release is registered', async () => {
    const res = await cut({ version: '1.0.0', filter: { languages: ['th'] } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('empty-release');
    expect((await request(t.app).get('/api/releases').set(bearer())).body).toEqual([]);
  });

  it('when a build fails midway, then nothing is published, nothing half-written remains, and the next build succeeds', async () => {
    failAt = 'file:csv/test.csv';
    const res = await cut({ version: '1.0.0' });
    expect(res.status).toBe(202);
    const failed = res.body as Release;
    expect(failed).toMatchObject({ state: 'failed', version: '1.0.0', errorCode: 'release-build-failed' });
    expect(failed.error).toContain('injected failure');
    expect(readdirSync(join(dir, slug))).toEqual([]);
    expect((await request(t.app).get(`/api/releases/${failed.id}/archive`).set(bearer())).status).toBe(409);

    // A failure after the rename is rolled back too.
    failAt = 'renamed';
    expect((await rebuild(failed.id)).body).toMatchObject({
      state: 'failed',
      errorCode: 'release-build-failed',
    });
    expect(readdirSync(join(dir, slug))).toEqual([]);

    failAt = null;
    const retry = await rebuild(failed.id);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ state: 'published', error: null });
    await expectFilesMatchPureWriters(retry.body as Release);
  });

  it('refuses versions that are not semver or would leave the releases directory', async () => {
    for (const version of [
      '../../etc',
      '/etc/passwd',
      '1.0',
      'v1.0.0',
      '1.0.0/../../x',
      '..',
      '1.0.0-rc.1/..',
      'C:\\x',
    ]) {
      const res = await cut({ version });
      expect(res.status, version).toBe(400);
    }
    const { insideDir, releasePaths } = await import('../../server/domain/releases/paths.ts');
    expect(() => insideDir(dir, '..', 'x')).toThrow(/outside/);
    expect(() => insideDir(dir, '/etc/passwd')).toThrow(/outside/);
    expect(() => releasePaths(dir, `${slug}/1.0.0~0`, '../x', '1.0.0')).toThrow();
    expect(() => releasePaths(dir, `${slug}/1.0.0~0`, slug, '../1.0.0')).toThrow();
    expect(() => releasePaths(dir, '../../etc', slug, '1.0.0')).toThrow(/outside/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lets maintainers cut releases and everyone signed in read and download them', async () => {
    const release = (await cut({ version: '1.0.0' })).body as Release;
    await t.addUser('ann', 'annotator', ['ko', 'ar']);
    const ann = await t.login('ann');
    // The contents need every language of the release: otherwise they are not found.
    await t.addUser('kim', 'annotator', ['ko']);
    expect((await (await t.login('kim')).get(`/api/releases/${release.id}/archive`)).status).toBe(404);
    expect((await ann.post('/api/releases', { datasetId, version: '2.0.0', title: 'x' })).status).toBe(403);
    expect((await ann.post('/api/releases/preview', { datasetId })).status).toBe(403);
    expect((await ann.post(`/api/releases/${release.id}/build`, {})).status).toBe(403);
    expect((await ann.get(`/api/releases?dataset=${datasetId}`)).body).toEqual([
      expect.objectContaining({ id: release.id }),
    ]);
    expect((await ann.get(`/api/releases/${release.id}/archive`)).status).toBe(200);
    expect((await request(t.app).get('/api/releases')).status).toBe(401);
    expect((await ann.get('/api/releases/999')).status).toBe(404);
    expect((await ann.get('/api/releases/abc')).status).toBe(404);
  });
});
