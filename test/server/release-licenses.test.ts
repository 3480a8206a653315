import { readFileSync } from 'node:fs';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DatasetRecord, Release } from '../../schema/release.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer, type Importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { readArchive, sampleCsv, settled, tempDir } from '../helpers/releases.ts';

const benchmarkFile = (name: string) =>
  readFileSync(new URL(`../fixtures/benchmarks/${name}`, import.meta.url));

describe('POST /api/releases with items of several licences', { timeout: 30_000 }, () => {
  let t: TestContext;
  let imp: Importer;
  let datasetId: number;
  const bearer = () => ({ Authorization: `Bearer ${imp.token}` });
  const cut = (body: object) =>
    settled(
      t.app,
      bearer(),
      request(t.app)
        .post('/api/releases')
        .set(bearer())
        .send({ datasetId, title: 'Release', ...body }),
    );
  /** Every file of a published release's archive, by its path inside the release folder. */
  const files = async (id: number): Promise<Map<string, string>> => {
    const res = await request(t.app)
      .get(`/api/releases/${id}/archive`)
      .set(bearer())
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const entries = await readArchive(res.body as Buffer);
    return new Map(entries.map((e) => [e.name.split('/').slice(1).join('/'), e.bytes.toString('utf8')]));
  };
  const records = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DatasetRecord);

  beforeEach(async () => {
    t = await createTestContext({ releasesDir: tempDir() });
    datasetId = (await addDataset(t)).id;
    imp = await importer(t, datasetId);
    // Items written for this dataset (no licence of their own) and BLEnD's, under CC BY-SA 4.0.
    const own = await imp.upload(
      { format: 'csv', dryRun: false, status: 'accepted' },
      sampleCsv([{ id: 'own1', format: 'short_answer', context: '설날 아침에는 떡국을 먹는다.' }]),
    );
    expect(own.job.state).toBe('imported');
    const blend = await imp.upload(
      {
        format: 'json',
        preset: 'blend',
        fileName: 'South_Korea_data.json',
        defaults: { language: 'ko', country: 'KR', primaryCategory: 'tradition/food' },
        dryRun: false,
        status: 'accepted',
      },
      benchmarkFile('blend-KR.json'),
      'application/octet-stream',
    );
    expect(blend.job.state).toBe('imported');
  });

  it('when a share-alike source would be published under another licence, then it is refused with 409 until the maintainer confirms', async () => {
    const refused = await cut({ version: '1.0.0', license: 'cc-by-4.0' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'license-conflict',
      details: { license: 'cc-by-4.0', shareAlike: ['cc-by-sa-4.0'] },
    });
    // Nothing was registered: the same version can be cut.
    expect((await request(t.app).get('/api/releases').set(bearer())).body).toEqual([]);

    const confirmed = await cut({ version: '1.0.0', license: 'cc-by-4.0', confirmLicense: true });
    expect(confirmed.status).toBe(202);
    expect((confirmed.body as Release).state).toBe('published');
  });

  it('when the release takes the share-alike licence, then it needs no confirmation', async () => {
    const res = await cut({ version: '1.0.0', license: 'cc-by-sa-4.0' });
    expect(res.status).toBe(202);
    expect((res.body as Release).state).toBe('published');
  });

  it('each record states its licence and origin, and the card lists the licences', async () => {
    const res = await cut({ version: '1.0.0', license: 'cc-by-4.0', confirmLicense: true });
    const release = res.body as Release;
    const tree = await files(release.id);
    const byQuestion = new Map(records(tree.get('data/ko/test.jsonl')!).map((r) => [r.question, r]));
    expect(byQuestion.get('ko question own1')).toMatchObject({
      license: 'cc-by-4.0',
      origin: null,
      metadata: null,
    });
    const lunch = byQuestion.get('한국 학교 급식에서 흔히 나오는 음식은 무엇인가요?')!;
    expect(lunch).toMatchObject({
      license: 'cc-by-sa-4.0',
      origin: { benchmark: 'blend', file: 'South_Korea_data.json', row: 1, id: 'Al-en-06' },
      accepted_answers: ['김치', '밥', '쌀밥', '배추김치'],
    });
    // The source's fields no other key holds, whole: each answer group with its annotator count, and the idks.
    expect(JSON.parse(lunch.metadata!)).toEqual({
      annotations: [
        { answers: ['김치'], en_answers: ['kimchi'], count: 4 },
        { answers: ['밥', '쌀밥'], en_answers: ['rice'], count: 3 },
        { answers: ['김치', '배추김치'], en_answers: ['cabbage kimchi'], count: 1 },
      ],
      idks: { idk: 0, 'no-answer': 0, 'not-applicable': 0 },
    });
    const card = tree.get('README.md')!;
    expect(card).toContain('## Licences');
    expect(card).toContain('| cc-by-4.0 | 1 | this dataset | no |');
    expect(card).toContain('| cc-by-sa-4.0 | 2 | blend | yes |');
  });

  it("a release re-imported with the release preset keeps every item's context, origin, licence and metadata", async () => {
    const res = await cut({ version: '1.0.0', license: 'cc-by-4.0', confirmLicense: true });
    const jsonl = (await files((res.body as Release).id)).get('data/ko/test.jsonl')!;
    const copy = await addDataset(t);
    const reimport = await imp.upload(
      { datasetId: copy.id, format: 'jsonl', preset: 'release', dryRun: false, fileName: 'test.jsonl' },
      jsonl,
    );
    expect(reimport.job).toMatchObject({ state: 'imported', created: 3, errorCount: 0 });
    // As stored; origin and metadata as their JSON text (PostgreSQL's json columns would come back parsed).
    const fields = await t.sql<{
      question: string;
      context: string | null;
      origin: string | null;
      license: string;
      metadata: string | null;
    }>(
      `SELECT question, context, CAST(origin AS text) AS origin, license, CAST(metadata AS text) AS metadata
       FROM items WHERE dataset_id = ?`,
      copy.id,
    );
    const byQuestion = new Map(fields.map((f) => [f.question, f]));
    expect(byQuestion.get('ko question own1')).toEqual({
      question: 'ko question own1',
      context: '설날 아침에는 떡국을 먹는다.',
      origin: null,
      // The record's licence, the release's then, is the item's own from now on.
      license: 'cc-by-4.0',
      metadata: null,
    });
    const lunch = byQuestion.get('한국 학교 급식에서 흔히 나오는 음식은 무엇인가요?')!;
    expect(JSON.parse(lunch.origin!)).toEqual({
      benchmark: 'blend',
      file: 'South_Korea_data.json',
      row: 1,
      id: 'Al-en-06',
    });
    expect(lunch.license).toBe('cc-by-sa-4.0');
    expect(JSON.parse(lunch.metadata!)).toEqual({
      annotations: [
        { answers: ['김치'], en_answers: ['kimchi'], count: 4 },
        { answers: ['밥', '쌀밥'], en_answers: ['rice'], count: 3 },
        { answers: ['김치', '배추김치'], en_answers: ['cabbage kimchi'], count: 1 },
      ],
      idks: { idk: 0, 'no-answer': 0, 'not-applicable': 0 },
    });
  });

  it('when every record carries the release licence, then the card has no licences section', async () => {
    // A dataset of its own items only.
    const own = await addDataset(t);
    const ownImp = await importer(t, own.id, 'importer2');
    await ownImp.upload(
      { format: 'csv', dryRun: false, status: 'accepted' },
      sampleCsv([{ id: 'own2', format: 'short_answer' }]),
    );
    const auth = { Authorization: `Bearer ${ownImp.token}` };
    const ownCut = await settled(
      t.app,
      auth,
      request(t.app)
        .post('/api/releases')
        .set(auth)
        .send({ datasetId: own.id, title: 'Own', version: '1.0.0', license: 'cc-by-4.0' }),
    );
    expect((ownCut.body as Release).state).toBe('published');
    const tree = await files((ownCut.body as Release).id);
    expect(tree.get('README.md')).not.toContain('## Licences');
    expect(records(tree.get('data/ko/test.jsonl')!).map((r) => r.license)).toEqual(['cc-by-4.0']);
  });
});
