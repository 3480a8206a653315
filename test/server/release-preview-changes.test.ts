import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer, type Importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { sampleCsv, settled, tempDir, type SampleRow } from '../helpers/releases.ts';

const SAMPLE: SampleRow[] = [
  { id: 'k1' },
  { id: 'k2', format: 'short_answer', category: 'tradition/holidays' },
  { id: 'k3', format: 'multiple_choice', category: 'history' },
  { id: 'k4', format: 'true_false', category: 'history' },
  { id: 'k5', kind: 'safety' },
  { id: 'a1', language: 'ar', format: 'multiple_choice' },
  { id: 'a2', language: 'ar', format: 'short_answer' },
];

// Release builds and the reads thread's first task take seconds on a loaded machine.
describe('POST /api/releases/preview/changes', { timeout: 30_000 }, () => {
  let t: TestContext;
  let imp: Importer;
  let datasetId: number;
  let dir: string;
  const bearer = () => ({ Authorization: `Bearer ${imp.token}` });
  const post = (url: string, body: object) => request(t.app).post(url).set(bearer()).send(body);
  const changes = (body: object = {}) => post('/api/releases/preview/changes', { datasetId, ...body });
  const cut = async (body: object) => {
    const res = await settled(
      t.app,
      bearer(),
      post('/api/releases', { datasetId, title: 'Release', ...body }),
    );
    expect([res.status, res.body.state], res.text).toEqual([202, 'published']);
    return res.body as { version: string; previousVersion: string | null };
  };
  const accepted = async (rows: SampleRow[]) => {
    const res = await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv(rows));
    expect(res.job.state, JSON.stringify(res.job)).toBe('imported');
  };
  /** The first lines of a release's CHANGELOG.md, as written on disk. */
  const changelogSummary = (version: string) => {
    const slug = 'culture';
    const [home] = readdirSync(join(dir, slug)).filter((n) => n.startsWith(`${version}~`));
    const text = readFileSync(join(dir, slug, home, `${slug}-${version}`, 'CHANGELOG.md'), 'utf8');
    return text.split('\n')[4];
  };

  beforeEach(async () => {
    dir = tempDir();
    t = await createTestContext({ releasesDir: dir });
    datasetId = (await addDataset(t, { slug: 'culture' })).id;
    imp = await importer(t, datasetId);
    await accepted(SAMPLE);
  });

  it('when the dataset has no published release, then every selected item counts as added', async () => {
    const res = await changes();
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ previousVersion: null, added: 7, removed: 0, changed: 0 });
    expect((await changes({ filter: { languages: ['ar'] } })).body).toEqual({
      previousVersion: null,
      added: 2,
      removed: 0,
      changed: 0,
    });
  });

  it('when nothing changed since the previous release, then added, removed and changed are all 0', async () => {
    await cut({ version: '1.0.0' });
    expect((await changes({ version: '1.1.0' })).body).toEqual({
      previousVersion: '1.0.0',
      added: 0,
      removed: 0,
      changed: 0,
    });
  });

  it('counts added, removed and changed items as the CHANGELOG.md of that release then counts them', async () => {
    await cut({ version: '1.0.0' });
    // k1 edited, k6 new; the Korean-only filter leaves out the two Arabic items of 1.0.0.
    await accepted([{ id: 'k1', question: 'A better Korean question' }, { id: 'k6' }]);
    const filter = { languages: ['ko'] };
    const res = await changes({ version: '1.1.0', filter });
    expect(res.body).toEqual({ previousVersion: '1.0.0', added: 1, removed: 2, changed: 1 });
    expect(await cut({ version: '1.1.0', filter })).toMatchObject({ previousVersion: '1.0.0' });
    expect(changelogSummary('1.1.0')).toBe(
      'Compared with 1.0.0: 1 added, 2 removed, 1 changed; 6 items in total.',
    );
  });

  it('compares with the greatest published version below the given one, by semver precedence', async () => {
    await cut({ version: '1.0.0-rc.2' });
    await accepted([{ id: 'k1', question: 'Edited after rc.2' }]);
    await cut({ version: '1.0.0-rc.10' });
    // rc.10 follows rc.2 (numeric identifiers compare as numbers, not as text).
    expect((await changes({ version: '1.0.0' })).body).toMatchObject({
      previousVersion: '1.0.0-rc.10',
      changed: 0,
    });
    expect((await changes({ version: '1.0.0-rc.5' })).body).toMatchObject({
      previousVersion: '1.0.0-rc.2',
      changed: 1,
    });
    // Without a version: the latest published release.
    expect((await changes()).body).toMatchObject({ previousVersion: '1.0.0-rc.10' });
    // 1.0.0 itself is cut after rc.10, and its changelog says so.
    expect(await cut({ version: '1.0.0' })).toMatchObject({ previousVersion: '1.0.0-rc.10' });
  });

  it('counts a change of the release licence, which every record without its own licence carries', async () => {
    await cut({ version: '1.0.0', license: 'cc-by-4.0' });
    expect((await changes({ version: '1.1.0', license: 'cc-by-sa-4.0' })).body).toMatchObject({ changed: 7 });
    expect((await changes({ version: '1.1.0', license: 'cc-by-4.0' })).body).toMatchObject({ changed: 0 });
  });

  it('when the version is not semver, then it is 400 with the field named; an unknown dataset is 404', async () => {
    for (const version of ['v1.0.0', '1.0', ' 1.0.0', '99999999999999999999.0.0']) {
      const res = await changes({ version });
      expect(res.status, version).toBe(400);
      expect(res.body.error.code).toBe('invalid-input');
      expect(res.body.error.details.issues[0]).toMatchObject({ path: 'version', code: 'invalid-version' });
    }
    const unknown = await post('/api/releases/preview/changes', { datasetId: 999 });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not-found']);
  });
});

describe('POST /api/releases: versions through the semver package', () => {
  it('refuses a version whose numbers are too large to compare exactly, and writes nothing', async () => {
    const t = await createTestContext({ releasesDir: tempDir() });
    const datasetId = (await addDataset(t)).id;
    const imp = await importer(t, datasetId);
    await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv([{ id: 'k1' }]));
    const res = await request(t.app)
      .post('/api/releases')
      .set({ Authorization: `Bearer ${imp.token}` })
      .send({ datasetId, title: 'Huge', version: '99999999999999999999.0.0' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0]).toMatchObject({ path: 'version', code: 'invalid-version' });
    expect(await t.sql('SELECT count(*) AS n FROM releases')).toEqual([{ n: 0 }]);
  });
});
