/**
 * The Wilson score interval for a proportion (Wilson 1927): the set of p for which |k/n − p| ≤ z·√(p(1−p)/n).
 * Unlike the Wald interval it stays inside [0, 1] and is not a point at k = 0 or k = n, so `0 of 1` reads
 * [0, 0.79], not [0, 0]. Formula in docs/scoring.md, "Honest intervals".
 */

/** The standard normal's 97.5% quantile: a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** The 95% (or `z`) Wilson score interval of k successes in n trials; n must be > 0. */
export function wilsonInterval(k: number, n: number, z = Z95): Interval {
  if (!(n > 0) || k < 0 || k > n)
    throw new RangeError(`wilsonInterval: need 0 ≤ k ≤ n, n > 0 (k=${k}, n=${n})`);
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 (or n) the end is exactly 0 (or 1); rounding must not move it off.
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}
