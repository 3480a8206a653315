import { checkValue, type Code, type ReliabilityData, type UnitWeights } from './reliability-data.ts';

export interface PercentAgreementResult {
  /** Mean over units of the share of agreeing pairs of values; null when no unit has two values. */
  agreement: number | null;
  units: number;
}

/** Percent agreement: per unit, the share of pairs of values that are equal; averaged over units with ≥ 2 values. */
export function percentAgreement<V extends Code>(
  data: ReliabilityData<V>,
  weights?: UnitWeights,
): PercentAgreementResult {
  let sum = 0;
  let units = 0;
  for (let u = 0; u < data.length; u++) {
    const row = data[u];
    const w = weights ? weights[u] : 1;
    let m = 0;
    let agreeing = 0;
    for (let i = 0; i < row.length; i++) {
      const x = row[i];
      if (x === null || x === undefined) continue;
      checkValue(x, 'nominal');
      m++;
      for (let j = i + 1; j < row.length; j++) if (row[j] === x) agreeing++;
    }
    if (m < 2) continue;
    sum += (w * agreeing) / ((m * (m - 1)) / 2);
    units += w;
  }
  return { agreement: units === 0 ? null : sum / units, units };
}
