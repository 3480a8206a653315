import { beforeEach, describe, expect, it } from 'vitest';
import type { CreateImportRequest, ImportIssue } from '../../schema/import.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer, writtenCounts, type Importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';

const HEADER = 'externalId,language,country,kind,format,question,referenceAnswer,primaryCategory';
const good = (i: number) => `x-${i},ko,KR,culture,open_ended,질문 ${i},답 ${i},tradition/food`;
const csv = (...lines: string[]) => lines.join('\n') + '\n';
const MCQ_HEADER = 'externalId,language,country,kind,format,question,options,correctIndex,primaryCategory';

/** A deterministic stream of bytes that is not UTF-8 text. */
function garbage(n: number): Buffer {
  const out = Buffer.alloc(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s >>> 16) & 0xff;
  }
  out[0] = 0xff; // never valid in UTF-8
  return out;
}

interface BadFile {
  name: string;
  body: Buffer | string;
  options?: Partial<CreateImportRequest>;
  /** The issue the report must contain (matching these keys). */
  expected: Partial<ImportIssue>;
}

const badFiles: BadFile[] = [
  {
    name: 'unterminated quote',
    body: csv(HEADER, good(1), 'x-2,ko,KR,culture,open_ended,"질문 열림,답,tradition/food', good(3)),
    expected: { code: 'unterminated-quote', row: 2, line: 3 },
  },
  {
    name: 'ragged row: too few cells',
    body: csv(HEADER, good(1), 'x-2,ko,KR,culture', good(3)),
    expected: { code: 'ragged-row', row: 2, line: 3 },
  },
  {
    name: 'ragged row: too many cells',
    body: csv(HEADER, good(1), good(2), `${good(3)},extra,cells`),
    expected: { code: 'ragged-row', row: 3, line: 4 },
  },
  {
    name: 'missing required column (question)',
    body: csv('externalId,language,country,kind,format,referenceAnswer', 'x-1,ko,KR,culture,open_ended,답'),
    expected: { code: 'missing-column', field: 'question', row: null },
  },
  {
    name: 'mapped column missing from the file',
    body: csv(HEADER, good(1)),
    options: {
      mapping: {
        columns: {
          externalId: 'externalId',
          language: 'language',
          kind: 'kind',
          format: 'format',
          질문: 'question',
        },
      },
    },
    expected: { code: 'missing-column', column: '질문' },
  },
  {
    name: 'duplicate ids within the file',
    body: csv(HEADER, good(1), good(2), good(1)),
    expected: { code: 'duplicate-id', row: 3, line: 4, field: 'externalId' },
  },
  {
    name: 'unknown taxonomy id',
    body: csv(HEADER, good(1), 'x-2,ko,KR,culture,open_ended,질문,답,tradition/no-such-node'),
    expected: { code: 'unknown-taxonomy-node', row: 2, column: 'primaryCategory' },
  },
  {
    name: 'invalid language tag',
    body: csv(HEADER, 'x-1,ko_KR!,KR,culture,open_ended,질문,답,tradition/food'),
    expected: { code: 'invalid-language', row: 1, line: 2, column: 'language' },
  },
  {
    name: 'MCQ answer out of range',
    body: csv(MCQ_HEADER, 'm-1,ko,KR,culture,multiple_choice,질문,가|나|다|라,7,tradition/food'),
    expected: { code: 'answer-out-of-range', row: 1, column: 'correctIndex' },
  },
  {
    name: 'MCQ answer that is not a number',
    body: csv(MCQ_HEADER, 'm-1,ko,KR,culture,multiple_choice,질문,가|나|다|라,first,tradition/food'),
    expected: { code: 'invalid-answer', row: 1, column: 'correctIndex' },
  },
  { name: 'empty file', body: '', expected: { code: 'empty-file', row: null } },
  { name: 'BOM and nothing else', body: '\uFEFF', expected: { code: 'empty-file' } },
  { name: 'header without rows', body: csv(HEADER), expected: { code: 'empty-file' } },
  { name: 'binary garbage', body: garbage(4096), expected: { code: 'invalid-utf8' } },
  {
    name: 'NUL bytes in otherwise valid UTF-8',
    body: Buffer.concat([Buffer.from(csv(HEADER, good(1))), Buffer.from([0, 0, 0, 1, 2, 3])]),
    expected: { code: 'binary-file' },
  },
  {
    name: 'invalid UTF-8 (Latin-1 text)',
    body: Buffer.concat([
      Buffer.from(csv(HEADER, good(1))),
      Buffer.from('x-2,ko,KR,culture,open_ended,caf\xe9,r,history\n', 'latin1'),
    ]),
    expected: { code: 'invalid-utf8' },
  },
  {
    name: 'file cut inside a UTF-8 character',
    body: Buffer.concat([
      Buffer.from(csv(HEADER, good(1)) + 'x-2,ko,KR,culture,open_ended,질'),
      Buffer.from([0xeb, 0x8b]),
    ]),
    expected: { code: 'invalid-utf8' },
  },
  {
    name: 'a 10 MB cell',
    body: csv(
      HEADER,
      good(1),
      `x-2,ko,KR,culture,open_ended,${'가'.repeat((10 * 1024 * 1024) / 3)},답,tradition/food`,
    ),
    expected: { code: 'too-long', row: 2, column: 'question' },
  },
  {
    name: 'unknown format value',
    body: csv(HEADER, 'x-1,ko,KR,culture,essay,질문,답,tradition/food'),
    expected: { code: 'invalid-value', row: 1, column: 'format' },
  },
  {
    name: 'invalid country code',
    body: csv(HEADER, 'x-1,ko,K1,culture,open_ended,질문,답,tradition/food'),
    expected: { code: 'invalid-value', row: 1, column: 'country' },
  },
  {
    // Country names are read (South Korea → KR), but "Korea" names no one country.
    name: 'country name that is no country',
    body: csv(HEADER, 'x-1,ko,Korea,culture,open_ended,질문,답,tradition/food'),
    expected: { code: 'unknown-country', row: 1, column: 'country' },
  },
  {
    name: 'incomplete item (culture without category)',
    body: csv(HEADER, 'x-1,ko,KR,culture,open_ended,질문,답,'),
    expected: { code: 'required', row: 1, field: 'primaryCategory' },
  },
  {
    name: 'duplicate header column',
    body: csv(`${HEADER},question`, `${good(1)},again`),
    expected: { code: 'duplicate-column', column: 'question' },
  },
  {
    name: 'text after a closing quote',
    body: csv(HEADER, 'x-1,ko,KR,culture,open_ended,"질문"뒤에,답,tradition/food'),
    expected: { code: 'malformed-quotes', row: 1 },
  },
  {
    name: 'JSONL with one broken line',
    body: [
      '{"externalId":"j-1","language":"ko","country":"KR","kind":"culture","format":"open_ended","question":"질문","referenceAnswer":"답","primaryCategory":"history"}',
      '{"externalId":"j-2","language":"ko", BROKEN',
      '{"externalId":"j-3","language":"ko","country":"KR","kind":"culture","format":"open_ended","question":"질문","referenceAnswer":"답","primaryCategory":"history"}',
    ].join('\n'),
    options: { format: 'jsonl' },
    expected: { code: 'invalid-json', row: 2, line: 2 },
  },
  {
    name: 'JSONL line that is not an object',
    body: '["ko","KR"]\n',
    options: { format: 'jsonl' },
    expected: { code: 'not-an-object', row: 1, line: 1 },
  },
];

describe('import: the malformed-input corpus', () => {
  let t: TestContext;
  let imp: Importer;
  let datasetId: number;

  beforeEach(async () => {
    t = await createTestContext();
    datasetId = (await addDataset(t)).id;
    imp = await importer(t, datasetId);
    // Something already in the database, so "unchanged" is not trivially "empty".
    const seeded = await imp.upload({ format: 'csv', dryRun: false }, csv(HEADER, good(100)));
    expect(seeded.status).toBe(202);
    expect(seeded.job.state).toBe('imported');
  });

  it('holds at least 20 bad files', () => {
    expect(badFiles.length).toBeGreaterThanOrEqual(20);
  });

  for (const bad of badFiles) {
    it(`when the file has ${bad.name}, then the report says so and nothing is written`, async () => {
      const before = await writtenCounts(t);
      const res = await imp.upload({ format: 'csv', dryRun: false, ...bad.options }, bad.body);
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(202);
      expect(res.job.state).toBe('failed');
      expect(res.job.errorCount).toBeGreaterThan(0);
      expect(res.job.errors).toContainEqual(expect.objectContaining(bad.expected));
      for (const e of res.job.errors) {
        expect(e.message.length).toBeGreaterThan(0);
        expect(e.message.length).toBeLessThan(500);
      }
      expect(await writtenCounts(t)).toEqual(before);
    });
  }

  it('when a file has more problems than the report holds, then it keeps the first 1000 and counts them all', async () => {
    const rows = Array.from(
      { length: 1500 },
      (_, i) => `y-${i},ko,KR,culture,open_ended,질문,답,no-such-node`,
    );
    const res = await imp.upload({ format: 'csv', dryRun: true }, csv(HEADER, ...rows));
    expect(res.status).toBe(202);
    expect(res.job.errorCount).toBe(1500);
    expect(res.job.errors).toHaveLength(1000);
    expect(res.job.errors[999]).toMatchObject({ row: 1000, line: 1001 });
  });

  it('when a quoted cell spans lines, then later rows report the line they start on', async () => {
    const res = await imp.upload(
      { format: 'csv', dryRun: true },
      csv(
        HEADER,
        'x-1,ko,KR,culture,open_ended,"첫 줄\n둘째 줄\n셋째 줄",답,tradition/food',
        'x-2,ko_!,KR,culture,open_ended,질문,답,history',
      ),
    );
    expect(res.job.errors).toEqual([expect.objectContaining({ row: 2, line: 5, code: 'invalid-language' })]);
  });
});

describe('import: files that look odd but are fine', () => {
  let t: TestContext;
  let imp: Importer;

  beforeEach(async () => {
    t = await createTestContext();
    imp = await importer(t, (await addDataset(t)).id);
  });

  const variants: [string, Buffer | string, Partial<CreateImportRequest>?][] = [
    ['UTF-8 with BOM and CRLF', '\uFEFF' + [HEADER, good(1), good(2)].join('\r\n') + '\r\n'],
    ['CRLF without BOM', [HEADER, good(1), good(2)].join('\r\n')],
    ['BOM with LF and trailing blank lines', '\uFEFF' + csv(HEADER, good(1), good(2)) + '\n\n'],
    [
      'quoted multi-line cells (CRLF inside)',
      [
        HEADER,
        'x-1,ko,KR,culture,open_ended,"첫 줄\r\n둘째 줄, 쉼표와 ""따옴표""",답,tradition/food',
        good(2),
      ].join('\r\n'),
    ],
    [
      'JSONL with BOM, CRLF and blank lines',
      '\uFEFF' +
        [1, 2]
          .map(
            (i) =>
              `{"externalId":"j-${i}","language":"ko","country":"KR","kind":"culture","format":"open_ended","question":"질문 ${i}","referenceAnswer":"답","primaryCategory":"history"}`,
          )
          .join('\r\n\r\n') +
        '\r\n',
      { format: 'jsonl' },
    ],
  ];

  for (const [name, body, options] of variants) {
    it(`when the file is ${name}, then it imports`, async () => {
      const res = await imp.upload({ format: 'csv', dryRun: false, ...options }, body);
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(202);
      expect(res.job).toMatchObject({ state: 'imported', created: 2, errorCount: 0 });
    });
  }

  it('keeps a multi-line cell exactly, with its line breaks', async () => {
    await imp.upload(
      { format: 'csv', dryRun: false },
      [HEADER, 'x-1,ko,KR,culture,open_ended,"첫 줄\r\n둘째 줄",답,tradition/food'].join('\r\n'),
    );
    expect(await t.sql("SELECT question FROM items WHERE external_id = 'x-1'")).toEqual([
      { question: '첫 줄\r\n둘째 줄' },
    ]);
  });
});
