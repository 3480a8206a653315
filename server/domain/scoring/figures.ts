/**
 * The report's figures: proportions with their Wilson score interval, means of ratings with their percentile
 * bootstrap interval, each marked with its source and whether its n is too small to read.
 */
import { SMALL_SAMPLE, type Figure, type FigureSource } from '../../../schema/scoring.ts';
import { wilsonInterval } from '../statistics/wilson.ts';
import { meanEstimate } from './bootstrap.ts';

/** k of n with its 95% Wilson interval; all null for n = 0. */
export function proportionFigure(k: number, n: number, source: FigureSource): Figure {
  const smallSample = n < SMALL_SAMPLE;
  if (n === 0) return { value: null, low: null, high: null, n, interval: 'wilson', source, smallSample };
  const { low, high } = wilsonInterval(k, n);
  return { value: k / n, low, high, n, interval: 'wilson', source, smallSample };
}

/** The mean of `values` with its seeded 95% percentile-bootstrap interval. */
export function meanFigure(
  values: readonly number[],
  resamples: number,
  seed: number,
  source: FigureSource,
): Figure {
  return {
    ...meanEstimate(values, resamples, seed),
    interval: 'bootstrap',
    source,
    smallSample: values.length < SMALL_SAMPLE,
  };
}
