// The statistics of the report and the paired comparison, against published reference values (issue 15) and
// values worked out by hand in the comments (scipy was used only to confirm the hand computations).
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/domain/scoring/bootstrap.ts';
import { holmAdjust } from '../../server/domain/statistics/holm.ts';
import { mcnemarExact } from '../../server/domain/statistics/mcnemar.ts';
import { pairedBootstrap } from '../../server/domain/statistics/paired-bootstrap.ts';
import { pairedProportionDifference } from '../../server/domain/statistics/paired-difference.ts';
import { wilsonInterval } from '../../server/domain/statistics/wilson.ts';

const six = (x: number) => Math.round(x * 1e6) / 1e6;

describe('wilsonInterval', () => {
  it('matches the published reference values to 6 decimals', () => {
    const a = wilsonInterval(8, 10);
    expect([six(a.low), six(a.high)]).toEqual([0.490162, 0.943318]);
    const b = wilsonInterval(0, 1);
    expect([six(b.low), six(b.high)]).toEqual([0, 0.793451]);
  });

  it('mirrors at n − k, ends at exactly 0 or 1 at the edges, and refuses n = 0', () => {
    // 0 of n: low 0, high z²/(n + z²); z = 1.959964, z² = 3.841459 → 3.841459 / 13.841459 = 0.277533 for n = 10.
    const none = wilsonInterval(0, 10);
    expect(none.low).toBe(0);
    expect(six(none.high)).toBe(0.277533);
    const all = wilsonInterval(10, 10);
    expect(all.high).toBe(1);
    expect(six(all.low)).toBe(six(1 - 0.277533));
    const two = wilsonInterval(2, 10);
    expect([six(two.low), six(two.high)]).toEqual([six(1 - 0.943318), six(1 - 0.490162)]);
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
  });
});

describe('mcnemarExact', () => {
  it('matches the published reference value to 6 decimals', () => {
    // [[30, 5], [12, 53]]: b = 5, c = 12, n = 17. P(X ≤ 5) = (1 + 17 + 136 + 680 + 2380 + 6188) / 2^17
    // = 9402 / 131072; doubled: 0.143463.
    expect(six(mcnemarExact(5, 12))).toBe(0.143463);
    expect(mcnemarExact(12, 5)).toBe(mcnemarExact(5, 12));
  });

  it('is 1 without discordant pairs or with b = c, and stays finite for large tables', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(7, 7)).toBe(1);
    // 0 vs 3: 2 · (1/2)^3 = 0.25.
    expect(mcnemarExact(0, 3)).toBeCloseTo(0.25, 12);
    // b = 40,000, c = 40,500 (2^−80,500 underflows a double): scipy.stats.binomtest gives 0.0786204.
    expect(mcnemarExact(40_000, 40_500)).toBeCloseTo(0.0786204, 6);
  });
});

describe('holmAdjust', () => {
  it('adjusts a hand-written p-vector step-down, skipping missing tests', () => {
    // m = 4 tests. Sorted: 0.005, 0.01, 0.03, 0.04 → 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06,
    // 1·0.04 = 0.04 raised to the running maximum 0.06.
    expect(holmAdjust([0.01, 0.04, null, 0.03, 0.005])).toEqual([0.03, 0.06, null, 0.06, 0.02]);
    // Capped at 1: 3·0.5 = 1.5 → 1.
    expect(holmAdjust([0.5, 0.9, 0.6])).toEqual([1, 1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});

describe('pairedProportionDifference', () => {
  it('gives Newcombe’s paired interval (method 10) worked by hand', () => {
    // [[30, 5], [12, 53]], n = 100: A = 35/100, B = 42/100, A − B = −0.07. Wilson: A [0.264597, 0.446488],
    // B [0.327993, 0.518018]. φ = (30·53 − 5·12) / √(35·65·42·58) = 1530 / 2356.68 = 0.649213.
    // low = −0.07 − √(0.085403² − 2φ·0.085403·0.098018 + 0.098018²) = −0.147817,
    // high = −0.07 + √(0.096488² − 2φ·0.096488·0.092007 + 0.092007²) = 0.009424.
    const d = pairedProportionDifference({ both: 30, onlyA: 5, onlyB: 12, neither: 53 })!;
    expect([six(d.value), six(d.low), six(d.high)]).toEqual([-0.07, -0.147817, 0.009424]);
    expect(pairedProportionDifference({ both: 0, onlyA: 0, onlyB: 0, neither: 0 })).toBeNull();
  });

  it('when both runs answer the same way on every item, then the difference is 0 inside a narrow interval', () => {
    // φ = 1 (b = c = 0): the two Wilson half-widths cancel to |du − dl|-sized ends around 0.
    const d = pairedProportionDifference({ both: 40, onlyA: 0, onlyB: 0, neither: 60 })!;
    expect(d.value).toBe(0);
    expect(d.low).toBeLessThan(0);
    expect(d.high).toBeGreaterThan(0);
    expect(d.high - d.low).toBeLessThan(0.02);
  });
});

describe('pairedBootstrap', () => {
  it('follows a hand computation on scripted uniform draws', () => {
    // d = [1, 0, −1, 2], d̄ = 0.5; each draw picks d[⌊4u⌋]. Three resamples:
    // [0, .3, .6, .9] → d0 d1 d2 d3 → 0.5;  [.1, .1, .1, .1] → 1;  [.5, .55, .6, .7] → d2 ×4 → −1.
    // Sorted means −1, 0.5, 1: type-7 quantiles h = 2·0.025 = 0.05 → −1 + 0.05·1.5 = −0.925 and
    // h = 1.95 → 0.5 + 0.95·0.5 = 0.975. Shifted |mean − d̄| ≥ |d̄| = 0.5: 0 no, 0.5 yes, 1.5 yes → p = (1 + 2)/4.
    const draws = [0, 0.3, 0.6, 0.9, 0.1, 0.1, 0.1, 0.1, 0.5, 0.55, 0.6, 0.7];
    let i = 0;
    const r = pairedBootstrap([1, 0, -1, 2], 3, () => draws[i++])!;
    expect(r.value).toBe(0.5);
    expect(r.low).toBeCloseTo(-0.925, 12);
    expect(r.high).toBeCloseTo(0.975, 12);
    expect(r.p).toBe(0.75);
    expect(r.n).toBe(4);
    expect(i).toBe(12);
  });

  it('with a seed, gives the same result every time; no difference gives p = 1 and a constant one a point', () => {
    const d = [1, 0, 0, 1, -1, 2, 0, 1, 1, 0];
    expect(pairedBootstrap(d, 500, mulberry32(9))).toEqual(pairedBootstrap(d, 500, mulberry32(9)));
    expect(pairedBootstrap([1, -1, 0, 0], 200, mulberry32(1))!.p).toBe(1);
    // All differences 1: every resample mean is 1; shifted, every one is 0, never as far from 0 as d̄ = 1,
    // so only the observed one counts: p = 1 / (B + 1).
    expect(pairedBootstrap([1, 1, 1], 99, mulberry32(1))).toEqual({
      value: 1,
      low: 1,
      high: 1,
      p: 0.01,
      n: 3,
    });
    expect(pairedBootstrap([], 100, mulberry32(1))).toBeNull();
  });
});
