/**
 * The paired bootstrap of a mean difference (Efron & Tibshirani 1993, ch. 13 and 16): the per-item
 * differences d = A − B are resampled with replacement. The interval is the 2.5% and 97.5% quantiles (type 7)
 * of the resampled means; the two-sided p-value tests "mean difference 0" by resampling the differences
 * shifted to mean 0 (their §16.4): p = (1 + #{|mean*| ≥ |d̄|}) / (B + 1). Both use the same B resamples.
 */
import { quantile } from '../scoring/bootstrap.ts';

export interface PairedBootstrapResult {
  /** The observed mean difference d̄. */
  value: number;
  low: number;
  high: number;
  p: number;
  n: number;
}

/** `random` gives uniforms in [0, 1) (a seeded mulberry32 in the report); each draw picks d[⌊u·n⌋]. */
export function pairedBootstrap(
  differences: readonly number[],
  resamples: number,
  random: () => number,
): PairedBootstrapResult | null {
  const n = differences.length;
  if (n === 0) return null;
  const value = differences.reduce((a, d) => a + d, 0) / n;
  const means = new Float64Array(resamples);
  let extreme = 0;
  // Shifted differences d − d̄ have mean exactly 0, so a shifted resample's mean is mean* − d̄.
  const tolerance = 1e-12 * Math.max(1, Math.abs(value));
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += differences[Math.floor(random() * n)];
    const mean = sum / n;
    means[b] = mean;
    if (Math.abs(mean - value) >= Math.abs(value) - tolerance) extreme++;
  }
  means.sort();
  const sorted = Array.from(means);
  return {
    value,
    low: quantile(sorted, 0.025),
    high: quantile(sorted, 0.975),
    p: (1 + extreme) / (resamples + 1),
    n,
  };
}
