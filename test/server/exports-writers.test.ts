import { describe, expect, it } from 'vitest';
import {
  buildReleaseFiles,
  canaryString,
  datasetCard,
  jsonlLines,
  sizeCategory,
  snapshotRecords,
  taskCategories,
} from '../../exports/index.ts';
import { uuidV5 } from '../../exports/canary.ts';
import { loadSnapshot } from '../fixtures/exports/fixture.ts';

describe('JSONL writer', () => {
  it('works as a generator: one LF-terminated JSON object per record, nothing buffered', () => {
    const records = snapshotRecords(loadSnapshot('snapshot.json'));
    const lines = jsonlLines(records);
    const first = lines.next();
    expect(first.done).toBe(false);
    expect(first.value).toMatch(/^\{"id":"ar-0001",.*\}\n$/);
    expect([...lines]).toHaveLength(records.length - 1);
  });

  it('escapes U+2028 and U+2029 so no line reader splits a record', () => {
    const [record] = snapshotRecords(loadSnapshot('snapshot.json'));
    if (!record) throw new Error('fixture is empty');
    const [line] = [...jsonlLines([{ ...record, question: 'a\u2028b\u2029c' }])];
    expect(line).toContain('a\\u2028b\\u2029c');
    expect((JSON.parse(line ?? '') as { question: string }).question).toBe('a\u2028b\u2029c');
  });

  it('refuses unsorted or duplicate ids', () => {
    const [a, b] = snapshotRecords(loadSnapshot('snapshot.json'));
    if (!a || !b) throw new Error('fixture is too small');
    expect(() => [...jsonlLines([b, a])]).toThrow(/sorted by id/);
    expect(() => [...jsonlLines([a, a])]).toThrow(/duplicates/);
  });
});

describe('dataset card', () => {
  it('has Hugging Face front matter with languages, license, task and size categories and one config per language', () => {
    const snapshot = loadSnapshot('snapshot.json');
    const card = datasetCard(snapshot, snapshotRecords(snapshot));
    const front = card.split('---\n')[1] ?? '';
    expect(front).toContain('language:\n- "ar"\n- "ko"\n- "sw"\n- "th"\n');
    expect(front).toContain('license: "cc-by-4.0"\n');
    expect(front).toContain(
      'task_categories:\n- "multiple-choice"\n- "question-answering"\n- "text-generation"\n',
    );
    expect(front).toContain('size_categories:\n- "n<1K"\n');
    expect(front).toContain(
      '- config_name: "sw"\n  data_files:\n  - split: "test"\n    path: "data/sw/test.jsonl"\n',
    );
  });

  it('names the Hugging Face size category by record count', () => {
    expect([0, 999, 1_000, 9_999, 10_000, 100_000, 1_000_000].map(sizeCategory)).toEqual([
      'n<1K',
      'n<1K',
      '1K<n<10K',
      '1K<n<10K',
      '10K<n<100K',
      '100K<n<1M',
      '1M<n<10M',
    ]);
  });

  it('lists only the task categories the records serve', () => {
    const records = snapshotRecords(loadSnapshot('snapshot.json'));
    expect(taskCategories(records.filter((r) => r.format === 'multiple_choice'))).toEqual([
      'multiple-choice',
    ]);
    expect(taskCategories(records.filter((r) => r.format === 'true_false'))).toEqual(['question-answering']);
  });

  it('quotes YAML scalars so language codes like "no" stay strings', () => {
    const snapshot = loadSnapshot('snapshot.json');
    const records = snapshotRecords(snapshot).map((r) => ({ ...r, language: 'no' }));
    const card = datasetCard(
      { ...snapshot, dataset: { ...snapshot.dataset, name: 'A: "quoted" #name' } },
      records,
    );
    expect(card).toContain('language:\n- "no"\n');
    expect(card).toContain('pretty_name: "A: \\"quoted\\" #name"\n');
  });

  it('carries a canary derived from the dataset slug only: the same in every version, different per dataset', () => {
    const snapshot = loadSnapshot('snapshot.json');
    const previous = loadSnapshot('previous-snapshot.json');
    const readme = (s: typeof snapshot) =>
      new TextDecoder().decode(buildReleaseFiles(s).find((f) => f.path === 'README.md')?.bytes);
    const canary = canaryString('culture-demo');
    expect(canary).toMatch(
      /^CULTURE-STUDIO CANARY [0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(readme(snapshot)).toContain(canary);
    expect(readme(previous)).toContain(canary);
    expect(canaryString('other-dataset')).not.toBe(canary);
  });

  it('derives UUID v5 exactly as RFC 9562 does (Python uuid5(NAMESPACE_DNS, "python.org"))', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
});

describe('harness views', () => {
  const files = buildReleaseFiles(loadSnapshot('snapshot.json'));
  const text = (path: string) => new TextDecoder().decode(files.find((f) => f.path === path)?.bytes);

  it('holds culture multiple-choice items only in the INCLUDE-shaped view, with the answer as an index', () => {
    const rows = text('harness/mcq/th.jsonl')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toEqual([
      {
        language: 'Thai',
        country: 'Thailand',
        domain: 'tradition',
        subject: 'tradition/holidays',
        regional_feature: null,
        level: null,
        question: 'ในวันสงกรานต์ คนไทยนิยมทำสิ่งใดกับผู้ใหญ่ที่เคารพ?',
        option_a: 'รดน้ำดำหัว',
        option_b: 'ให้อั่งเปา',
        option_c: 'จุดพลุ',
        option_d: 'ลอยกระทง',
        answer: 0,
      },
    ]);
    expect(files.some((f) => f.path === 'harness/mcq/ar.jsonl')).toBe(false);
  });

  it('points each lm-evaluation-harness task at its view file', () => {
    expect(text('harness/lm-eval/culture_demo_1_1_0_mcq_ko.yaml')).toContain('test: "harness/mcq/ko.jsonl"');
    expect(text('harness/lm-eval/culture_demo_1_1_0_short_answer_sw.yaml')).toContain(
      'test: "harness/short_answer/sw.jsonl"',
    );
    // safety items never enter the harness views: they need human rating
    expect(
      files.filter((f) => f.path.startsWith('harness/')).some((f) => text(f.path).includes('ko-0003')),
    ).toBe(false);
  });
});
