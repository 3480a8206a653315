// Krippendorff's alpha and its coincidence matrix.
import {
  checkValue,
  type Code,
  type Metric,
  type ReliabilityData,
  type UndefinedReason,
  type UnitWeights,
} from './reliability-data.ts';

export interface AlphaResult {
  alpha: number | null;
  undefinedReason: UndefinedReason | null;
  /** D_o; null when there are no pairable values. */
  observedDisagreement: number | null;
  /** D_e; null when there are no pairable values. */
  expectedDisagreement: number | null;
  /** n: values in units that have at least two values. */
  pairableValues: number;
  /** Units that have at least two values. */
  pairableUnits: number;
}

export interface CoincidenceMatrix<V extends Code = Code> {
  /** The distinct values: numbers ascending, otherwise in order of first appearance. */
  values: V[];
  /** o_ck, indexed like `values`. */
  matrix: number[][];
  /** n_c, the row sums. */
  marginals: number[];
  n: number;
}

/** The pairable values packed flat: units with fewer than two values are already dropped. */
interface Pairable<V extends Code> {
  values: V[];
  /** n_c per value index. */
  marginals: number[];
  /** Value indices of all pairable units, back to back. */
  codes: Int32Array;
  /** End offset in `codes` of each pairable unit. */
  unitEnds: Int32Array;
  /** How many units each pairable unit stands for (1 unless weights were given). */
  unitWeights: Float64Array;
  /** Units, weighted. */
  units: number;
  /** Pairable values, weighted. */
  n: number;
}

function collectPairable<V extends Code>(
  data: ReliabilityData<V>,
  metric: Metric,
  weights?: UnitWeights,
): Pairable<V> {
  let total = 0;
  for (const row of data) total += row.length;
  const index = new Map<V, number>();
  const values: V[] = [];
  const marginals: number[] = [];
  const codes = new Int32Array(total);
  const unitEnds = new Int32Array(data.length);
  const unitWeights = new Float64Array(data.length);
  let units = 0;
  let weightedUnits = 0;
  let n = 0;
  let pos = 0;
  for (let u = 0; u < data.length; u++) {
    const row = data[u];
    const w = weights ? weights[u] : 1;
    const start = pos;
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (value === null || value === undefined) continue;
      let code = index.get(value);
      if (code === undefined) {
        checkValue(value, metric);
        code = values.length;
        index.set(value, code);
        values.push(value);
        marginals.push(0);
      }
      codes[pos++] = code;
    }
    if (pos - start < 2) {
      pos = start; // a lone value has nothing to be compared with
      continue;
    }
    for (let i = start; i < pos; i++) marginals[codes[i]] += w;
    n += w * (pos - start);
    weightedUnits += w;
    unitWeights[units] = w;
    unitEnds[units++] = pos;
  }
  return {
    values,
    marginals,
    codes,
    unitEnds: unitEnds.subarray(0, units),
    unitWeights,
    units: weightedUnits,
    n,
  };
}

type Delta = (c: number, k: number) => number;

/** δ²_ck over value indices, per Krippendorff (2011). */
function differenceFunction(metric: Metric, values: readonly Code[], marginals: readonly number[]): Delta {
  if (metric === 'nominal') return (c, k) => (c === k ? 0 : 1);
  const x = Float64Array.from(values as readonly number[]);
  switch (metric) {
    case 'interval':
      return (c, k) => (x[c] - x[k]) ** 2;
    case 'ratio':
      return (c, k) => {
        const sum = x[c] + x[k];
        return sum === 0 ? 0 : ((x[c] - x[k]) / sum) ** 2;
      };
    case 'ordinal': {
      // Rank the values, then Σ_{g=c..k} n_g via prefix sums over the ranks.
      const order = values.map((_, i) => i).sort((a, b) => x[a] - x[b]);
      const rank = new Int32Array(values.length);
      const cumulative = new Float64Array(values.length + 1);
      order.forEach((code, r) => {
        rank[code] = r;
        cumulative[r + 1] = cumulative[r] + marginals[code];
      });
      return (c, k) => {
        const lo = Math.min(rank[c], rank[k]);
        const hi = Math.max(rank[c], rank[k]);
        return (cumulative[hi + 1] - cumulative[lo] - (marginals[c] + marginals[k]) / 2) ** 2;
      };
    }
  }
}

/** Σ_c Σ_k n_c n_k δ²_ck, with closed forms where the metric allows them. */
function expectedDisagreementSum(metric: Metric, p: Pairable<Code>, delta: Delta): number {
  const { marginals, n } = p;
  const v = marginals.length;
  if (metric === 'nominal') {
    let squares = 0;
    for (const nc of marginals) squares += nc * nc;
    return n * n - squares;
  }
  if (metric === 'interval') {
    // Σ n_c n_k (x_c − x_k)² = 2n Σ n_c (x_c − mean)²; centring keeps it exact when all agree.
    const x = p.values as number[];
    let sum = 0;
    for (let c = 0; c < v; c++) sum += marginals[c] * x[c];
    const mean = sum / n;
    let squares = 0;
    for (let c = 0; c < v; c++) squares += marginals[c] * (x[c] - mean) ** 2;
    return 2 * n * squares;
  }
  let total = 0;
  for (let c = 0; c < v; c++) {
    for (let k = c + 1; k < v; k++) total += marginals[c] * marginals[k] * delta(c, k);
  }
  return 2 * total;
}

/**
 * Krippendorff's alpha for reliability data with missing values (Krippendorff 2011). Units with
 * fewer than two values are dropped. Observed disagreement is Σ o_ck δ²_ck / n where the coincidence
 * matrix o is accumulated unit by unit (each of the m_u(m_u − 1) ordered pairs adds 1/(m_u − 1)),
 * without materialising a V × V matrix, so many distinct values stay cheap.
 *
 * `alpha` is null when no unit has two values, and when every pairable value is the same
 * (D_o = D_e = 0, which Krippendorff leaves undefined).
 */
export function krippendorffAlpha<V extends Code>(
  data: ReliabilityData<V>,
  metric: Metric = 'nominal',
  weights?: UnitWeights,
): AlphaResult {
  const p = collectPairable(data, metric, weights);
  const base = { pairableValues: p.n, pairableUnits: p.units };
  if (p.n === 0) {
    return {
      alpha: null,
      undefinedReason: 'no-pairable-values',
      observedDisagreement: null,
      expectedDisagreement: null,
      ...base,
    };
  }
  const delta = differenceFunction(metric, p.values, p.marginals);
  let observed = 0;
  let start = 0;
  for (let u = 0; u < p.unitEnds.length; u++) {
    const end = p.unitEnds[u];
    let unitSum = 0;
    for (let i = start; i < end; i++) {
      for (let j = i + 1; j < end; j++) unitSum += delta(p.codes[i], p.codes[j]);
    }
    observed += (p.unitWeights[u] * 2 * unitSum) / (end - start - 1);
    start = end;
  }
  const n = p.n;
  const observedDisagreement = observed / n;
  const expectedDisagreement = expectedDisagreementSum(metric, p, delta) / (n * (n - 1));
  if (expectedDisagreement === 0) {
    return {
      alpha: null,
      undefinedReason: 'no-variation',
      observedDisagreement,
      expectedDisagreement,
      ...base,
    };
  }
  return {
    alpha: 1 - observedDisagreement / expectedDisagreement,
    undefinedReason: null,
    observedDisagreement,
    expectedDisagreement,
    ...base,
  };
}

/** The coincidence matrix itself, for display; its size is V × V in the distinct values. */
export function coincidenceMatrix<V extends Code>(data: ReliabilityData<V>): CoincidenceMatrix<V> {
  const p = collectPairable(data, 'nominal');
  const v = p.values.length;
  const numeric = p.values.every((x) => typeof x === 'number');
  const order = p.values.map((_, i) => i);
  if (numeric) order.sort((a, b) => (p.values[a] as number) - (p.values[b] as number));
  const position = new Int32Array(v);
  order.forEach((code, i) => (position[code] = i));
  const matrix = Array.from({ length: v }, () => new Array<number>(v).fill(0));
  let start = 0;
  for (let u = 0; u < p.unitEnds.length; u++) {
    const end = p.unitEnds[u];
    const weight = 1 / (end - start - 1);
    for (let i = start; i < end; i++) {
      for (let j = start; j < end; j++) {
        if (i !== j) matrix[position[p.codes[i]]][position[p.codes[j]]] += weight;
      }
    }
    start = end;
  }
  return {
    values: order.map((code) => p.values[code]),
    matrix,
    marginals: order.map((code) => p.marginals[code]),
    n: p.n,
  };
}
