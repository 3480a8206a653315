/**
 * Paired differences between two runs on the same items, shared by the comparison and the headline table:
 * proportions (right/wrong, unsafe/not) from their 2×2 counts, means of ratings from per-item differences.
 */
import {
  SMALL_SAMPLE,
  type FigureSource,
  type PairedCounts,
  type PairedDifference,
} from '../../../schema/scoring.ts';
import { holmAdjust } from '../statistics/holm.ts';
import { mcnemarExact } from '../statistics/mcnemar.ts';
import { pairedBootstrap } from '../statistics/paired-bootstrap.ts';
import { pairedProportionDifference } from '../statistics/paired-difference.ts';
import { mulberry32 } from './bootstrap.ts';

export const noCounts = (): PairedCounts => ({ both: 0, onlyA: 0, onlyB: 0, neither: 0 });

export function addCounts(into: PairedCounts, c: PairedCounts): void {
  into.both += c.both;
  into.onlyA += c.onlyA;
  into.onlyB += c.onlyB;
  into.neither += c.neither;
}

/** One pair of yes/no values as counts. */
export const yesNo = (a: boolean, b: boolean): PairedCounts => ({
  both: a && b ? 1 : 0,
  onlyA: a && !b ? 1 : 0,
  onlyB: !a && b ? 1 : 0,
  neither: !a && !b ? 1 : 0,
});

/** A − B of two paired proportions: Newcombe's interval, McNemar's exact p. */
export function proportionDifference(c: PairedCounts, source: FigureSource): PairedDifference {
  const n = c.both + c.onlyA + c.onlyB + c.neither;
  const d = pairedProportionDifference(c);
  return {
    value: d?.value ?? null,
    low: d?.low ?? null,
    high: d?.high ?? null,
    n,
    a: n === 0 ? null : (c.both + c.onlyA) / n,
    b: n === 0 ? null : (c.both + c.onlyB) / n,
    p: n === 0 ? null : mcnemarExact(c.onlyA, c.onlyB),
    pHolm: null,
    test: 'mcnemar-exact',
    interval: 'newcombe',
    source,
    smallSample: n < SMALL_SAMPLE,
    counts: { ...c },
  };
}

/** A − B of mean ratings over paired items ([a, b] per item): the paired bootstrap's interval and p. */
export function meanDifference(
  pairs: readonly (readonly [number, number])[],
  resamples: number,
  seed: number,
  source: FigureSource,
): PairedDifference {
  const n = pairs.length;
  const r = pairedBootstrap(
    pairs.map(([a, b]) => a - b),
    resamples,
    mulberry32(seed),
  );
  const mean = (i: 0 | 1) => (n === 0 ? null : pairs.reduce((s, p) => s + p[i], 0) / n);
  return {
    value: r?.value ?? null,
    low: r?.low ?? null,
    high: r?.high ?? null,
    n,
    a: mean(0),
    b: mean(1),
    p: r?.p ?? null,
    pHolm: null,
    test: 'paired-bootstrap',
    interval: 'bootstrap',
    source,
    smallSample: n < SMALL_SAMPLE,
    counts: null,
  };
}

/** Sets `pHolm` on every difference of one family (Holm's correction across them). */
export function applyHolm(family: { p: number | null; pHolm: number | null }[]): void {
  const adjusted = holmAdjust(family.map((d) => d.p));
  family.forEach((d, i) => (d.pHolm = adjusted[i]!));
}
