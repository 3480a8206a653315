import { describe, expect, it } from 'vitest';
import type { NewTask } from '../../../server/db/validations.ts';
import {
  addHiddenImport,
  addItem,
  at,
  engines,
  task,
  type Engine,
  validationWorld,
} from './validation-engines.ts';

/**
 * What the validation repository reads for queues and reports — the review queue, a validator's progress and
 * record, the agreement report's inputs — the same hand-written figures on SQLite and on PostgreSQL.
 */

type Verdict = 'yes' | 'no' | 'unsure';
/** A submitted validation; the lease starts at 11:40, so `seconds` after it is its duration. */
async function validate(
  e: Engine,
  t: Partial<NewTask> & Pick<NewTask, 'itemId' | 'validatorId'>,
  v: {
    grounded?: Verdict;
    correct?: Verdict;
    categoryPath?: string;
    quality?: number;
    seconds?: number;
  } = {},
) {
  const id = await e.validations.insertTask(task(t));
  const submittedAt = new Date(Date.parse(at(100)) + (v.seconds ?? 60) * 1000).toISOString();
  await e.validations.submit(
    id,
    {
      grounded: v.grounded ?? 'yes',
      correct: v.correct ?? 'yes',
      category: v.categoryPath ? 'other' : 'keep',
      categoryPath: v.categoryPath ?? null,
      quality: v.quality ?? 5,
      comment: null,
    },
    submittedAt,
  );
  return id;
}

const summary = (agreement: number | null) => ({
  round: 1,
  validations: 2,
  agreement,
  unanimous: false,
  resolution: null,
  updatedAt: at(200),
});

describe.each(engines)('validation queues and reports on $engine', ({ open }) => {
  it('orders the review queue by agreement (unknown last), then submission, leaving out conflicted items', async () => {
    const e = await open();
    await validationWorld(e);
    const inReview = { status: 'in_review' } as const;
    await addItem(e, { id: 41, ...inReview, submittedAt: at(41), primaryCategory: 'food/rice' });
    await addItem(e, { id: 42, ...inReview, submittedAt: at(42) });
    await addItem(e, { id: 43, ...inReview, submittedAt: at(43) });
    await addItem(e, { id: 44, ...inReview, author: 4 });
    await addItem(e, { id: 45, ...inReview, language: 'en' });
    await addItem(e, { id: 46, ...inReview, dataset: 2, submittedAt: at(40) });
    await addItem(e, { id: 47, ...inReview });
    await addItem(e, { id: 48, status: 'accepted' });
    for (const [id, agreement] of [
      [41, 0.8],
      [43, 0.5],
      [44, 0.1],
      [45, 0.2],
      [46, 0.5],
      [47, 0.3],
    ] as const)
      await e.validations.saveRoundSummary(id, summary(agreement));
    await validate(e, { itemId: 47, validatorId: 4 });

    const reviewer = await e.validations.reviewQueue({ languages: ['ko'], caller: 4, limit: 10, offset: 0 });
    expect(reviewer.items.map((i) => i.id)).toEqual([46, 43, 41, 42]);
    expect(reviewer.total).toBe(4);
    expect(reviewer.all).toBe(6);
    expect(reviewer.items[2]).toEqual({
      id: 41,
      uid: 'uid-41',
      datasetId: 1,
      language: 'ko',
      kind: 'culture',
      format: 'open_ended',
      question: 'Question 41',
      primaryCategory: 'food/rice',
      hazard: null,
      authorName: 'Alice Author',
      validations: 2,
      agreement: 0.8,
      updatedAt: '2026-03-01T10:41:00.000Z',
      waitsForMaintainer: false,
    });
    expect(reviewer.items[3]).toMatchObject({ id: 42, validations: 0, agreement: null });

    // A maintainer sees every language; an item whose only reviewers are conflicted or disabled waits for them.
    const maintainer = await e.validations.reviewQueue({ languages: null, caller: 5, limit: 10, offset: 0 });
    expect(maintainer.items.map((i) => [i.id, i.waitsForMaintainer])).toEqual([
      [44, true],
      [45, true],
      [47, true],
      [46, false],
      [43, false],
      [41, false],
      [42, false],
    ]);
    expect([maintainer.total, maintainer.all]).toEqual([7, 7]);
    const page = await e.validations.reviewQueue({ languages: null, caller: 5, limit: 2, offset: 1 });
    expect(page.items.map((i) => i.id)).toEqual([45, 47]);
    expect(page.total).toBe(7);
    const filtered = (f: { dataset?: number; language?: string }) =>
      e.validations.reviewQueue({ languages: null, caller: 5, limit: 10, offset: 0, ...f });
    expect((await filtered({ dataset: 2 })).items.map((i) => i.id)).toEqual([46]);
    expect((await filtered({ language: 'en' })).items.map((i) => i.id)).toEqual([45]);
    expect(await e.validations.reviewQueue({ languages: [], caller: 4, limit: 10, offset: 0 })).toEqual({
      items: [],
      total: 0,
      all: 0,
    });

    expect(await e.validations.conflicted(44, 4)).toBe(true);
    expect(await e.validations.conflicted(47, 4)).toBe(true);
    expect(await e.validations.conflicted(41, 4)).toBe(false);
  });

  it("counts what is waiting in a validator's languages, their own, and what is left for them", async () => {
    const e = await open();
    await validationWorld(e);
    await addHiddenImport(e, 1, 1, 5);
    await addItem(e, { id: 60 });
    await addItem(e, { id: 61, status: 'in_validation', author: 2 });
    await addItem(e, { id: 62, status: 'in_validation' });
    await addItem(e, { id: 63, status: 'in_validation' });
    await addItem(e, { id: 64, status: 'in_validation' });
    await addItem(e, { id: 65 });
    await addItem(e, { id: 66, importId: 1 });
    await addItem(e, { id: 67, language: 'en' });
    await addItem(e, { id: 68, status: 'draft' });
    await e.validations.setGold({
      itemId: 65,
      grounded: 'yes',
      correct: 'yes',
      createdBy: 5,
      createdAt: at(1),
    });
    await validate(e, { itemId: 62, validatorId: 2 });
    // 63 is full: one lease held, one validation in.
    await e.validations.insertTask(task({ itemId: 63, validatorId: 3 }));
    await validate(e, { itemId: 63, validatorId: 4 });
    // 64 has its two validations but no lease: SQLite counts it as left, and so must PostgreSQL.
    await validate(e, { itemId: 64, validatorId: 3 });
    await validate(e, { itemId: 64, validatorId: 4 });

    expect(await e.validations.validationProgress(2, ['ko'])).toEqual({ total: 5, own: 1, left: 2 });
    expect(await e.validations.validationProgress(2, ['ko', 'en'])).toEqual({ total: 6, own: 1, left: 3 });
    expect(await e.validations.validationProgress(3, ['ko'])).toEqual({ total: 5, own: 0, left: 4 });
    expect(await e.validations.validationProgress(2, [])).toEqual({ total: 0, own: 0, left: 0 });
  });

  it("gives the agreement report's inputs and each validator's record against gold", async () => {
    const e = await open();
    await validationWorld(e);
    await addHiddenImport(e, 1, 1, 5);
    await addItem(e, { id: 50, primaryCategory: 'food/rice', status: 'in_validation' });
    await addItem(e, { id: 51, kind: 'safety', hazard: 'violence/weapons', status: 'in_validation' });
    await addItem(e, { id: 52, language: 'en' });
    await addItem(e, { id: 53, primaryCategory: 'festival', status: 'accepted' });
    await addItem(e, { id: 54, importId: 1 });
    await addItem(e, { id: 55, dataset: 2 });
    await e.run('INSERT INTO item_validation (item_id, round) VALUES (51, 2)');
    await e.validations.setGold({
      itemId: 53,
      grounded: 'yes',
      correct: 'no',
      createdBy: 5,
      createdAt: at(1),
    });

    const matched = await validate(e, { itemId: 50, validatorId: 2 }, { quality: 5, seconds: 61.5 });
    await e.run('UPDATE validations SET own_answer_matches = TRUE WHERE id = ?', [matched]);
    await validate(
      e,
      { itemId: 50, validatorId: 3 },
      { grounded: 'no', correct: 'unsure', categoryPath: 'food/noodles', quality: 2, seconds: 30 },
    );
    const missed = await validate(
      e,
      { itemId: 51, validatorId: 2, round: 2 },
      { grounded: 'unsure', quality: 3, seconds: 45 },
    );
    await e.run('UPDATE validations SET own_answer_matches = FALSE WHERE id = ?', [missed]);
    await e.validations.insertTask(task({ itemId: 52, validatorId: 3 }));
    await validate(e, { itemId: 53, validatorId: 2, round: 0, gold: true }, { correct: 'no', seconds: 20 });
    await validate(e, { itemId: 53, validatorId: 3, round: 0, gold: true }, { seconds: 25 });

    // itemId, round, validatorId, grounded + 3 × correct + 9 × quality + 54 × own answer, other path, ms.
    // prettier-ignore
    expect(await e.validations.ratings(1)).toEqual([
      50, 1, 2, 0 + 0 + 45 + 54, null, 61500,
      50, 1, 3, 1 + 6 + 18 + 108, 'food/noodles', 30000,
      51, 2, 2, 2 + 0 + 27 + 0, null, 45000,
    ]);
    expect(await e.validations.ratings(2)).toEqual([]);
    expect(await e.validations.agreementItems(1)).toEqual([
      [50, 'ko', 'food', 'in_validation', 1],
      [51, 'ko', 'violence', 'in_validation', 2],
      [52, 'en', '', 'submitted', 1],
      [53, 'ko', 'festival', 'accepted', 1],
    ]);
    expect(await e.validations.agreementItems(1, 'en')).toEqual([[52, 'en', '', 'submitted', 1]]);
    expect(await e.validations.agreementItems(1, 'ar')).toEqual([]);
    expect(await e.validations.goldResults(1)).toEqual([
      [2, 1, 20000],
      [3, 0, 25000],
    ]);
    expect(await e.validations.goldResults(1, 'en')).toEqual([]);
    expect(await e.validations.userNames([3, 2, 99])).toEqual(
      new Map([
        [2, 'Val One'],
        [3, 'Val Two'],
      ]),
    );
    expect(await e.validations.myStats(2)).toEqual({ validations: 2, gold: 1, gold_correct: 1 });
    expect(await e.validations.myStats(3)).toEqual({ validations: 1, gold: 1, gold_correct: 0 });
    expect(await e.validations.myStats(4)).toEqual({ validations: 0, gold: 0, gold_correct: 0 });
  });
});
