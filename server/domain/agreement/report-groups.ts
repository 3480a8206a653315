// The agreement report's groups of units (language × category, each language, overall) and the row of
// coefficients each gives per question.
import type { ItemStatus } from '../../../schema/item.ts';
import { agreementQuestions, type QuestionAgreement } from '../../../schema/validation.ts';
import { krippendorffAlpha } from './alpha.ts';
import { cohenKappaFromTable, fleissKappaFromData, type KappaResult } from './kappa.ts';
import { percentAgreement } from './percent-agreement.ts';
import type { ReliabilityData } from './reliability-data.ts';

/*
 * Values are small integer codes: verdicts 0 yes / 1 no / 2 unsure; category 0 keep / n other path n;
 * quality 1–5; own answer 1 matches the reference / 0 does not / null not comparable. Integers keep
 * 300k validations × 5 questions × 3 grouping levels inside the time budget (docs/agreement.md).
 */
export const Q = agreementQuestions.length;
export const GROUNDED = agreementQuestions.indexOf('grounded');
export const CORRECT = agreementQuestions.indexOf('correct');
export const QUALITY = agreementQuestions.indexOf('quality');
export const CATEGORY = agreementQuestions.indexOf('category');
export const OWN_ANSWER = agreementQuestions.indexOf('ownAnswer');

/**
 * The values one group of units holds, per question, and its coder-pair contingency tables. Units are kept
 * as distinct value patterns with counts: α, Fleiss' κ and percent agreement do not depend on which coder gave
 * which value, so two units with the same multiset of values count alike (at 1M units, one array per unit and
 * question was most of the time, in garbage collection).
 */
export class Group {
  /** Per question: the distinct patterns (values sorted, nulls last) … */
  readonly rows: (number | null)[][][] = agreementQuestions.map(() => []);
  /** … how many units have each … */
  readonly counts: number[][] = agreementQuestions.map(() => []);
  /** … and each pattern's index by its key. */
  readonly patterns: Map<string, number>[] = agreementQuestions.map(() => new Map<string, number>());
  /** pair key (lower id × 2^21 + higher id) → index into `tables[q]`. */
  readonly pairs = new Map<number, number>();
  /** Per question, one k × k table of counts per pair, flattened. */
  readonly tables: Float64Array[][] = agreementQuestions.map(() => []);
  /** Items per status, for the coverage matrix. */
  readonly statuses = new Map<ItemStatus, number>();
  constructor(
    readonly language: string,
    readonly category: string,
  ) {}

  /**
   * Adds a finer group's units. Contingency tables are counts, so a coarser group's pair tables are
   * the sums of its parts' (the units themselves are only referenced, not copied).
   */
  absorb(part: Group): void {
    for (let q = 0; q < Q; q++) {
      for (const [key, i] of part.patterns[q]) this.addPattern(q, key, part.rows[q][i], part.counts[q][i]);
    }
    for (const [key, p] of part.pairs) {
      let mine = this.pairs.get(key);
      if (mine === undefined) {
        mine = this.pairs.size;
        this.pairs.set(key, mine);
      }
      for (let q = 0; q < Q; q++) {
        const table = part.tables[q][p];
        if (!table) continue;
        let sum = this.tables[q][mine];
        if (!sum || sum.length < table.length)
          sum = this.tables[q][mine] = grow(sum, Math.round(Math.sqrt(table.length)));
        const size = Math.round(Math.sqrt(sum.length));
        const from = Math.round(Math.sqrt(table.length));
        for (let a = 0; a < from; a++)
          for (let b = 0; b < from; b++) sum[a * size + b] += table[a * from + b];
      }
    }
  }

  addPattern(q: number, key: string, row: (number | null)[], count: number): void {
    const i = this.patterns[q].get(key);
    if (i !== undefined) {
      this.counts[q][i] += count;
      return;
    }
    this.patterns[q].set(key, this.rows[q].length);
    this.rows[q].push(row);
    this.counts[q].push(count);
  }

  /** Units in the group (every question has one value pattern per unit). */
  get units(): number {
    let n = 0;
    for (const c of this.counts[0]) n += c;
    return n;
  }
}

/** A unit's values as a pattern: sorted, nulls last, and its key. */
function pattern(values: (number | null)[]): [string, (number | null)[]] {
  const sorted = values.slice().sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
  return [sorted.join(','), sorted];
}

/** Per question: the number of codes, so a pair's table is size × size. Category grows with paths. */
export function addUnit(group: Group, coders: number[], values: (number | null)[][], sizes: number[]): void {
  for (let q = 0; q < Q; q++) {
    const [key, row] = pattern(values[q]);
    group.addPattern(q, key, row, 1);
  }
  for (let i = 0; i < coders.length; i++) {
    for (let j = i + 1; j < coders.length; j++) {
      const swap = coders[i] > coders[j];
      const key = swap ? coders[j] * 2 ** 21 + coders[i] : coders[i] * 2 ** 21 + coders[j];
      let p = group.pairs.get(key);
      if (p === undefined) {
        p = group.pairs.size;
        group.pairs.set(key, p);
      }
      for (let q = 0; q < Q; q++) {
        const a = values[q][swap ? j : i];
        const b = values[q][swap ? i : j];
        if (a === null || b === null) continue;
        const size = sizes[q];
        let table = group.tables[q][p];
        if (table === undefined || table.length < size * size) table = group.tables[q][p] = grow(table, size);
        table[a * size + b]++;
      }
    }
  }
}

/** A bigger square table with the old counts in place (the category question can gain codes). */
function grow(table: Float64Array | undefined, size: number): Float64Array {
  const next = new Float64Array(size * size);
  if (table) {
    const old = Math.round(Math.sqrt(table.length));
    for (let a = 0; a < old; a++) for (let b = 0; b < old; b++) next[a * size + b] = table[a * old + b];
  }
  return next;
}

export function pairKappa(table: Float64Array): KappaResult {
  const size = Math.round(Math.sqrt(table.length));
  const square = Array.from({ length: size }, (_, a) => Array.from(table.subarray(a * size, (a + 1) * size)));
  return cohenKappaFromTable(square);
}

export const meanKappa = (kappas: Iterable<KappaResult>): number | null => {
  let sum = 0;
  let n = 0;
  for (const k of kappas) {
    if (k.kappa === null) continue;
    sum += k.kappa;
    n++;
  }
  return n === 0 ? null : sum / n;
};

function fleissOrNull(rows: ReliabilityData<number>, counts: number[]): number | null {
  try {
    return fleissKappaFromData(rows, counts).kappa;
  } catch (err) {
    if (err instanceof RangeError) return null; // unequal numbers of values: Fleiss' κ is undefined
    throw err;
  }
}

export function questionRow(g: Group, q: number): QuestionAgreement {
  const data = g.rows[q];
  const counts = g.counts[q];
  const quality = q === QUALITY;
  const alpha = krippendorffAlpha(data, quality ? 'ordinal' : 'nominal', counts);
  return {
    question: agreementQuestions[q],
    language: g.language,
    category: g.category,
    units: alpha.pairableUnits,
    values: alpha.pairableValues,
    alpha: alpha.alpha,
    alphaInterval: quality ? krippendorffAlpha(data, 'interval', counts).alpha : null,
    fleissKappa: fleissOrNull(data, counts),
    cohenKappa: meanKappa(g.tables[q].filter(Boolean).map(pairKappa)),
    percentAgreement: percentAgreement(data, counts).agreement,
  };
}
