import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { buildReleaseFiles, snapshotRecords, toRecord } from '../../exports/index.ts';
import { emptyItemFields } from '../../schema/item.ts';
import { datasetRecordKeys, releaseSnapshotSchema, type ReleaseItemFields } from '../../schema/release.ts';
import { loadSnapshot } from '../fixtures/exports/fixture.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../schema/dataset-record.schema.json', import.meta.url), 'utf8'),
) as { required: string[]; properties: Record<string, unknown> };
// ajv-formats is CommonJS; under NodeNext its callable lives on .default.
const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(schema);

const annotation = { validations: 3, agreement: 0.5, resolution: 'unanimous' as const };

function cultureItem(overrides: Partial<ReleaseItemFields>): ReleaseItemFields {
  return {
    ...emptyItemFields({ language: 'ko', kind: 'culture', format: 'open_ended' }),
    uid: 'ko-9999',
    country: 'KR',
    question: '질문',
    referenceAnswer: '답',
    primaryCategory: 'tradition/food',
    ...overrides,
  };
}

describe('canonical dataset record', () => {
  it('every record of the fixture release validates against schema/dataset-record.schema.json', () => {
    const files = buildReleaseFiles(loadSnapshot('snapshot.json'));
    const lines = files
      .filter((f) => f.path.startsWith('data/') && f.path.endsWith('.jsonl'))
      .flatMap((f) => new TextDecoder().decode(f.bytes).split('\n').filter(Boolean));
    expect(lines).toHaveLength(9);
    for (const line of lines) {
      const record: unknown = JSON.parse(line);
      expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('serialises keys in the documented order, which is also the order the JSON Schema lists', () => {
    const [record] = snapshotRecords(loadSnapshot('snapshot.json'));
    expect(Object.keys(record ?? {})).toEqual([...datasetRecordKeys]);
    expect(schema.required).toEqual([...datasetRecordKeys]);
    expect(Object.keys(schema.properties)).toEqual([...datasetRecordKeys]);
  });

  it('keeps only the answer fields of the item format, so leftovers from a format change never leak', () => {
    const trueFalse = cultureItem({
      format: 'true_false',
      trueFalseAnswer: false,
      options: ['남은 선택지', '또 하나'],
      correctIndex: 1,
      acceptedAnswers: ['남은 답'],
    });
    const record = toRecord(trueFalse, annotation, '2.0.0', 'cc-by-4.0');
    expect(record).toMatchObject({
      answer: false,
      choices: null,
      answer_index: null,
      accepted_answers: null,
    });
    expect(validate(record)).toBe(true);

    const mcq = toRecord(
      cultureItem({
        format: 'multiple_choice',
        options: ['가', '나', '다'],
        correctIndex: 2,
        trueFalseAnswer: true,
      }),
      annotation,
      '2.0.0',
      'cc-by-4.0',
    );
    expect(mcq).toMatchObject({ choices: ['가', '나', '다'], answer_index: 2, answer: null });
    expect(validate(mcq)).toBe(true);
  });

  it('turns blank optional text into null and drops internal notes', () => {
    const record = toRecord(
      cultureItem({ questionEn: '', answerEn: '  ', rationale: '', region: '', notes: 'secret' }),
      annotation,
      '2.0.0',
      'cc-by-4.0',
    );
    expect(record).toMatchObject({
      question_en: null,
      answer_en: null,
      rationale: null,
      locale: { region: null },
    });
    expect(JSON.stringify(record)).not.toContain('secret');
  });

  it('refuses an item that would not pass submission (a release holds accepted items only)', () => {
    expect(() => toRecord(cultureItem({ country: null }), annotation, '1.0.0', 'cc-by-4.0')).toThrow(
      /ko-9999.*country/,
    );
    const safety = { ...cultureItem({ kind: 'safety' }), hazard: null };
    expect(() => toRecord(safety, annotation, '1.0.0', 'cc-by-4.0')).toThrow(/hazard/);
  });

  it('the schema rejects records that break the format rules', () => {
    const good = toRecord(cultureItem({}), annotation, '1.0.0', 'cc-by-4.0');
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, format: 'multiple_choice' })).toBe(false); // no choices
    expect(
      validate({ ...good, safety: { hazard: 'hate', attack_style: 'direct', expected_behavior: 'refuse' } }),
    ).toBe(false); // culture item with a safety block
    expect(validate({ ...good, reference_answer: null })).toBe(false); // culture open_ended needs a reference
    expect(validate({ ...good, extra: 1 })).toBe(false);
    const { release: _omitted, ...withoutRelease } = good;
    expect(validate(withoutRelease)).toBe(false);
  });

  it('a snapshot with unknown keys, a bad version or a bad date is refused by the snapshot schema', () => {
    const raw = JSON.parse(
      readFileSync(new URL('../fixtures/exports/snapshot.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    expect(releaseSnapshotSchema.safeParse(raw).success).toBe(true);
    expect(releaseSnapshotSchema.safeParse({ ...raw, version: 'v1' }).success).toBe(false);
    expect(releaseSnapshotSchema.safeParse({ ...raw, releasedAt: '2025-13-01' }).success).toBe(false);
    expect(releaseSnapshotSchema.safeParse({ ...raw, generatedAt: Date.now() }).success).toBe(false);
  });

  it('refuses a snapshot holding the same item twice', () => {
    const snapshot = loadSnapshot('snapshot.json');
    const first = snapshot.items[0];
    if (!first) throw new Error('fixture is empty');
    expect(() => buildReleaseFiles({ ...snapshot, items: [...snapshot.items, first] })).toThrow(/duplicates/);
  });
});
