import { readFileSync } from 'node:fs';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../schema/item.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer, writtenCounts, type Importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';

/** Files shaped as the benchmarks publish them (field lists from their dataset cards), under test/fixtures/benchmarks. */
const benchmarkFile = (name: string) =>
  readFileSync(new URL(`../fixtures/benchmarks/${name}`, import.meta.url));

describe('POST /api/imports with a benchmark preset', { timeout: 20_000 }, () => {
  let t: TestContext;
  let imp: Importer;
  let datasetId: number;
  const bearer = () => ({ Authorization: `Bearer ${imp.token}` });
  /** The imported items in file order, as GET /api/items/:id gives them. */
  const imported = async (): Promise<Item[]> => {
    const ids = await t.sql<{ id: number }>('SELECT id FROM items ORDER BY id');
    return Promise.all(
      ids.map(async ({ id }) => (await request(t.app).get(`/api/items/${id}`).set(bearer())).body as Item),
    );
  };

  beforeEach(async () => {
    t = await createTestContext();
    datasetId = (await addDataset(t)).id;
    imp = await importer(t, datasetId);
  });

  it('reads a CLIcK JSON file: the paragraph is the context, the answer text its option, and each item keeps its origin', async () => {
    const res = await imp.upload(
      {
        format: 'json',
        preset: 'click',
        fileName: 'Economy_KIIP.json',
        defaults: { primaryCategory: 'society/etiquette', license: 'cc-by-nd-4.0' },
        dryRun: false,
      },
      benchmarkFile('click.json'),
      'application/octet-stream',
    );
    expect(res.job).toMatchObject({ state: 'imported', format: 'json', created: 2, errorCount: 0 });
    const [withPassage, withoutPassage] = await imported();
    expect(withPassage).toMatchObject({
      externalId: 'KIIP_economy_7',
      language: 'ko',
      country: 'KR',
      context: '한국에서는 설날에 가족이 모여 차례를 지내고, 아이들은 어른께 세배를 드린 뒤 세뱃돈을 받는다.',
      question: '위 글에 따르면 아이들이 세배를 드린 뒤 받는 것은?',
      options: ['송편', '세뱃돈', '떡국', '한복'],
      correctIndex: 1,
      notes: null,
      license: 'cc-by-nd-4.0',
      origin: { benchmark: 'click', file: 'Economy_KIIP.json', row: 1, id: 'KIIP_economy_7' },
      metadata: null,
    });
    // An empty paragraph is no passage.
    expect(withoutPassage).toMatchObject({
      externalId: 'KIIP_society_12',
      context: null,
      correctIndex: 1,
      origin: { benchmark: 'click', file: 'Economy_KIIP.json', row: 2, id: 'KIIP_society_12' },
    });
  });

  it('reads a KMMLU CSV file: answers 1–4, and Category and Human Accuracy kept in metadata as written', async () => {
    const res = await imp.upload(
      {
        format: 'csv',
        preset: 'kmmlu',
        fileName: 'Korean-History-test.csv',
        defaults: { primaryCategory: 'history' },
        dryRun: false,
      },
      benchmarkFile('kmmlu.csv'),
    );
    expect(res.job).toMatchObject({ state: 'imported', created: 2, errorCount: 0 });
    const [first, second] = await imported();
    expect(first).toMatchObject({
      externalId: null,
      question: '조선을 건국한 인물은?',
      options: ['이성계', '왕건', '이방원', '정도전'],
      correctIndex: 0,
      notes: null,
      license: 'cc-by-nd-4.0',
      metadata: { Category: 'Korean-History', 'Human Accuracy': '0.8' },
      origin: { benchmark: 'kmmlu', file: 'Korean-History-test.csv', row: 1, id: null },
    });
    expect(second).toMatchObject({
      correctIndex: 1,
      metadata: { Category: 'Korean-History', 'Human Accuracy': '0.9' },
      origin: { row: 2 },
    });
  });

  it('reads an INCLUDE file: language and country names become a tag and a code, and every column is kept', async () => {
    const res = await imp.upload(
      {
        format: 'csv',
        preset: 'include',
        fileName: 'include-base-44.csv',
        // For subjects that name no category of ours.
        defaults: { primaryCategory: 'society' },
        dryRun: false,
      },
      benchmarkFile('include.csv'),
    );
    expect(res.job).toMatchObject({ state: 'imported', created: 3, errorCount: 0 });
    const [korean, hindi, driving] = await imported();
    expect(korean).toMatchObject({
      language: 'ko',
      country: 'KR',
      // regional_feature says how regional the question is; it is not a region.
      region: null,
      primaryCategory: 'history',
      options: ['순종', '고종', '영조', '정조'],
      correctIndex: 0,
      license: 'apache-2.0',
      origin: { benchmark: 'include', file: 'include-base-44.csv', row: 1, id: null },
    });
    expect(korean.metadata).toEqual({
      language: 'Korean',
      country: 'South Korea',
      subject: 'History',
      domain: 'Humanities',
      regional_feature: 'region explicit',
      level: 'High school',
    });
    expect(hindi).toMatchObject({
      language: 'hi',
      country: 'IN',
      primaryCategory: 'geography',
      correctIndex: 1,
    });
    expect(hindi.metadata).toMatchObject({
      language: 'Hindi',
      country: 'India',
      regional_feature: 'region implicit',
    });
    // A subject with no category of ours takes the default; the subject itself stays in metadata.
    expect(driving).toMatchObject({ primaryCategory: 'society', correctIndex: 1 });
    expect(driving.metadata).toMatchObject({
      subject: 'Driving License',
      level: 'Professional certification',
    });
  });

  it('when a language or country name is unknown, then the row is reported with its column and nothing is written', async () => {
    const res = await imp.upload(
      { format: 'csv', preset: 'include', dryRun: false },
      benchmarkFile('include-unknown.csv'),
    );
    expect(res.job.state).toBe('failed');
    expect(res.job.errors).toEqual([
      {
        row: 2,
        line: 3,
        column: 'language',
        field: 'language',
        code: 'unknown-language',
        message: '"Nadsat" is neither a language tag (e.g. ko) nor a language name',
      },
      {
        row: 2,
        line: 3,
        column: 'country',
        field: 'country',
        code: 'unknown-country',
        message: `"Qo'noS" is neither an ISO 3166 country code (e.g. KR) nor a country name`,
      },
    ]);
    expect(await writtenCounts(t)).toEqual({ items: 0, revisions: 0, provenance: 0 });
  });

  it('reads a BLEnD annotation file: every variant is accepted once, and the groups keep their counts and the idks', async () => {
    const res = await imp.upload(
      {
        format: 'json',
        preset: 'blend',
        fileName: 'South_Korea_data.json',
        // BLEnD's files name their country only in the file name.
        defaults: { language: 'Korean', country: 'South Korea', primaryCategory: 'tradition/food' },
        dryRun: false,
      },
      benchmarkFile('blend-KR.json'),
      'application/octet-stream',
    );
    expect(res.job).toMatchObject({ state: 'imported', created: 2, errorCount: 0 });
    const [lunch, newYear] = await imported();
    expect(lunch).toMatchObject({
      externalId: 'Al-en-06',
      language: 'ko',
      country: 'KR',
      kind: 'culture',
      format: 'short_answer',
      questionEn: 'What food is commonly served in school lunches in your country?',
      acceptedAnswers: ['김치', '밥', '쌀밥', '배추김치'],
      license: 'cc-by-sa-4.0',
      origin: { benchmark: 'blend', file: 'South_Korea_data.json', row: 1, id: 'Al-en-06' },
    });
    expect(lunch.metadata).toEqual({
      annotations: [
        { answers: ['김치'], en_answers: ['kimchi'], count: 4 },
        { answers: ['밥', '쌀밥'], en_answers: ['rice'], count: 3 },
        { answers: ['김치', '배추김치'], en_answers: ['cabbage kimchi'], count: 1 },
      ],
      idks: { idk: 0, 'no-answer': 0, 'not-applicable': 0 },
    });
    expect(newYear).toMatchObject({ acceptedAnswers: ['떡국'], origin: { row: 2 } });
    expect(newYear.metadata).toMatchObject({ idks: { idk: 1, 'no-answer': 0, 'not-applicable': 0 } });
  });

  it('when a JSON file is not an array of objects, then the file or the element is reported', async () => {
    const notArray = await imp.upload(
      { format: 'json', preset: 'blend', dryRun: true },
      '{"ID": "x"}',
      'application/octet-stream',
    );
    expect(notArray.job.state).toBe('failed');
    expect(notArray.job.errors).toMatchObject([{ row: null, code: 'not-an-array' }]);
    const element = await imp.upload(
      { format: 'json', preset: 'blend', defaults: { language: 'ko', country: 'KR' }, dryRun: true },
      '[\n  "just text"\n]',
      'application/octet-stream',
    );
    expect(element.job.errors).toMatchObject([{ row: 1, line: 2, code: 'not-an-object' }]);
  });
});
