import { describe, expect, it } from 'vitest';
import {
  binomial,
  meanEstimate,
  mulberry32,
  proportionEstimate,
} from '../../server/domain/scoring/bootstrap.ts';

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
});
