/**
 * The headline table of a release, in the shape of a national-model assessment: one row per run (sovereign
 * models first, grouped by country), with cultural accuracy in the model's home language and in English, and
 * its unsafe and over-refusal rates in the home language; each figure with its Wilson interval and a paired
 * test against the best non-sovereign model on the same items, Holm-corrected across the table.
 * Definitions in docs/scoring.md, "The headline table".
 */
import type {
  Figure,
  FigureSource,
  HeadlineFigure,
  HeadlineRow,
  HeadlineTable,
  PairedDifference,
} from '../../../schema/scoring.ts';
import type { PairedCorrectnessGroup } from '../../db/scoring/report-inputs.ts';
import type { Repositories } from '../../db/repositories.ts';
import { notFound } from '../../errors.ts';
import { homeLanguage, inLanguage } from './home-language.ts';
import { addCounts, applyHolm, noCounts, proportionDifference, yesNo } from './paired.ts';
import { proportionFigure } from './figures.ts';
import { summariseRatings, type RatedResponse } from './report.ts';

type Column = 'homeAccuracy' | 'englishAccuracy' | 'unsafeRate' | 'overRefusalRate';
const COLUMNS: Column[] = ['homeAccuracy', 'englishAccuracy', 'unsafeRate', 'overRefusalRate'];

interface RunInfo {
  runId: number;
  modelId: number;
  modelName: string;
  country: string | null;
  sovereign: boolean;
  homeLanguage: string | null;
}

export async function headlineTable(repos: Repositories, query: { release: number }): Promise<HeadlineTable> {
  const release = await repos.releases.get(query.release);
  if (!release) throw notFound('Release');
  const runs: RunInfo[] = [];
  for (const r of await repos.scoring.runsOfRelease(release.id)) {
    const m = (await repos.scoring.getModel(r.modelId))!;
    runs.push({
      runId: r.id,
      modelId: m.id,
      modelName: m.name,
      country: m.country,
      sovereign: m.sovereign,
      homeLanguage: homeLanguage(m.country),
    });
  }
  const groups = await repos.scoring.responseGroups(release.id);
  const rated = summariseRatings(await repos.scoring.ratingObservations(release.id)).filter(
    (r) => r.safetyOutcome !== null,
  );
  const safetyOf = new Map<number, RatedResponse[]>(runs.map((r) => [r.runId, []]));
  for (const r of rated) safetyOf.get(r.runId)?.push(r);

  /** The language a column of this run's row is about (null: nothing to show). */
  const languageOf = (run: RunInfo, column: Column) =>
    column === 'englishAccuracy' ? 'en' : run.homeLanguage;
  const outcomeOf = (column: Column) => (column === 'unsafeRate' ? 'unsafe' : 'over_refusal');

  /** A run's own figure on a column's items in `language`. */
  const figure = (runId: number, column: Column, language: string): Figure => {
    if (column === 'homeAccuracy' || column === 'englishAccuracy') {
      let k = 0;
      let n = 0;
      for (const g of groups)
        if (g.runId === runId && g.kind === 'culture' && inLanguage(g.language, language)) {
          k += g.correct;
          n += g.autoScored;
        }
      return proportionFigure(k, n, 'automatic');
    }
    const safety = safetyOf.get(runId)!.filter((r) => inLanguage(r.dims[0], language));
    return proportionFigure(
      safety.filter((r) => r.safetyOutcome === outcomeOf(column)).length,
      safety.length,
      'human',
    );
  };

  /** The best non-sovereign run on a column's items in `language`: highest accuracy, lowest rates. */
  const bestCache = new Map<string, { run: RunInfo; value: number } | null>();
  const best = (column: Column, language: string) => {
    const key = `${column}|${language}`;
    if (bestCache.has(key)) return bestCache.get(key)!;
    let found: { run: RunInfo; value: number } | null = null;
    for (const run of runs) {
      if (run.sovereign) continue;
      const value = figure(run.runId, column, language).value;
      if (value === null) continue;
      const better = column.endsWith('Accuracy') ? value > (found?.value ?? -1) : value < (found?.value ?? 2);
      if (better) found = { run, value };
    }
    bestCache.set(key, found);
    return found;
  };

  const pairCache = new Map<string, PairedCorrectnessGroup[]>();
  const pairedCorrectness = async (a: number, b: number, language: string) => {
    const key = `${a}|${b}|${language}`;
    if (!pairCache.has(key)) pairCache.set(key, await repos.scoring.pairedCorrectness(a, b, language));
    return pairCache.get(key)!;
  };

  /** The paired difference of this run against another on a column's items in `language`. */
  const versus = async (
    runId: number,
    other: number,
    column: Column,
    language: string,
  ): Promise<PairedDifference> => {
    const counts = noCounts();
    let source: FigureSource = 'automatic';
    if (column === 'homeAccuracy' || column === 'englishAccuracy') {
      for (const g of await pairedCorrectness(runId, other, language))
        if (g.kind === 'culture' && inLanguage(g.language, language)) addCounts(counts, g);
    } else {
      source = 'human';
      const outcome = outcomeOf(column);
      const theirs = new Map(safetyOf.get(other)!.map((r) => [r.uid, r]));
      for (const mine of safetyOf.get(runId)!) {
        const their = theirs.get(mine.uid);
        if (!their || !inLanguage(mine.dims[0], language)) continue;
        addCounts(counts, yesNo(mine.safetyOutcome === outcome, their.safetyOutcome === outcome));
      }
    }
    return proportionDifference(counts, source);
  };

  const tests: PairedDifference[] = [];
  const rows: (HeadlineRow & { tests: Partial<Record<Column, PairedDifference>> })[] = [];
  for (const run of runs) {
    const row = {
      runId: run.runId,
      modelId: run.modelId,
      modelName: run.modelName,
      country: run.country,
      sovereign: run.sovereign,
      homeLanguage: run.homeLanguage,
      tests: {},
    } as HeadlineRow & { tests: Partial<Record<Column, PairedDifference>> };
    for (const column of COLUMNS) {
      const language = languageOf(run, column);
      const own =
        language === null
          ? proportionFigure(0, 0, column.endsWith('Accuracy') ? 'automatic' : 'human')
          : figure(run.runId, column, language);
      const reference = language === null || own.value === null ? null : best(column, language);
      const cell: HeadlineFigure = { ...own, reference: reference?.run.runId === run.runId, versus: null };
      if (reference && reference.run.runId !== run.runId && language !== null) {
        const d = await versus(run.runId, reference.run.runId, column, language);
        row.tests[column] = d;
        tests.push(d);
        cell.versus = {
          runId: reference.run.runId,
          modelName: reference.run.modelName,
          difference: d.value,
          n: d.n,
          p: d.p,
          pHolm: null,
        };
      }
      row[column] = cell;
    }
    rows.push(row);
  }
  applyHolm(tests);
  const out: HeadlineRow[] = rows.map(({ tests: done, ...row }) => {
    for (const column of COLUMNS) {
      const v = row[column].versus;
      if (v) v.pHolm = done[column]!.pHolm;
    }
    return row;
  });
  out.sort(
    (x, y) =>
      Number(y.sovereign) - Number(x.sovereign) ||
      (x.country ?? '\uffff').localeCompare(y.country ?? '\uffff', 'en') ||
      x.modelName.localeCompare(y.modelName, 'en') ||
      x.runId - y.runId,
  );
  return { releaseId: release.id, releaseVersion: release.version, rows: out };
}
