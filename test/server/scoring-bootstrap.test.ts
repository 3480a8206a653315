import { describe, expect, it } from 'vitest';
import {
  binomial,
  meanEstimate,
  mulberry32,
  proportionEstimate,
  quantile,
} from '../../server/domain/scoring/bootstrap.ts';

/**
 * mulberry32 as published by Tommy Ettinger (2017), written out here rather than imported, so that the seeded
 * hand computations below rest on the published generator and not on the module's copy of it.
 */
function publishedMulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The resample statistics, sorted ascending: `draw(random)` is one resample's statistic. */
function sortedResamples(resamples: number, seed: number, draw: (random: () => number) => number): number[] {
  const random = publishedMulberry32(seed);
  return Array.from({ length: resamples }, () => draw(random)).sort((x, y) => x - y);
}

describe('bootstrap intervals', () => {
  it('draws binomials with the right mean and spread in every regime (exact, inversion, normal)', () => {
    const random = mulberry32(3);
    for (const [n, p] of [
      [20, 0.3],
      [1000, 0.01],
      [1000, 0.995],
      [5000, 0.4],
    ] as const) {
      const draws = Array.from({ length: 4000 }, () => binomial(n, p, random));
      const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
      const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
      expect(Math.abs(mean - n * p), `${n} ${p}`).toBeLessThan(
        4 * Math.sqrt((n * p * (1 - p)) / draws.length) + 0.01,
      );
      expect(variance / (n * p * (1 - p)), `${n} ${p}`).toBeGreaterThan(0.85);
      expect(variance / (n * p * (1 - p)), `${n} ${p}`).toBeLessThan(1.15);
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...draws)).toBeLessThanOrEqual(n);
    }
  });

  it('gives the same interval for the same seed, around the estimate, narrowing with n', () => {
    const a = proportionEstimate(60, 100, 1000, 9);
    expect(proportionEstimate(60, 100, 1000, 9)).toEqual(a);
    expect(a.low!).toBeLessThan(0.6);
    expect(a.high!).toBeGreaterThan(0.6);
    // The normal-theory half-width is 1.96·√(0.24/100) ≈ 0.096; the bootstrap agrees within a few points.
    expect(a.high! - a.low!).toBeGreaterThan(0.16);
    expect(a.high! - a.low!).toBeLessThan(0.22);
    const big = proportionEstimate(6000, 10000, 1000, 9);
    expect(big.high! - big.low!).toBeLessThan(0.025);
  });

  it('resamples means of rating values, with few or many distinct values', () => {
    const few = Array.from({ length: 400 }, (_, i) => 1 + (i % 5));
    const e = meanEstimate(few, 1000, 1);
    expect(e.value).toBe(3);
    // sd of 1..5 uniform is √2; the 95% half-width is about 1.96·√2/√400 ≈ 0.139.
    expect(e.high! - e.low!).toBeGreaterThan(0.22);
    expect(e.high! - e.low!).toBeLessThan(0.33);
    const many = Array.from({ length: 40 }, (_, i) => i / 7);
    const m = meanEstimate(many, 1000, 1);
    expect(m.low!).toBeLessThan(m.value!);
    expect(m.high!).toBeGreaterThan(m.value!);
    expect(meanEstimate([], 1000, 1)).toEqual({ value: null, low: null, high: null, n: 0 });
  });

  it('draws uniforms exactly as the published mulberry32 does', () => {
    const ours = mulberry32(2024);
    const published = publishedMulberry32(2024);
    for (let i = 0; i < 1000; i++) expect(ours()).toBe(published());
  });

  it('takes quantiles by linear interpolation between order statistics (Hyndman and Fan type 7, R’s default)', () => {
    // R: quantile(1:10, c(0.025, 0.975)) gives 1.225 and 9.775; h = 9·q, so 0.225 and 8.775 past the first value.
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantile(ten, 0.025)).toBeCloseTo(1.225, 12);
    expect(quantile(ten, 0.975)).toBeCloseTo(9.775, 12);
    expect(quantile(ten, 0.5)).toBe(5.5);
    expect(quantile([7], 0.025)).toBe(7);
  });

  it('when every value is the same, then every resample is too and the interval is that value', () => {
    expect(proportionEstimate(6, 6, 1000, 3)).toEqual({ value: 1, low: 1, high: 1, n: 6 });
    expect(proportionEstimate(0, 40, 1000, 3)).toEqual({ value: 0, low: 0, high: 0, n: 40 });
    expect(meanEstimate([4, 4, 4, 4, 4], 1000, 3)).toEqual({ value: 4, low: 4, high: 4, n: 5 });
    expect(meanEstimate([2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5], 1000, 3)).toEqual({
      value: 2.5,
      low: 2.5,
      high: 2.5,
      n: 9,
    });
  });

  it('ends a proportion’s interval at the 2.5th and 97.5th percentiles of its seeded resamples, not the 5th and 95th', () => {
    // 3 of 10 answers right. A resample draws the 10 answers again with replacement: each is a right one when
    // the next uniform draw is below 3/10. With 41 resamples, type-7 quantiles fall on order statistics:
    // h = 40·0.025 = 1 and 40·0.975 = 39 (a 90 % interval would take 2 and 38).
    const sorted = sortedResamples(41, 32, (random) => {
      let right = 0;
      for (let i = 0; i < 10; i++) if (random() < 0.3) right++;
      return right / 10;
    });
    const e = proportionEstimate(3, 10, 41, 32);
    expect(e).toEqual({ value: 0.3, low: sorted[1], high: sorted[39], n: 10 });
    // The seed was chosen so that both ends differ from a 90 % interval's.
    expect([sorted[1], sorted[39]]).toEqual([0.1, 0.6]);
    expect([sorted[2], sorted[38]]).toEqual([0.2, 0.5]);
  });

  it('ends a mean’s interval at the 2.5th and 97.5th percentiles of its seeded resamples, interpolating between them', () => {
    // Four ratings, resampled with replacement: each draw takes values[⌊u·4⌋] for the next uniform u.
    const values = [1, 2, 4, 8];
    const resampledMean = (random: () => number) => {
      let sum = 0;
      for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)];
      return sum / values.length;
    };
    const exact = sortedResamples(41, 5, resampledMean);
    expect(meanEstimate(values, 41, 5)).toEqual({ value: 3.75, low: exact[1], high: exact[39], n: 4 });
    expect([exact[1], exact[39]]).not.toEqual([exact[2], exact[38]]);
    // 1000 resamples: h = 999·0.025 = 24.975 and 999·0.975 = 974.025, between order statistics.
    const s = sortedResamples(1000, 5, resampledMean);
    const e = meanEstimate(values, 1000, 5);
    expect(e.low).toBeCloseTo(s[24] + 0.975 * (s[25] - s[24]), 12);
    expect(e.high).toBeCloseTo(s[974] + 0.025 * (s[975] - s[974]), 12);
    expect(e.low).not.toBeCloseTo(s[49] + 0.95 * (s[50] - s[49]), 12);
  });
});
