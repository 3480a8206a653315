// The shapes every coefficient reads: reliability data (units × coders), stored ratings turned into it, unit weights.

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

/**
 * Weights: how many identical units each row stands for (default 1 each). The coefficients below are sums over
 * units, so a row with weight w counts exactly as w copies of it (the agreement report passes each distinct
 * pattern of values once, with its count).
 */
export type UnitWeights = ArrayLike<number> | undefined;

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

/** Refuses a value the metric cannot measure (numbers must be finite; ordinal, interval and ratio need numbers). */
export function checkValue(value: Code, metric: Metric): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`values must be finite numbers, got ${value}`);
  }
  if (metric === 'nominal') return;
  if (typeof value !== 'number') {
    throw new RangeError(`${metric} values must be numbers, got ${JSON.stringify(value)}`);
  }
  if (metric === 'ratio' && value < 0) throw new RangeError(`ratio values must be >= 0, got ${value}`);
}
