/**
 * McNemar's test on a paired 2×2 table (McNemar 1947), exact form: under "no difference" each of the b + c
 * discordant pairs goes either way with probability ½, so the two-sided p-value is
 * min(1, 2·P(X ≤ min(b, c))) for X ~ Binomial(b + c, ½). Formula in docs/scoring.md, "Paired comparisons".
 */

/** Two-sided exact McNemar p-value from the discordant counts b (only A right) and c (only B right). */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const m = Math.min(b, c);
  // P(X = m) in logs (n may be 10^5: 2^−n underflows), then the lower terms by the ratio k / (n − k + 1).
  let logTerm = -n * Math.LN2;
  for (let i = 1; i <= m; i++) logTerm += Math.log((n - m + i) / i);
  let term = Math.exp(logTerm);
  let tail = 0;
  for (let k = m; k >= 0 && term > 0; k--) {
    tail += term;
    term *= k / (n - k + 1);
  }
  return Math.min(1, 2 * tail);
}

/** A paired table of two runs' correct/incorrect answers to the same items. */
export interface PairedTable {
  /** Both right. */
  both: number;
  /** Only A right. */
  onlyA: number;
  /** Only B right. */
  onlyB: number;
  /** Both wrong. */
  neither: number;
}
