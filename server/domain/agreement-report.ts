import { csvTable, type CsvValue } from '../../exports/csv-cell.ts';
import type { ItemStatus } from '../../schema/item.ts';
import {
  agreementQuestions,
  type AgreementReport,
  type AnnotatorAgreement,
  type CoverageCell,
  type QuestionAgreement,
} from '../../schema/validation.ts';
import { RATING_FIELDS, type ValidationRepository } from '../db/validations.ts';
import {
  cohenKappaFromTable,
  fleissKappaFromData,
  krippendorffAlpha,
  percentAgreement,
  type KappaResult,
  type ReliabilityData,
} from './agreement.ts';

/*
 * Values are small integer codes: verdicts 0 yes / 1 no / 2 unsure; category 0 keep / n other path n;
 * quality 1–5; own answer 1 matches the reference / 0 does not / null not comparable. Integers keep
 * 300k validations × 5 questions × 3 grouping levels inside the time budget (docs/agreement.md).
 */
const Q = agreementQuestions.length;
const GROUNDED = agreementQuestions.indexOf('grounded');
const CORRECT = agreementQuestions.indexOf('correct');
const QUALITY = agreementQuestions.indexOf('quality');
const CATEGORY = agreementQuestions.indexOf('category');
const OWN_ANSWER = agreementQuestions.indexOf('ownAnswer');

/**
 * The values one group of units holds, per question, and its coder-pair contingency tables. Units are kept
 * as distinct value patterns with counts: α, Fleiss' κ and percent agreement do not depend on which coder gave
 * which value, so two units with the same multiset of values count alike (at 1M units, one array per unit and
 * question was most of the time, in garbage collection).
 */
class Group {
  /** Per question: the distinct patterns (values sorted, nulls last) … */
  readonly rows: (number | null)[][][] = agreementQuestions.map(() => []);
  /** … how many units have each … */
  readonly counts: number[][] = agreementQuestions.map(() => []);
  /** … and each pattern's index by its key. */
  readonly patterns: Map<string, number>[] = agreementQuestions.map(() => new Map());
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
function addUnit(group: Group, coders: number[], values: (number | null)[][], sizes: number[]): void {
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

function pairKappa(table: Float64Array): KappaResult {
  const size = Math.round(Math.sqrt(table.length));
  const square = Array.from({ length: size }, (_, a) => Array.from(table.subarray(a * size, (a + 1) * size)));
  return cohenKappaFromTable(square);
}

const meanKappa = (kappas: Iterable<KappaResult>): number | null => {
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

function questionRow(g: Group, q: number): QuestionAgreement {
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

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  xs.sort((a, b) => a - b);
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

interface AnnotatorTally {
  validations: number;
  decided: number;
  agreed: number;
  gold: number;
  goldCorrect: number;
  durations: number[];
}

/**
 * The agreement dashboard of a dataset (optionally one language): α, κ and percent agreement per
 * question × language × category (with '*' rows for each language and overall), per-annotator
 * figures, and the coverage matrix. The coefficients come from agreement.ts.
 */
export function agreementReport(
  validations: ValidationRepository,
  datasetId: number,
  language?: string,
  /** false: only the overall row per question (no language × category breakdown). */
  breakdown = true,
): AgreementReport {
  const started = performance.now();
  const items = new Map<number, { status: ItemStatus; round: number; group: Group }>();
  // Units go into their language × category group only; languages and the total absorb those after.
  const byLanguage = new Map<string, Map<string, Group>>();
  for (const [id, l, c, status, round] of validations.agreementItems(datasetId, language)) {
    let categories = byLanguage.get(l);
    if (!categories) byLanguage.set(l, (categories = new Map()));
    let group = categories.get(c);
    if (!group) categories.set(c, (group = new Group(l, c)));
    group.statuses.set(status, (group.statuses.get(status) ?? 0) + 1);
    items.set(id, { status, round, group });
  }

  const sizes = [3, 3, 1, 6, 2];
  const categoryCodes = new Map<string, number>();
  const tallies = new Map<number, AnnotatorTally>();
  const tally = (userId: number) => {
    let t = tallies.get(userId);
    if (!t)
      tallies.set(
        userId,
        (t = { validations: 0, decided: 0, agreed: 0, gold: 0, goldCorrect: 0, durations: [] }),
      );
    return t;
  };

  const ratings = validations.ratings(datasetId);
  const F = RATING_FIELDS;
  const coders: number[] = [];
  let i = 0;
  while (i < ratings.length) {
    const itemId = ratings[i] as number;
    const round = ratings[i + 1] as number;
    let j = i + F;
    while (j < ratings.length && ratings[j] === itemId && ratings[j + 1] === round) j += F;
    const item = items.get(itemId);
    if (item) {
      const decided = (item.status === 'accepted' || item.status === 'rejected') && item.round === round;
      coders.length = 0;
      const values: (number | null)[][] = [[], [], [], [], []];
      for (let k = i; k < j; k += F) {
        const validatorId = ratings[k + 2] as number;
        const answers = ratings[k + 3] as number;
        const otherPath = ratings[k + 4] as string | null;
        const grounded = answers % 3;
        const correct = Math.floor(answers / 3) % 3;
        const own = Math.floor(answers / 54);
        let category = 0;
        if (otherPath !== null) {
          category = categoryCodes.get(otherPath) ?? 0;
          if (category === 0) categoryCodes.set(otherPath, (category = categoryCodes.size + 1));
        }
        coders.push(validatorId);
        values[GROUNDED].push(grounded);
        values[CORRECT].push(correct);
        values[CATEGORY].push(category);
        values[QUALITY].push(Math.floor(answers / 9) % 6);
        values[OWN_ANSWER].push(own === 2 ? null : own);
        const t = tally(validatorId);
        t.validations++;
        t.durations.push(ratings[k + 5] as number);
        if (decided) {
          t.decided++;
          if ((grounded === 0 && correct === 0) === (item.status === 'accepted')) t.agreed++;
        }
      }
      sizes[CATEGORY] = categoryCodes.size + 1;
      addUnit(item.group, coders, values, sizes);
    }
    i = j;
  }
  for (const [validatorId, ok, durationMs] of validations.goldResults(datasetId, language)) {
    const t = tally(validatorId);
    t.gold++;
    t.goldCorrect += ok;
    t.durations.push(durationMs);
  }

  const overall = new Group('*', '*');
  const ordered: Group[] = [];
  const coverage: CoverageCell[] = [];
  for (const l of [...byLanguage.keys()].sort()) {
    const total = new Group(l, '*');
    const parts = [...byLanguage.get(l)!.values()].sort((a, b) => a.category.localeCompare(b.category));
    for (const part of parts) {
      total.absorb(part);
      for (const status of [...part.statuses.keys()].sort())
        coverage.push({ language: l, category: part.category, status, count: part.statuses.get(status)! });
    }
    overall.absorb(total);
    if (breakdown) ordered.push(total, ...parts);
  }
  ordered.unshift(overall);
  const questions = ordered
    .filter((g) => g.units > 0)
    .flatMap((g) => agreementQuestions.map((_, q) => questionRow(g, q)));

  /** Mean κ of one annotator with each co-validator, over the whole selection. */
  const kappaOf = (q: number, userId: number) => {
    const mine: KappaResult[] = [];
    for (const [key, p] of overall.pairs) {
      const table = overall.tables[q][p];
      if (table && (Math.floor(key / 2 ** 21) === userId || key % 2 ** 21 === userId))
        mine.push(pairKappa(table));
    }
    return meanKappa(mine);
  };
  const names = validations.userNames([...tallies.keys()]);
  const annotators: AnnotatorAgreement[] = [...tallies.entries()]
    .map(([userId, t]) => ({
      userId,
      name: names.get(userId) ?? String(userId),
      validations: t.validations,
      decided: t.decided,
      agreementWithFinal: t.decided === 0 ? null : t.agreed / t.decided,
      goldValidations: t.gold,
      goldAccuracy: t.gold === 0 ? null : t.goldCorrect / t.gold,
      kappaGrounded: kappaOf(GROUNDED, userId),
      kappaCorrect: kappaOf(CORRECT, userId),
      medianSeconds: ((m) => (m === null ? null : m / 1000))(median(t.durations)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.userId - b.userId);

  return {
    datasetId,
    questions,
    annotators,
    coverage,
    computedMs: Math.round(performance.now() - started),
  };
}

const round3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/**
 * One table of the report as CSV, through the one cell writer (UTF-8 with BOM so Excel reads it; text a
 * spreadsheet would run as a formula, a display name included, gets a leading apostrophe; numbers stay numbers).
 */
export function agreementCsv(
  report: AgreementReport,
  table: 'questions' | 'annotators' | 'coverage',
): string {
  let fields: string[];
  let data: CsvValue[][];
  switch (table) {
    case 'questions':
      fields = [
        'question',
        'language',
        'category',
        'units',
        'values',
        'alpha',
        'alpha_interval',
        'fleiss_kappa',
        'cohen_kappa',
        'percent_agreement',
      ];
      data = report.questions.map((r) => [
        r.question,
        r.language,
        r.category,
        r.units,
        r.values,
        round3(r.alpha),
        round3(r.alphaInterval),
        round3(r.fleissKappa),
        round3(r.cohenKappa),
        round3(r.percentAgreement),
      ]);
      break;
    case 'annotators':
      fields = [
        'user_id',
        'name',
        'validations',
        'decided',
        'agreement_with_final',
        'gold_validations',
        'gold_accuracy',
        'kappa_grounded',
        'kappa_correct',
        'median_seconds',
      ];
      data = report.annotators.map((a) => [
        a.userId,
        a.name,
        a.validations,
        a.decided,
        round3(a.agreementWithFinal),
        a.goldValidations,
        round3(a.goldAccuracy),
        round3(a.kappaGrounded),
        round3(a.kappaCorrect),
        a.medianSeconds === null ? null : Math.round(a.medianSeconds),
      ]);
      break;
    case 'coverage':
      fields = ['language', 'category', 'status', 'count'];
      data = report.coverage.map((c) => [c.language, c.category, c.status, c.count]);
      break;
  }
  return csvTable(fields, data);
}
