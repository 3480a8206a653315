// The Parquet files of a release, read back with a different library than the one that wrote them
// (parquet-wasm, Rust's arrow/parquet crates, through apache-arrow; the writer is hyparquet-writer), compared
// record by record with the JSONL of the same split. Also the few-shot split (`dev`) they are written for.
import { tableFromIPC, Vector, type Table } from 'apache-arrow';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readParquet } from 'parquet-wasm/node';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkedRecord } from '../../exports/record.ts';
import { parquetBytes } from '../../exports/parquet.ts';
import { emptyItemFields } from '../../schema/item.ts';
import type { DatasetRecord, Release } from '../../schema/release.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer, type Importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { readTree, sampleCsv, settled, tempDir, type SampleRow } from '../helpers/releases.ts';

/** The Parquet file as apache-arrow sees it once parquet-wasm has decoded it. */
const readTable = (bytes: Uint8Array): Table => tableFromIPC(readParquet(bytes).intoIPCStream());

/** An Arrow value as plain JSON values: int64 → number, lists → arrays, structs → objects. */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Vector) return [...value].map(plain);
  if (typeof value === 'object') {
    const json = (value as { toJSON?: () => Record<string, unknown> }).toJSON?.() ?? value;
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

const rowsOf = (table: Table) => [...table].map((row) => plain(row));
const jsonl = (bytes: Buffer) =>
  bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as unknown);

const SAMPLE: SampleRow[] = [
  { id: 'k1', context: '추석은 음력 8월 15일이다.' },
  { id: 'k2', format: 'short_answer', category: 'tradition/holidays' },
  { id: 'k3', format: 'multiple_choice', category: 'history' },
  { id: 'k4', format: 'true_false', category: 'history' },
  { id: 'k5', kind: 'safety' },
  { id: 'k6', format: 'multiple_choice', question: '예시 문제 (dev)' },
  { id: 'a1', language: 'ar', format: 'multiple_choice', question: 'ما هو الطبق الوطني؟' },
  { id: 'a2', language: 'ar', format: 'short_answer', question: 'سؤال =1+1 "مقتبس"' },
];

describe('Parquet files of a release', { timeout: 30_000 }, () => {
  let t: TestContext;
  let imp: Importer;
  let dir: string;
  let slug: string;
  let datasetId: number;
  const bearer = () => ({ Authorization: `Bearer ${imp.token}` });
  const cut = async (version: string): Promise<Release> => {
    const res = await settled(
      t.app,
      bearer(),
      request(t.app).post('/api/releases').set(bearer()).send({ datasetId, version, title: version }),
    );
    expect(res.body.state, res.text).toBe('published');
    return res.body as Release;
  };
  const filesOf = (version: string) => {
    const [home] = readdirSync(join(dir, slug)).filter((n) => n.startsWith(`${version}~`));
    return readTree(join(dir, slug, home, `${slug}-${version}`));
  };
  /** Marks the item with this question as a few-shot exemplar, through the API. */
  const markDev = async (question: string) => {
    const list = await request(t.app).get(`/api/items?dataset=${datasetId}&pageSize=200`).set(bearer());
    const item = (list.body.items as { id: number; question: string }[]).find(
      (i) => i.question === question,
    )!;
    const res = await request(t.app).put(`/api/items/${item.id}/split`).set(bearer()).send({ split: 'dev' });
    expect(res.status, res.text).toBe(200);
    return item.id;
  };

  beforeEach(async () => {
    dir = tempDir();
    t = await createTestContext({ releasesDir: dir });
    const dataset = await addDataset(t);
    datasetId = dataset.id;
    slug = dataset.slug;
    imp = await importer(t, datasetId);
    const res = await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv(SAMPLE));
    expect(res.status).toBe(202);
  });

  it('writes each config and split as Parquet in the Hub layout, and every record reads back equal to the JSONL', async () => {
    await markDev('예시 문제 (dev)');
    const files = filesOf((await cut('1.0.0')).version);
    const parquet = [...files.keys()].filter((p) => p.endsWith('.parquet'));
    expect(parquet).toEqual([
      'data/ar/test-00000-of-00001.parquet',
      'data/ko/dev-00000-of-00001.parquet',
      'data/ko/test-00000-of-00001.parquet',
    ]);
    let compared = 0;
    for (const path of parquet) {
      const split = path.includes('/dev-') ? 'dev' : 'test';
      const records = jsonl(files.get(path.replace(/[a-z]+-00000-of-00001\.parquet$/, `${split}.jsonl`))!);
      expect(records.length, path).toBeGreaterThan(0);
      expect(rowsOf(readTable(files.get(path)!)), path).toEqual(records);
      compared += records.length;
    }
    expect(compared).toBe(SAMPLE.length);

    // The exemplar's harness view is a dev file of its own, and the language's lm-eval task takes its few-shot
    // examples from it; a language without exemplars has no fewshot_split.
    const questions = (path: string) =>
      jsonl(files.get(path)!).map((r) => (r as { question: string }).question);
    expect(questions('harness/mcq/ko.dev.jsonl')).toEqual(['예시 문제 (dev)']);
    expect(questions('harness/mcq/ko.jsonl')).toEqual(['ko question k3']);
    const task = (suffix: string) =>
      files
        .get([...files.keys()].find((p) => p.startsWith('harness/lm-eval/') && p.endsWith(suffix))!)!
        .toString();
    expect(task('_mcq_ko.yaml')).toMatch(
      /^ {4}test: "?harness\/mcq\/ko\.jsonl"?\n {4}dev: "?harness\/mcq\/ko\.dev\.jsonl"?$/m,
    );
    expect(task('_mcq_ko.yaml')).toMatch(/^test_split: test\nfewshot_split: dev$/m);
    expect(task('_mcq_ar.yaml')).not.toContain('fewshot_split');
  });

  it('types every column as the card declares it: strings, int64, float64, bool, structs and lists', async () => {
    const files = filesOf((await cut('1.0.0')).version);
    // Without exemplars: no dev file anywhere, and no dev split in the card.
    expect([...files.keys()].filter((p) => /(^|[/.])dev[.-]/.test(p))).toEqual([]);
    expect(files.get('README.md')!.toString('utf8')).not.toMatch(/split: "?dev/);
    const table = readTable(files.get('data/ko/test-00000-of-00001.parquet')!);
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toEqual({
      id: 'Utf8',
      language: 'Utf8',
      locale: 'Struct<{country:Utf8, region:Utf8}>',
      kind: 'Utf8',
      format: 'Utf8',
      question: 'Utf8',
      question_en: 'Utf8',
      context: 'Utf8',
      choices: 'List<Utf8>',
      answer_index: 'Int64',
      answer: 'Bool',
      reference_answer: 'Utf8',
      answer_en: 'Utf8',
      accepted_answers: 'List<Utf8>',
      rationale: 'Utf8',
      sources: 'List<Struct<{url:Utf8, title:Utf8}>>',
      category: 'Utf8',
      tags: 'List<Utf8>',
      difficulty: 'Utf8',
      safety: 'Struct<{hazard:Utf8, attack_style:Utf8, expected_behavior:Utf8}>',
      origin: 'Struct<{benchmark:Utf8, file:Utf8, row:Int64, id:Utf8}>',
      license: 'Utf8',
      metadata: 'Utf8',
      annotation: 'Struct<{validations:Int64, agreement:Float64, resolution:Utf8}>',
      release: 'Utf8',
      split: 'Utf8',
    });
  });

  it('reads back a file of two row groups (6,000 records: ROW_GROUP is 5,000) record for record', () => {
    const records: DatasetRecord[] = [];
    for (let i = 0; i < 6_000; i++) {
      const format = (['open_ended', 'short_answer', 'multiple_choice', 'true_false'] as const)[i % 4];
      const item = {
        ...emptyItemFields({ language: 'ko', kind: 'culture', format }),
        uid: `ko-${String(i).padStart(6, '0')}`,
        country: 'KR',
        region: i % 3 === 0 ? '서울' : null,
        question: `질문 ${i} — سؤال`,
        referenceAnswer: `답 ${i}`,
        acceptedAnswers: [`답 ${i}`, `${i}`],
        options: ['가', '나', '다', `라 ${i}`],
        correctIndex: i % 4,
        trueFalseAnswer: i % 2 === 0,
        sources: i % 5 === 0 ? [{ url: `https://example.org/${i}`, title: `출처 ${i}` }] : [],
        primaryCategory: 'tradition/food',
        secondaryTags: i % 7 === 0 ? ['history'] : [],
      };
      const annotation = { validations: 3, agreement: i % 2 === 0 ? 1 : 0.5, resolution: null };
      records.push(checkedRecord(item, annotation, '2.0.0', 'cc-by-4.0'));
    }
    const rows = rowsOf(readTable(parquetBytes(records)));
    expect(rows).toHaveLength(6_000);
    // Through JSON, as a reader of the JSONL would see each record.
    expect(rows).toEqual(records.map((r) => JSON.parse(JSON.stringify(r)) as unknown));
  }, 60_000);
});

describe('PUT /api/items/:id/split', { timeout: 30_000 }, () => {
  let t: TestContext;
  let imp: Importer;
  let dir: string;
  let datasetId: number;
  let slug: string;

  beforeEach(async () => {
    dir = tempDir();
    t = await createTestContext({ releasesDir: dir });
    const dataset = await addDataset(t);
    datasetId = dataset.id;
    slug = dataset.slug;
    imp = await importer(t, datasetId);
    await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv(SAMPLE.slice(0, 3)));
  });

  const firstItem = async () => {
    const list = await request(t.app)
      .get(`/api/items?dataset=${datasetId}&sort=id_asc`)
      .set('Authorization', `Bearer ${imp.token}`);
    return list.body.items[0] as { id: number; uid: string; version: number };
  };

  it('marks an item as a few-shot exemplar and back, without a revision or a new version', async () => {
    const item = await firstItem();
    const put = (split: string) =>
      request(t.app)
        .put(`/api/items/${item.id}/split`)
        .set('Authorization', `Bearer ${imp.token}`)
        .send({ split });
    const res = await put('dev');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ id: item.id, uid: item.uid, split: 'dev', version: item.version });
    const view = await request(t.app)
      .get(`/api/items/${item.id}`)
      .set('Authorization', `Bearer ${imp.token}`);
    expect(view.body).toMatchObject({ split: 'dev', version: item.version });
    const history = await request(t.app)
      .get(`/api/items/${item.id}/revisions`)
      .set('Authorization', `Bearer ${imp.token}`);
    expect(JSON.stringify(history.body)).not.toContain('"split"');
    expect((await put('test')).body.split).toBe('test');
  });

  it('refuses a split that is not test or dev with 400, and an unknown item with 404', async () => {
    const item = await firstItem();
    const bad = await request(t.app)
      .put(`/api/items/${item.id}/split`)
      .set('Authorization', `Bearer ${imp.token}`)
      .send({ split: 'train' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid-input');
    const unknown = await request(t.app)
      .put('/api/items/99999/split')
      .set('Authorization', `Bearer ${imp.token}`)
      .send({ split: 'dev' });
    expect(unknown.status).toBe(404);
  });

  it('sends an exemplar to the dev split of the next release in every format, and no longer to test', async () => {
    const item = await firstItem();
    await request(t.app)
      .put(`/api/items/${item.id}/split`)
      .set('Authorization', `Bearer ${imp.token}`)
      .send({ split: 'dev' });
    const res = await settled(
      t.app,
      { Authorization: `Bearer ${imp.token}` },
      request(t.app)
        .post('/api/releases')
        .set('Authorization', `Bearer ${imp.token}`)
        .send({ datasetId, version: '1.0.0', title: 'With exemplars' }),
    );
    expect(res.body.state, res.text).toBe('published');
    const [home] = readdirSync(join(dir, slug)).filter((n) => n.startsWith('1.0.0~'));
    const files = readTree(join(dir, slug, home, `${slug}-1.0.0`));
    const ids = (path: string) => jsonl(files.get(path)!).map((r) => (r as { id: string }).id);
    expect(ids('data/ko/dev.jsonl')).toEqual([item.uid]);
    expect(ids('data/ko/test.jsonl')).not.toContain(item.uid);
    expect(ids('data/ko/test.jsonl')).toHaveLength(2);
    expect(jsonl(files.get('data/ko/dev.jsonl')!)[0]).toMatchObject({ id: item.uid, split: 'dev' });
    const csv = (path: string) => files.get(path)!.toString('utf8').split('\r\n').filter(Boolean);
    expect(csv('csv/dev.csv')).toHaveLength(2); // header + the exemplar
    expect(csv('csv/dev.csv')[1]).toContain(item.uid);
    expect(csv('csv/test.csv').join('\n')).not.toContain(item.uid);
    expect(rowsOf(readTable(files.get('data/ko/dev-00000-of-00001.parquet')!))).toEqual(
      jsonl(files.get('data/ko/dev.jsonl')!),
    );
    // The card declares the dev split in the default config and in the language's, so load_dataset finds it.
    const card = files.get('README.md')!.toString('utf8');
    const q = '"?';
    expect(card).toMatch(new RegExp(`- split: ${q}dev${q}\\n {4}path: ${q}data/\\*/dev\\.jsonl${q}\\n`));
    expect(card).toMatch(new RegExp(`- split: ${q}dev${q}\\n {4}path: ${q}data/ko/dev\\.jsonl${q}\\n`));
  });
});
