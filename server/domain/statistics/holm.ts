/**
 * Holm's step-down correction (Holm 1979) as adjusted p-values: sort the m p-values ascending; the i-th
 * (1-based) becomes max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎). A hypothesis is rejected at level α exactly
 * when its adjusted p-value is ≤ α. Missing p-values (null: no test possible) are not counted in m.
 */
export function holmAdjust(ps: readonly (number | null)[]): (number | null)[] {
  const order = ps
    .map((p, i) => ({ p, i }))
    .filter((x): x is { p: number; i: number } => x.p !== null)
    .sort((x, y) => x.p - y.p || x.i - y.i);
  const m = order.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 0;
  order.forEach(({ p, i }, j) => {
    running = Math.max(running, Math.min(1, (m - j) * p));
    out[i] = running;
  });
  return out;
}
