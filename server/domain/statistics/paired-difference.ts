/**
 * The difference of two paired proportions, A − B = (b − c)/n, with Newcombe's hybrid score interval for
 * paired data (Newcombe 1998, method 10): the Wilson intervals of the two proportions combined with the
 * correlation φ of the pairs. Formula in docs/scoring.md, "Paired comparisons".
 */
import type { PairedTable } from './mcnemar.ts';
import { wilsonInterval, Z95 } from './wilson.ts';

export interface DifferenceInterval {
  value: number;
  low: number;
  high: number;
}

/** A − B with its 95% (or `z`) interval; null without pairs. */
export function pairedProportionDifference(t: PairedTable, z = Z95): DifferenceInterval | null {
  const n = t.both + t.onlyA + t.onlyB + t.neither;
  if (n === 0) return null;
  const p1 = (t.both + t.onlyA) / n;
  const p2 = (t.both + t.onlyB) / n;
  const w1 = wilsonInterval(t.both + t.onlyA, n, z);
  const w2 = wilsonInterval(t.both + t.onlyB, n, z);
  // φ of the 2×2 table; 0 when a margin is empty (its formula is 0/0 there).
  const margins = (t.both + t.onlyA) * (t.onlyB + t.neither) * (t.both + t.onlyB) * (t.onlyA + t.neither);
  const phi = margins === 0 ? 0 : (t.both * t.neither - t.onlyA * t.onlyB) / Math.sqrt(margins);
  const dl1 = p1 - w1.low;
  const du1 = w1.high - p1;
  const dl2 = p2 - w2.low;
  const du2 = w2.high - p2;
  const value = p1 - p2;
  const below = Math.sqrt(Math.max(0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2));
  const above = Math.sqrt(Math.max(0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2));
  return { value, low: Math.max(-1, value - below), high: Math.min(1, value + above) };
}
