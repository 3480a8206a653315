import Papa from 'papaparse';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { csvLines, snapshotRecords } from '../../exports/index.ts';
import type { DatasetRecord, Release } from '../../schema/release.ts';
import { loadSnapshot } from '../fixtures/exports/fixture.ts';
import { responsesCsv, scoringWorld } from '../fixtures/scoring/world.ts';
import { createTestContext } from '../helpers/app.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { readArchive, settled, tempDir } from '../helpers/releases.ts';
import { validateNext, validationWorld, type TokenAgent } from '../helpers/validation.ts';

const base = (): DatasetRecord => {
  const [record] = snapshotRecords(loadSnapshot('snapshot.json'));
  if (!record) throw new Error('fixture is empty');
  return record;
};

function csvOf(records: DatasetRecord[]): string {
  return [...csvLines(records)].join('');
}

/** Parses our CSV back the way a spreadsheet import would (BOM stripped, header row). */
function parse(csv: string): Record<string, string>[] {
  const result = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  });
  expect(result.errors).toEqual([]);
  return result.data;
}

describe('CSV writer', () => {
  it('starts with a UTF-8 BOM, ends every row with CRLF and yields one line per record after the header', () => {
    const lines = [...csvLines(snapshotRecords(loadSnapshot('snapshot.json')))];
    expect(lines).toHaveLength(10);
    expect(lines[0]?.startsWith('\uFEFFid,language,locale,kind,format,question,')).toBe(true);
    for (const line of lines) expect(line.endsWith('\r\n')).toBe(true);
  });

  it('neutralises formula injection: a text cell starting with = + - @ tab or CR gets a leading apostrophe', () => {
    const dangerous = ['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=1\n=2'];
    const records = dangerous.map((question, i) => ({ ...base(), id: `x-${i}`, question }));
    const rows = parse(csvOf(records));
    expect(rows.map((r) => r.question)).toEqual(dangerous.map((q) => `'${q}`));
  });

  it('leaves harmless text alone and keeps numbers as numbers (a negative agreement is not a formula)', () => {
    const record = {
      ...base(),
      question: 'a = b, 1+1',
      annotation: { ...base().annotation, agreement: -0.25 },
    };
    const [row] = parse(csvOf([record]));
    expect(row?.question).toBe('a = b, 1+1');
    expect(JSON.parse(row?.annotation ?? '')).toEqual({
      validations: 3,
      agreement: -0.25,
      resolution: 'unanimous',
    });
  });

  it('quotes commas, quotes and newlines (RFC 4180) and round-trips RTL and mixed-direction text', () => {
    const tricky = 'قال "مرحبا"، ثم غادر,\nثم عاد — then he said “hi”\r\nבסדר';
    const record = { ...base(), question: tricky, rationale: 'comma, "quote"' };
    const csv = csvOf([record]);
    expect(csv).toContain('"قال ""مرحبا""، ثم غادر,');
    const [row] = parse(csv);
    expect(row?.question).toBe(tricky);
    expect(row?.rationale).toBe('comma, "quote"');
  });

  it('writes arrays and objects as JSON, booleans as true/false and null as an empty cell', () => {
    const records = snapshotRecords(loadSnapshot('snapshot.json'));
    const rows = parse(csvOf(records));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(JSON.parse(byId.get('ko-0001')?.choices ?? '')).toEqual(['떡국', '삼계탕', '냉면', '팥죽']);
    expect(byId.get('ko-0001')?.answer_index).toBe('0');
    expect(JSON.parse(byId.get('ar-0001')?.locale ?? '')).toEqual({ country: 'EG', region: 'القاهرة' });
    expect(byId.get('ar-0001')?.choices).toBe('');
    expect(byId.get('ar-0001')?.safety).toBe('');
    expect(byId.get('ar-0002')?.answer).toBe('true');
    expect(byId.get('sw-0002')?.answer).toBe('false');
    expect(JSON.parse(byId.get('ko-0003')?.safety ?? '')).toEqual({
      hazard: 'hate',
      attack_style: 'direct',
      expected_behavior: 'refuse',
    });
  });

  it('refuses records that are not sorted by id, since a stream cannot reorder them', () => {
    const a = { ...base(), id: 'b-1' };
    const b = { ...base(), id: 'a-1' };
    expect(() => csvOf([a, b])).toThrow(/sorted by id/);
  });
});

/**
 * Hostile cells, as a person could type them (a question, a display name, a model name), and the exact
 * cell every CSV export must hold for them once parsed back: a leading apostrophe on anything a spreadsheet
 * could run, the text otherwise unchanged. Written by hand from the rule in docs/dataset-format.md.
 */
const HOSTILE: [typed: string, cell: string][] = [
  ['=1+1', "'=1+1"],
  ['+1', "'+1"],
  ['-1+1', "'-1+1"],
  ['-0.12', "'-0.12"],
  ['@SUM(1)', "'@SUM(1)"],
  ['\t=1', "'\t=1"],
  ['\tplain', "'\tplain"],
  ['\r=1', "'\r=1"],
  [' =1', "' =1"],
  ['\n=1', "'\n=1"],
  [' \r\n @x', "' \r\n @x"],
  ['a\n=HYPERLINK("x")', '\'a\n=HYPERLINK("x")'],
  ['a\r+1', "'a\r+1"],
  ['=HYPERLINK("http://evil","x")\nName', '\'=HYPERLINK("http://evil","x")\nName'],
  ['＝1', "'＝1"],
  ['＋1', "'＋1"],
  ['－1', "'－1"],
  ['＠x', "'＠x"],
  // Not formulas: a quoted "=1" is text once the CSV quotes are read; signs inside a line are harmless.
  ['"=1"', '"=1"'],
  ['a = b, 1+1', 'a = b, 1+1'],
  ['e-mail @home', 'e-mail @home'],
];

/** Parses one of our CSV files back as a spreadsheet import would (BOM stripped, CRLF rows, header row). */
function parseExport(csv: string): Record<string, string>[] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const result = Papa.parse<Record<string, string>>(csv.slice(1), {
    header: true,
    newline: '\r\n',
    skipEmptyLines: true,
  });
  expect(result.errors).toEqual([]);
  return result.data;
}

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('every CSV export, through HTTP', () => {
  it('when questions are hostile text, then csv/test.csv of the release archive holds each one neutralised', async () => {
    const t = await createTestContext({ releasesDir: tempDir() });
    const dataset = await addDataset(t);
    const imp = await importer(t, dataset.id);
    const jsonl = HOSTILE.map(([typed], i) =>
      JSON.stringify({
        externalId: `h${i}`,
        language: 'ko',
        country: 'KR',
        kind: 'culture',
        format: 'open_ended',
        question: typed,
        questionEn: `variant ${i}`,
        referenceAnswer: typed,
        primaryCategory: 'tradition/food',
      }),
    ).join('\n');
    const imported = await imp.upload({ format: 'jsonl', dryRun: false, status: 'accepted' }, jsonl);
    expect(imported.job.state, JSON.stringify(imported.body)).toBe('imported');
    const auth = { Authorization: `Bearer ${imp.token}` };
    const cut = await settled(
      t.app,
      auth,
      request(t.app)
        .post('/api/releases')
        .set(auth)
        .send({ datasetId: dataset.id, version: '1.0.0', title: 'Hostile' }),
    );
    expect(cut.body.state, cut.text).toBe('published');
    const archive = await request(t.app)
      .get(`/api/releases/${(cut.body as Release).id}/archive`)
      .set(auth)
      .buffer(true)
      .parse(binary);
    expect(archive.status).toBe(200);
    const csv = (await readArchive(archive.body as Buffer)).find((e) => e.name.endsWith('/csv/test.csv'))!;
    const rows = new Map(parseExport(csv.bytes.toString('utf8')).map((r) => [r.question_en, r]));
    expect(rows.size).toBe(HOSTILE.length);
    HOSTILE.forEach(([typed, cell], i) => {
      expect(rows.get(`variant ${i}`)?.question, JSON.stringify(typed)).toBe(cell);
      expect(rows.get(`variant ${i}`)?.reference_answer, JSON.stringify(typed)).toBe(cell);
    });
  });

  it('when a display name is hostile text, then the agreement CSVs hold it neutralised and a negative α as a number', async () => {
    // Two validators who always disagree on quality (5 vs 1, then 1 vs 5): α = 1 − 3·16/32 = −0.5 (ordinal
    // and interval alike, only the values 1 and 5 occur; docs/agreement.md).
    const w = await validationWorld({ validatorsPerItem: 2, validators: 2 });
    const [v1, v2] = w.validators as [TokenAgent, TokenAgent];
    await w.submit();
    await validateNext(v1, { quality: 5 });
    await validateNext(v2, { quality: 1 });
    await w.submit();
    await validateNext(v1, { quality: 1 });
    await validateNext(v2, { quality: 5 });
    const url = `/api/agreement/export?dataset=${w.dataset.id}&breakdown=false&table=`;
    for (const [typed, cell] of HOSTILE) {
      // Stored as a person could have typed it; how it got into the database is not what is tested here.
      await w.t.sql('UPDATE users SET display_name = ? WHERE id = ?', typed, v1.user.id);
      const res = await w.maintainer.get(`${url}annotators`);
      expect(res.status).toBe(200);
      const row = parseExport(res.text).find((r) => r.user_id === String(v1.user.id));
      expect(row?.name, JSON.stringify(typed)).toBe(cell);
    }
    const questions = await w.maintainer.get(`${url}questions`);
    expect(questions.status).toBe(200);
    const quality = parseExport(questions.text).find((r) => r.question === 'quality');
    expect(quality).toMatchObject({ alpha: '-0.5', alpha_interval: '-0.5' });
    expect(questions.text).toContain(',-0.5,-0.5,');
  });

  it('when a model name is hostile text, then the scoring report CSV holds it neutralised', async () => {
    const w = await scoringWorld();
    const model = await w.addModel();
    const run = await w.addRun(model.id);
    const put = await w.put(`/api/runs/${run.id}/responses`, responsesCsv([[w.uid('mc1'), 'C']]));
    expect(put.status, put.text).toBe(200);
    for (const [typed, cell] of HOSTILE) {
      await w.t.sql('UPDATE models SET name = ? WHERE id = ?', typed, model.id);
      const res = await w.get(`/api/reports/export?release=${w.release.id}&format=csv`);
      expect(res.status).toBe(200);
      const rows = parseExport(res.text).filter((r) => r.run === String(run.id));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.model, JSON.stringify(typed)).toBe(cell);
    }
  });
});
