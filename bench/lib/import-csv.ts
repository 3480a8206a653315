// The import benchmarks' CSV: N generated multilingual items of all four formats in the `native` preset's
// columns (bench/import.ts, bench/mixed-load.ts).
import { appendFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { generateItem, prng } from './generate.ts';

export const IMPORT_CSV_COLUMNS = [
  'externalId',
  'language',
  'country',
  'kind',
  'format',
  'question',
  'questionEn',
  'referenceAnswer',
  'acceptedAnswers',
  'options',
  'correctIndex',
  'trueFalseAnswer',
  'primaryCategory',
  'difficulty',
] as const;

/** Writes `n` rows (external ids bench-0 …) to `path`; the same rows for the same `n`. */
export function writeImportCsv(path: string, n: number): void {
  const rand = prng(11);
  writeFileSync(path, Papa.unparse([[...IMPORT_CSV_COLUMNS]], { newline: '\n' }) + '\n');
  let rows: string[][] = [];
  // Written 10k rows at a time: a 1M-row file never sits in memory whole.
  const flush = () => {
    appendFileSync(path, Papa.unparse(rows, { newline: '\n' }) + '\n');
    rows = [];
  };
  for (let i = 0; i < n; i++) {
    const it = generateItem(i, rand, 1, [1]);
    // The generator may repeat an option; the import (rightly) refuses that, so make them distinct.
    const options = [...new Set(it.options.map((o) => o.trim()))];
    while (it.options.length > 0 && options.length < 4) options.push(`option ${options.length + 1}`);
    rows.push([
      `bench-${i}`,
      it.language,
      it.country ?? '',
      it.kind,
      it.format,
      it.question,
      it.questionEn ?? '',
      it.referenceAnswer ?? '',
      it.acceptedAnswers.join('|'),
      options.length ? JSON.stringify(options) : '',
      it.correctIndex === null ? '' : String(it.correctIndex),
      it.trueFalseAnswer === null ? '' : String(it.trueFalseAnswer),
      it.primaryCategory ?? '',
      it.difficulty ?? '',
    ]);
    if (rows.length === 10_000) flush();
  }
  if (rows.length > 0) flush();
}
