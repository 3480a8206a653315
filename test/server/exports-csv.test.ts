import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvLines, snapshotRecords } from '../../exports/index.ts';
import type { DatasetRecord } from '../../schema/release.ts';
import { loadSnapshot } from '../fixtures/exports/fixture.ts';

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
