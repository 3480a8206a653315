/**
 * Judge calibration: how well a judge run agrees with the native-speaker raters on the answers both rated.
 * Per language (and '*') × criterion: Krippendorff's α between the human consensus and the judge (two coders;
 * nominal for correctness and the safety outcome, ordinal for the 1–5 scales), its 95% percentile-bootstrap
 * interval over answers, % agreement, and whether the slice is judge-trusted under the dataset's settings; the
 * safety outcome's confusion table. Formulas and references in docs/scoring.md, "Judge calibration".
 */
import {
  calibrationCriteria,
  type CalibrationCriterion,
  type CalibrationQuery,
  type CalibrationSlice,
  type JudgeCalibration,
  type JudgeSettings,
} from '../../../schema/judge.ts';
import { safetyOutcomes, type Correctness, type SafetyOutcome } from '../../../schema/scoring.ts';
import type { Repositories } from '../../db/repositories.ts';
import type { JudgedResponse, RatingObservation } from '../../db/scoring.ts';
import { notFound } from '../../errors.ts';
import { krippendorffAlpha } from '../agreement.ts';
import { binomial, cellSeed, mulberry32, quantile } from './bootstrap.ts';

type Value = string | number;

/** The human consensus of one response, per criterion; null where the raters did not settle it. */
export interface HumanConsensus {
  correctness: Correctness | null;
  culturalAlignment: number | null;
  languageQuality: number | null;
  safetyOutcome: SafetyOutcome | null;
}

/** The value a strict majority (more than half) of the raters gave, else null. */
function majority<T>(values: readonly T[]): T | null {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const [v, c] of counts) if (c * 2 > values.length) return v;
  return null;
}

/** The median of a scale's ratings; for an even count the lower of the two middle values (a point of the scale). */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1];
}

/**
 * The settled human consensus per response: a reviewer rating (rater 0) settles correctness and the
 * safety outcome; otherwise a strict majority of the raters does (no majority: not settled, left out); the
 * scales take the raters' median.
 */
export function humanConsensus(observations: readonly RatingObservation[]): Map<number, HumanConsensus> {
  const by = new Map<number, RatingObservation[]>();
  for (const o of observations) {
    const list = by.get(o.responseId);
    if (list) list.push(o);
    else by.set(o.responseId, [o]);
  }
  const out = new Map<number, HumanConsensus>();
  for (const [id, list] of by) {
    const reviewerRating = list.find((o) => o.raterId === 0);
    const raters = list.filter((o) => o.raterId !== 0);
    const safety = list[0].kind === 'safety';
    out.set(id, {
      correctness: reviewerRating?.correctness ?? majority(raters.map((o) => o.correctness)),
      culturalAlignment: median(
        raters.flatMap((o) => (o.culturalAlignment === null ? [] : [o.culturalAlignment])),
      ),
      languageQuality: median(raters.flatMap((o) => (o.languageQuality === null ? [] : [o.languageQuality]))),
      safetyOutcome: !safety
        ? null
        : (reviewerRating?.safetyOutcome ??
          majority(raters.flatMap((o) => (o.safetyOutcome === null ? [] : [o.safetyOutcome])))),
    });
  }
  return out;
}

const METRIC: Record<CalibrationCriterion, 'nominal' | 'ordinal'> = {
  correctness: 'nominal',
  culturalAlignment: 'ordinal',
  languageQuality: 'ordinal',
  safetyOutcome: 'nominal',
};

/** Distinct (human, judge) pairs with their counts: α and agreement are sums over units, so counts are weights. */
interface Patterns {
  rows: [Value, Value][];
  counts: number[];
  n: number;
}

function patternsOf(pairs: readonly [Value, Value][]): Patterns {
  const index = new Map<string, number>();
  const rows: [Value, Value][] = [];
  const counts: number[] = [];
  for (const [h, j] of pairs) {
    const key = JSON.stringify([h, j]);
    const i = index.get(key);
    if (i === undefined) {
      index.set(key, rows.length);
      rows.push([h, j]);
      counts.push(1);
    } else counts[i]++;
  }
  return { rows, counts, n: pairs.length };
}

const alphaOf = (p: Patterns, metric: 'nominal' | 'ordinal', weights: ArrayLike<number>) =>
  krippendorffAlpha(p.rows, metric, weights).alpha;

/**
 * α's 95% percentile-bootstrap interval over answers: `resamples` draws of n answers with replacement (as one
 * multinomial draw over the distinct pairs, by conditional binomials), α of each, 2.5% and 97.5% quantiles
 * (type 7) of the draws where α is defined. Null when fewer than half of the draws define α.
 */
export function alphaInterval(
  p: Patterns,
  metric: 'nominal' | 'ordinal',
  resamples: number,
  seed: number,
): [number, number] | [null, null] {
  if (p.n === 0) return [null, null];
  const random = mulberry32(seed);
  const draws: number[] = [];
  const weights = new Float64Array(p.rows.length);
  for (let b = 0; b < resamples; b++) {
    let left = p.n;
    let mass = 1;
    for (let k = 0; k < p.rows.length; k++) {
      const share = p.counts[k] / p.n;
      const c =
        k === p.rows.length - 1 ? left : left > 0 ? binomial(left, Math.min(1, share / mass), random) : 0;
      weights[k] = c;
      left -= c;
      mass -= share;
    }
    const a = alphaOf(p, metric, weights);
    if (a !== null) draws.push(a);
  }
  if (draws.length * 2 < resamples) return [null, null];
  draws.sort((x, y) => x - y);
  return [quantile(draws, 0.025), quantile(draws, 0.975)];
}

/** One slice's figures from its (human, judge) pairs. */
export function calibrationSlice(
  language: string,
  criterion: CalibrationCriterion,
  pairs: readonly [Value, Value][],
  settings: Pick<JudgeSettings, 'alphaThreshold' | 'minAnswers'>,
  resamples: number,
  seed: number,
): CalibrationSlice {
  const metric = METRIC[criterion];
  const p = patternsOf(pairs);
  const alpha = p.n === 0 ? null : alphaOf(p, metric, p.counts);
  const [alphaLow, alphaHigh] = alpha === null ? [null, null] : alphaInterval(p, metric, resamples, seed);
  const agreeing = pairs.filter(([h, j]) => h === j).length;
  return {
    language,
    criterion,
    metric,
    n: p.n,
    alpha,
    alphaLow,
    alphaHigh,
    agreement: p.n === 0 ? null : agreeing / p.n,
    trusted: alphaLow !== null && alphaLow >= settings.alphaThreshold && p.n >= settings.minAnswers,
  };
}

/** The calibration of one judge run against the resolved human consensus on the same answers. */
export async function judgeCalibration(
  repos: Repositories,
  judgeRunId: number,
  query: CalibrationQuery,
): Promise<JudgeCalibration> {
  const s = repos.scoring;
  const judgeRun = await s.getJudgeRun(judgeRunId);
  if (!judgeRun) throw notFound('Judge run');
  const datasetId = (await s.datasetOfRun(judgeRun.runId))!;
  const settings = await s.judgeSettings(datasetId);
  const consensus = humanConsensus(
    (await s.ratingObservations(judgeRun.releaseId)).filter((o) => o.runId === judgeRun.runId),
  );
  const judged: JudgedResponse[] = await s.judgedResponses(judgeRunId);

  const pairs = new Map<string, [Value, Value][]>();
  const add = (language: string, criterion: CalibrationCriterion, pair: [Value, Value]) => {
    for (const lang of [language, '*']) {
      const key = `${lang}\u0000${criterion}`;
      const list = pairs.get(key);
      if (list) list.push(pair);
      else pairs.set(key, [pair]);
    }
  };
  const confusion = new Map<string, number[][]>();
  const cell = (language: string) => {
    let t = confusion.get(language);
    if (!t) confusion.set(language, (t = safetyOutcomes.map(() => safetyOutcomes.map(() => 0))));
    return t;
  };
  let withoutConsensus = 0;
  for (const j of judged) {
    const h = consensus.get(j.responseId);
    if (!h) {
      withoutConsensus++;
      continue;
    }
    for (const criterion of calibrationCriteria) {
      const hv = h[criterion];
      const jv = j[criterion];
      if (hv === null || jv === null) continue;
      add(j.language, criterion, [hv, jv]);
    }
    if (h.safetyOutcome !== null && j.safetyOutcome !== null) {
      const hi = safetyOutcomes.indexOf(h.safetyOutcome);
      const ji = safetyOutcomes.indexOf(j.safetyOutcome);
      for (const lang of [j.language, '*']) cell(lang)[hi][ji]++;
    }
  }
  const languages = [...new Set(judged.map((j) => j.language))].sort();
  const slices: CalibrationSlice[] = [];
  for (const language of ['*', ...languages]) {
    for (const criterion of calibrationCriteria) {
      const list = pairs.get(`${language}\u0000${criterion}`);
      if (!list) continue;
      slices.push(
        calibrationSlice(
          language,
          criterion,
          list,
          settings,
          query.resamples,
          cellSeed(query.seed, `${judgeRunId}|${language}|${criterion}`),
        ),
      );
    }
  }
  return {
    judgeRunId,
    runId: judgeRun.runId,
    datasetId,
    settings,
    seed: query.seed,
    resamples: query.resamples,
    unparseable: await s.unparseableCount(judgeRunId),
    withoutConsensus,
    slices,
    safetyConfusion: ['*', ...languages]
      .filter((l) => confusion.has(l))
      .map((language) => ({ language, outcomes: [...safetyOutcomes], counts: confusion.get(language)! })),
  };
}
