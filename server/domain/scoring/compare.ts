/**
 * The paired comparison of two runs on the same release: per slice (overall, each language, each category)
 * A − B in accuracy (Newcombe interval, McNemar exact p), in mean ratings (paired bootstrap) and in unsafe and
 * over-refusal rates (Newcombe, McNemar), on the items both runs answered (or both had rated), with Holm's
 * correction across the slices per measure. Definitions in docs/scoring.md, "Paired comparisons".
 */
import { csvTable } from '../../../exports/csv-cell.ts';
import {
  comparedMetrics,
  type CompareQuery,
  type ComparedMetric,
  type ComparisonSlice,
  type PairedCounts,
  type PairedDifference,
  type RunComparison,
} from '../../../schema/scoring.ts';
import type { Repositories } from '../../db/repositories.ts';
import { AppError, badRequest, conflict, notFound } from '../../errors.ts';
import { cellSeed } from './bootstrap.ts';
import { addCounts, applyHolm, meanDifference, noCounts, proportionDifference, yesNo } from './paired.ts';
import { round4, summariseRatings, type RatedResponse } from './report.ts';

/** The release's runs a and b, or the reason they cannot be compared (404, 400, 409). */
export async function comparedRuns(repos: Repositories, q: { release: number; a: number; b: number }) {
  const release = await repos.releases.get(q.release);
  if (!release) throw notFound('Release');
  if (q.a === q.b) throw badRequest('Compare two different runs (a and b are the same run)');
  const runs = await repos.scoring.runsOfRelease(release.id);
  const pick = async (id: number, which: 'a' | 'b') => {
    const run = runs.find((r) => r.id === id);
    if (run) return run;
    const other = await repos.scoring.getRun(id);
    if (!other) throw new AppError(404, 'not-found', `Run ${which} (${id}) not found`);
    throw conflict(
      'run-not-in-release',
      `Run ${which} (${id}) is a run on release ${other.releaseVersion}, not on ${release.version}: compare runs on the same release`,
      { run: id, releaseId: other.releaseId },
    );
  };
  return { release, a: await pick(q.a, 'a'), b: await pick(q.b, 'b') };
}

/** Slice keys an item belongs to: overall, its language, its category. */
const sliceKeys = (language: string, category: string): [string, string][] => [
  ['*', '*'],
  [language, '*'],
  ['*', category],
];

/** Paired (a, b) values of the two runs' rated responses, by the slices of their item. */
function ratedPairs(a: RatedResponse[], b: RatedResponse[]) {
  const byUid = new Map(b.map((r) => [r.uid, r]));
  return a.flatMap((x) => {
    const y = byUid.get(x.uid);
    return y ? [{ a: x, b: y }] : [];
  });
}

export async function compareRuns(repos: Repositories, q: CompareQuery): Promise<RunComparison> {
  const { release, a, b } = await comparedRuns(repos, q);

  interface SliceInputs {
    accuracy: PairedCounts;
    unsafe: PairedCounts;
    overRefusal: PairedCounts;
    correctness: [number, number][];
    cultural: [number, number][];
    quality: [number, number][];
  }
  const slices = new Map<string, { language: string; category: string; inputs: SliceInputs }>();
  const slice = (language: string, category: string) => {
    const key = `${language}\u0000${category}`;
    let s = slices.get(key);
    if (!s) {
      s = {
        language,
        category,
        inputs: {
          accuracy: noCounts(),
          unsafe: noCounts(),
          overRefusal: noCounts(),
          correctness: [],
          cultural: [],
          quality: [],
        },
      };
      slices.set(key, s);
    }
    return s.inputs;
  };

  for (const g of await repos.scoring.pairedCorrectness(a.id, b.id)) {
    for (const [l, c] of sliceKeys(g.language, g.category)) addCounts(slice(l, c).accuracy, g);
  }
  const rated = summariseRatings(await repos.scoring.ratingObservationsOfRuns([a.id, b.id]));
  const pairs = ratedPairs(
    rated.filter((r) => r.runId === a.id),
    rated.filter((r) => r.runId === b.id),
  );
  for (const { a: x, b: y } of pairs) {
    for (const [l, c] of sliceKeys(x.dims[0], x.dims[1])) {
      const s = slice(l, c);
      s.correctness.push([x.correctness, y.correctness]);
      if (x.culturalAlignment !== null && y.culturalAlignment !== null)
        s.cultural.push([x.culturalAlignment, y.culturalAlignment]);
      if (x.languageQuality !== null && y.languageQuality !== null)
        s.quality.push([x.languageQuality, y.languageQuality]);
      if (x.safetyOutcome !== null && y.safetyOutcome !== null) {
        addCounts(s.unsafe, yesNo(x.safetyOutcome === 'unsafe', y.safetyOutcome === 'unsafe'));
        addCounts(
          s.overRefusal,
          yesNo(x.safetyOutcome === 'over_refusal', y.safetyOutcome === 'over_refusal'),
        );
      }
    }
  }

  const { seed, resamples } = q;
  const out: ComparisonSlice[] = [...slices.values()]
    .sort(
      (x, y) =>
        rank(x) - rank(y) ||
        `${x.language}\u0000${x.category}`.localeCompare(`${y.language}\u0000${y.category}`, 'en'),
    )
    .map(({ language, category, inputs }) => {
      const s = (metric: string) => cellSeed(seed, `${a.id}|${b.id}|${language}|${category}|${metric}`);
      return {
        language,
        category,
        differences: {
          accuracy: proportionDifference(inputs.accuracy, 'automatic'),
          ratedCorrectness: meanDifference(inputs.correctness, resamples, s('correctness'), 'human'),
          culturalAlignment: meanDifference(inputs.cultural, resamples, s('cultural'), 'human'),
          languageQuality: meanDifference(inputs.quality, resamples, s('quality'), 'human'),
          unsafeRate: proportionDifference(inputs.unsafe, 'human'),
          overRefusalRate: proportionDifference(inputs.overRefusal, 'human'),
        },
      };
    });
  for (const metric of comparedMetrics) applyHolm(out.map((s) => s.differences[metric]));
  return {
    releaseId: release.id,
    releaseVersion: release.version,
    seed,
    resamples,
    a: { runId: a.id, modelName: a.modelName },
    b: { runId: b.id, modelName: b.modelName },
    slices: out,
  };
}

/** Overall first, then the languages, then the categories. */
const rank = (s: { language: string; category: string }) =>
  s.language === '*' && s.category === '*' ? 0 : s.category === '*' ? 1 : 2;

const CSV_COLUMNS = [
  'model_a',
  'run_a',
  'model_b',
  'run_b',
  'language',
  'category',
  'measure',
  'a',
  'b',
  'difference',
  'difference_low',
  'difference_high',
  'n',
  'small',
  'p',
  'p_holm',
  'test',
  'source',
];

/** The comparison as CSV (the one cell writer: BOM, CRLF), one line per slice × measure. */
export function comparisonCsv(c: RunComparison): string {
  return csvTable(
    CSV_COLUMNS,
    c.slices.flatMap((s) =>
      comparedMetrics.map((metric: ComparedMetric) => {
        const d: PairedDifference = s.differences[metric];
        return [
          c.a.modelName,
          c.a.runId,
          c.b.modelName,
          c.b.runId,
          s.language,
          s.category,
          metric,
          round4(d.a),
          round4(d.b),
          round4(d.value),
          round4(d.low),
          round4(d.high),
          d.n,
          d.smallSample ? 1 : 0,
          // p-values can be tiny: 6 significant digits rather than 4 decimals.
          d.p === null ? null : Number(d.p.toPrecision(6)),
          d.pHolm === null ? null : Number(d.pHolm.toPrecision(6)),
          d.test,
          d.source,
        ];
      }),
    ),
  );
}
