/**
 * Inter-annotator agreement: Krippendorff's alpha, Fleiss' kappa, Cohen's kappa (single pair and
 * pairwise) and percent agreement. Pure functions, no I/O. See docs/agreement.md for the formulas,
 * the input shapes and the conventions for undefined values.
 */

/** A value one coder gave one unit: a category label or a number on a scale. */
export type Code = string | number | boolean;

/** Level of measurement, which chooses Krippendorff's difference function δ². */
export type Metric = 'nominal' | 'ordinal' | 'interval' | 'ratio';

/**
 * Reliability data: one row per unit, one column per coder (rows may be ragged); `null` or
 * `undefined` means that coder gave that unit no value.
 */
export type ReliabilityData<V extends Code = Code> = readonly (readonly (V | null | undefined)[])[];

/** One stored observation: which coder gave which value to which unit. */
export interface Rating<V extends Code = Code> {
  unitId: string | number;
  coderId: string | number;
  value: V | null | undefined;
}

export interface ReliabilityMatrix<V extends Code = Code> {
  /** Row order of `data`, in order of first appearance. */
  unitIds: (string | number)[];
  /** Column order of `data`, in order of first appearance. */
  coderIds: (string | number)[];
  data: (V | null)[][];
}

/** Why a coefficient is `null`: nothing to compare, or nothing varies so chance agreement is total. */
export type UndefinedReason = 'no-pairable-values' | 'no-variation';

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

export interface KappaResult {
  kappa: number | null;
  undefinedReason: UndefinedReason | null;
  /** p_o (Cohen) or P̄ (Fleiss); null when there is nothing to compare. */
  observedAgreement: number | null;
  /** p_e (Cohen) or P̄_e (Fleiss); null when there is nothing to compare. */
  expectedAgreement: number | null;
  /** Units (subjects) that entered the computation. */
  units: number;
}

export interface CoderPairKappa extends KappaResult {
  coderA: string | number;
  coderB: string | number;
}

export interface PairwiseKappaResult {
  /** Mean of the defined per-pair kappas; null when no pair has one. */
  meanKappa: number | null;
  /** Every pair of coders that shares at least one unit, in column order. */
  pairs: CoderPairKappa[];
}

export interface PercentAgreementResult {
  /** Mean over units of the share of agreeing pairs of values; null when no unit has two values. */
  agreement: number | null;
  units: number;
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

/**
 * Turns stored rows into reliability data. A coder rating the same unit twice is a data error and
 * throws, since silently picking one value would change the coefficient.
 */
export function toReliabilityData<V extends Code>(ratings: Iterable<Rating<V>>): ReliabilityMatrix<V> {
  const unitIndex = new Map<string | number, number>();
  const coderIndex = new Map<string | number, number>();
  const unitIds: (string | number)[] = [];
  const coderIds: (string | number)[] = [];
  // Indices first (the width is unknown until the end), then one pass to fill fixed-width rows.
  let unitOf = new Int32Array(1024);
  let coderOf = new Int32Array(1024);
  const values: V[] = [];
  for (const { unitId, coderId, value } of ratings) {
    let u = unitIndex.get(unitId);
    if (u === undefined) {
      u = unitIds.length;
      unitIndex.set(unitId, u);
      unitIds.push(unitId);
    }
    let c = coderIndex.get(coderId);
    if (c === undefined) {
      c = coderIds.length;
      coderIndex.set(coderId, c);
      coderIds.push(coderId);
    }
    if (value === null || value === undefined) continue;
    if (values.length === unitOf.length) {
      unitOf = grow(unitOf);
      coderOf = grow(coderOf);
    }
    unitOf[values.length] = u;
    coderOf[values.length] = c;
    values.push(value);
  }
  const width = coderIds.length;
  const data: (V | null)[][] = unitIds.map(() => new Array<V | null>(width).fill(null));
  for (let i = 0; i < values.length; i++) {
    const row = data[unitOf[i]];
    if (row[coderOf[i]] !== null) {
      throw new RangeError(
        `coder ${String(coderIds[coderOf[i]])} rated unit ${String(unitIds[unitOf[i]])} twice`,
      );
    }
    row[coderOf[i]] = values[i];
  }
  return { unitIds, coderIds, data };
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

// ---------------------------------------------------------------------------------------------
// Krippendorff's alpha

function checkValue(value: Code, metric: Metric): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`values must be finite numbers, got ${value}`);
  }
  if (metric === 'nominal') return;
  if (typeof value !== 'number') {
    throw new RangeError(`${metric} values must be numbers, got ${JSON.stringify(value)}`);
  }
  if (metric === 'ratio' && value < 0) throw new RangeError(`ratio values must be >= 0, got ${value}`);
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

/**
 * Weights: how many identical units each row stands for (default 1 each). The coefficients below are sums over
 * units, so a row with weight w counts exactly as w copies of it (the agreement report passes each distinct
 * pattern of values once, with its count).
 */
export type UnitWeights = ArrayLike<number> | undefined;

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

// ---------------------------------------------------------------------------------------------
// Kappas and percent agreement

function kappaFrom(observed: number, expected: number, units: number): KappaResult {
  if (expected === 1) {
    return {
      kappa: null,
      undefinedReason: 'no-variation',
      observedAgreement: observed,
      expectedAgreement: expected,
      units,
    };
  }
  return {
    kappa: (observed - expected) / (1 - expected),
    undefinedReason: null,
    observedAgreement: observed,
    expectedAgreement: expected,
    units,
  };
}

const NOTHING_TO_COMPARE: KappaResult = {
  kappa: null,
  undefinedReason: 'no-pairable-values',
  observedAgreement: null,
  expectedAgreement: null,
  units: 0,
};

/**
 * Fleiss' kappa (Fleiss 1971) from a subjects × categories matrix of counts: counts[i][j] is how many
 * raters put subject i in category j. Every subject must have the same number (≥ 2) of ratings.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): KappaResult {
  if (counts.length === 0) return NOTHING_TO_COMPARE;
  const categories = counts[0].length;
  const raters = counts[0].reduce((a, b) => a + b, 0);
  if (raters < 2) throw new RangeError('Fleiss kappa needs at least 2 ratings per subject');
  const totals = new Float64Array(categories);
  let agreementSum = 0;
  counts.forEach((row, i) => {
    if (row.length !== categories)
      throw new RangeError(`subject ${i} has ${row.length} categories, not ${categories}`);
    let rowSum = 0;
    for (let j = 0; j < categories; j++) {
      const c = row[j];
      if (!Number.isInteger(c) || c < 0)
        throw new RangeError(`count at subject ${i}, category ${j} is not a count`);
      rowSum += c;
      totals[j] += c;
      agreementSum += c * (c - 1);
    }
    if (rowSum !== raters) throw new RangeError(`subject ${i} has ${rowSum} ratings, not ${raters}`);
  });
  return fleissFrom(agreementSum, totals, counts.length, raters);
}

function fleissFrom(
  agreementSum: number,
  totals: ArrayLike<number>,
  subjects: number,
  raters: number,
): KappaResult {
  const observed = agreementSum / (subjects * raters * (raters - 1));
  const all = subjects * raters;
  let expected = 0;
  for (let j = 0; j < totals.length; j++) expected += (totals[j] / all) ** 2;
  return kappaFrom(observed, expected, subjects);
}

/**
 * Fleiss' kappa straight from reliability data. Units nobody rated are skipped; every other unit must
 * have the same number (≥ 2) of values, as Fleiss' kappa requires (use alpha for incomplete data).
 */
export function fleissKappaFromData<V extends Code>(
  data: ReliabilityData<V>,
  weights?: UnitWeights,
): KappaResult {
  const index = new Map<V, number>();
  const totals: number[] = [];
  let raters = 0;
  let subjects = 0;
  let agreementSum = 0;
  data.forEach((row, u) => {
    const w = weights ? weights[u] : 1;
    let m = 0;
    for (let i = 0; i < row.length; i++) {
      const a = row[i];
      if (a === null || a === undefined) continue;
      m++;
      let code = index.get(a);
      if (code === undefined) {
        checkValue(a, 'nominal');
        code = totals.length;
        index.set(a, code);
        totals.push(0);
      }
      totals[code] += w;
      for (let j = i + 1; j < row.length; j++) if (row[j] === a) agreementSum += 2 * w;
    }
    if (m === 0) return;
    if (raters === 0) raters = m;
    if (m !== raters)
      throw new RangeError(`unit ${u} has ${m} ratings, not ${raters}; Fleiss kappa needs equal counts`);
    subjects += w;
  });
  if (subjects === 0) return NOTHING_TO_COMPARE;
  if (raters < 2) throw new RangeError('Fleiss kappa needs at least 2 ratings per unit');
  return fleissFrom(agreementSum, totals, subjects, raters);
}

/** Cohen's kappa (unweighted) from a square agreement table: table[i][j] = units rater A put in i and B in j. */
export function cohenKappaFromTable(table: readonly (readonly number[])[]): KappaResult {
  const k = table.length;
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  let total = 0;
  let diagonal = 0;
  table.forEach((row, i) => {
    if (row.length !== k) throw new RangeError('the agreement table must be square');
    row.forEach((c, j) => {
      if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError(`cell ${i},${j} is not a count`);
      rows[i] += c;
      cols[j] += c;
      total += c;
      if (i === j) diagonal += c;
    });
  });
  if (total === 0) return NOTHING_TO_COMPARE;
  let expected = 0;
  for (let i = 0; i < k; i++) expected += (rows[i] / total) * (cols[i] / total);
  return kappaFrom(diagonal / total, expected, total);
}

/** Per-pair running counts for Cohen's kappa, over category indices. */
interface PairCounts {
  units: number;
  agree: number;
  a: Map<number, number>;
  b: Map<number, number>;
}

function pairKappa(p: PairCounts): KappaResult {
  if (p.units === 0) return NOTHING_TO_COMPARE;
  let expected = 0;
  for (const [code, countA] of p.a) expected += (countA / p.units) * ((p.b.get(code) ?? 0) / p.units);
  return kappaFrom(p.agree / p.units, expected, p.units);
}

function addPair(p: PairCounts, a: number, b: number): void {
  p.units++;
  if (a === b) p.agree++;
  p.a.set(a, (p.a.get(a) ?? 0) + 1);
  p.b.set(b, (p.b.get(b) ?? 0) + 1);
}

const newPair = (): PairCounts => ({ units: 0, agree: 0, a: new Map(), b: new Map() });

/** Cohen's kappa for two raters' values over the same units; units either left empty are skipped. */
export function cohenKappa<V extends Code>(
  a: readonly (V | null | undefined)[],
  b: readonly (V | null | undefined)[],
): KappaResult {
  if (a.length !== b.length) throw new RangeError('both raters must have one entry per unit');
  const index = new Map<V, number>();
  const codeOf = (v: V) => {
    let code = index.get(v);
    if (code === undefined) {
      checkValue(v, 'nominal');
      code = index.size;
      index.set(v, code);
    }
    return code;
  };
  const counts = newPair();
  for (let u = 0; u < a.length; u++) {
    const x = a[u];
    const y = b[u];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    addPair(counts, codeOf(x), codeOf(y));
  }
  return pairKappa(counts);
}

/**
 * Cohen's kappa for every pair of coders (columns) that share at least one unit, and their mean.
 * Work is proportional to Σ m_u² over units, not to coders² × units, so sparse designs stay cheap.
 */
export function pairwiseCohenKappa<V extends Code>(
  data: ReliabilityData<V>,
  coderIds?: readonly (string | number)[],
): PairwiseKappaResult {
  const index = new Map<V, number>();
  let width = 0;
  for (const row of data) width = Math.max(width, row.length);
  const pairs = new Map<number, PairCounts>();
  for (const row of data) {
    for (let i = 0; i < row.length; i++) {
      const x = row[i];
      if (x === null || x === undefined) continue;
      let ci = index.get(x);
      if (ci === undefined) {
        checkValue(x, 'nominal');
        ci = index.size;
        index.set(x, ci);
      }
      for (let j = i + 1; j < row.length; j++) {
        const y = row[j];
        if (y === null || y === undefined) continue;
        let cj = index.get(y);
        if (cj === undefined) {
          checkValue(y, 'nominal');
          cj = index.size;
          index.set(y, cj);
        }
        const key = i * width + j;
        let p = pairs.get(key);
        if (p === undefined) pairs.set(key, (p = newPair()));
        addPair(p, ci, cj);
      }
    }
  }
  const result: CoderPairKappa[] = [...pairs.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, counts]) => {
      const i = Math.floor(key / width);
      const j = key % width;
      return { coderA: coderIds?.[i] ?? i, coderB: coderIds?.[j] ?? j, ...pairKappa(counts) };
    });
  const defined = result.filter((p) => p.kappa !== null).map((p) => p.kappa as number);
  return {
    meanKappa: defined.length === 0 ? null : defined.reduce((s, k) => s + k, 0) / defined.length,
    pairs: result,
  };
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
