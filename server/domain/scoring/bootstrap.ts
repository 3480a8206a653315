/**
 * 95% percentile-bootstrap intervals with a seeded PRNG, so the same data and seed always give the same
 * report. Pure functions.
 */
import type { Estimate } from '../../../schema/scoring.ts';

/** mulberry32: a small, fast 32-bit PRNG; uniform draws in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for one cell: FNV-1a of its key mixed with the report seed (cells don't depend on each other's order). */
export function cellSeed(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function normal(random: () => number): number {
  // Box–Muller; 1 - u keeps the log finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Successes in n trials of probability p by inversion: one uniform draw, walking the probability mass
 * function up from 0 on the rarer outcome (O(min(np, n(1−p))) multiplications; used while that is ≤ 50,
 * where q^n cannot underflow).
 */
function binomialByInversion(n: number, p: number, random: () => number): number {
  const rare = p <= 0.5 ? p : 1 - p;
  if (rare === 0) return p === 0 ? 0 : n;
  const ratio = rare / (1 - rare);
  let f = Math.pow(1 - rare, n);
  let u = random();
  let k = 0;
  while (u > f && k < n) {
    u -= f;
    f *= ((n - k) / (k + 1)) * ratio;
    k++;
  }
  return p <= 0.5 ? k : n - k;
}

/**
 * One draw of Binomial(n, p): what resampling n 0/1 values with mean p with replacement yields as its count
 * of ones. Exact for small n or rare outcomes; the normal approximation (continuity-rounded, clamped) once
 * both n·p and n·(1−p) exceed 50, where its error is far below the interval's own resolution.
 */
export function binomial(n: number, p: number, random: () => number): number {
  if (n <= 32) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random() < p) k++;
    return k;
  }
  if (Math.min(n * p, n * (1 - p)) <= 50) return binomialByInversion(n, p, random);
  const k = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(random));
  return Math.min(n, Math.max(0, k));
}

/** The q-quantile of sorted values (type 7, linear interpolation). */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

const EMPTY: Estimate = { value: null, low: null, high: null, n: 0 };

/** A proportion k/n with its 95% percentile-bootstrap interval (resampling the n 0/1 values). */
export function proportionEstimate(k: number, n: number, resamples: number, seed: number): Estimate {
  if (n === 0) return EMPTY;
  const p = k / n;
  const random = mulberry32(seed);
  const draws = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) draws[b] = binomial(n, p, random) / n;
  draws.sort();
  return { value: p, low: quantile(Array.from(draws), 0.025), high: quantile(Array.from(draws), 0.975), n };
}

/**
 * A mean with its 95% percentile-bootstrap interval (resampling the values with replacement). Ratings take
 * few distinct values (1–5, or means of a few raters), so a resample is drawn as multinomial counts of the
 * distinct values — by conditional binomials, exactly the distribution of n draws with replacement — which
 * costs one draw per distinct value instead of one per value.
 */
export function meanEstimate(values: readonly number[], resamples: number, seed: number): Estimate {
  const n = values.length;
  if (n === 0) return EMPTY;
  const random = mulberry32(seed);
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const distinct = [...counts.keys()].sort((a, b) => a - b);
  const shares = distinct.map((v) => counts.get(v)! / n);
  const draws = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    if (distinct.length * 4 < n) {
      let left = n;
      let mass = 1;
      for (let j = 0; j < distinct.length && left > 0; j++) {
        const c = j === distinct.length - 1 ? left : binomial(left, Math.min(1, shares[j] / mass), random);
        sum += c * distinct[j];
        left -= c;
        mass -= shares[j];
      }
    } else {
      for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)];
    }
    draws[b] = sum / n;
  }
  draws.sort();
  const mean = values.reduce((a, v) => a + v, 0) / n;
  return {
    value: mean,
    low: quantile(Array.from(draws), 0.025),
    high: quantile(Array.from(draws), 0.975),
    n,
  };
}
