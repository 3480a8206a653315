import type { ItemStatus } from '../../../schema/item.ts';
import {
  agreementQuestions,
  type AgreementReport,
  type AnnotatorAgreement,
  type CoverageCell,
} from '../../../schema/validation.ts';
import type { ValidationRepository } from '../../db/repositories.ts';
import { RATING_FIELDS } from '../../db/validations.ts';
import type { KappaResult } from './kappa.ts';
import {
  addUnit,
  CATEGORY,
  CORRECT,
  GROUNDED,
  Group,
  meanKappa,
  OWN_ANSWER,
  pairKappa,
  QUALITY,
  questionRow,
} from './report-groups.ts';

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
export async function agreementReport(
  validations: ValidationRepository,
  datasetId: number,
  language?: string,
  /** false: only the overall row per question (no language × category breakdown). */
  breakdown = true,
): Promise<AgreementReport> {
  const started = performance.now();
  const items = new Map<number, { status: ItemStatus; round: number; group: Group }>();
  // Units go into their language × category group only; languages and the total absorb those after.
  const byLanguage = new Map<string, Map<string, Group>>();
  for (const [id, l, c, status, round] of await validations.agreementItems(datasetId, language)) {
    let categories = byLanguage.get(l);
    if (!categories) byLanguage.set(l, (categories = new Map<string, Group>()));
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

  const ratings = await validations.ratings(datasetId);
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
  for (const [validatorId, ok, durationMs] of await validations.goldResults(datasetId, language)) {
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
  const names = await validations.userNames([...tallies.keys()]);
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
