// Fleiss' kappa and Cohen's kappa (one pair, and every pair of coders).
import {
  checkValue,
  type Code,
  type ReliabilityData,
  type UndefinedReason,
  type UnitWeights,
} from './reliability-data.ts';

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
