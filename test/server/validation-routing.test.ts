import { describe, expect, it } from 'vitest';
import { itemStatus, validateNext, validationWorld } from '../helpers/validation.ts';

describe('completing a round routes the item', () => {
  it('when N validators agree it is fine and the dataset auto-accepts, then it is accepted as unanimous', async () => {
    const w = await validationWorld();
    const item = await w.submit();
    for (const v of w.validators) await validateNext(v);
    expect(await itemStatus(w.author, item.id)).toBe('accepted');
    expect(await w.t.repos.validations.validationSummary([item.id])).toEqual([
      { itemId: item.id, round: 1, validations: 3, agreement: 1, unanimous: true, resolution: 'unanimous' },
    ]);
    const decisions = await w.author.get(`/api/items/${item.id}/decisions`);
    expect(decisions.status).toBe(200);
    expect(decisions.body).toMatchObject([{ decision: 'accept', reviewerId: null, round: 1 }]);
    const revisions = await w.author.get(`/api/items/${item.id}/revisions`);
    expect(revisions.body[0].changes).toEqual({ status: ['in_validation', 'accepted'] });
  });

  it('when the dataset does not auto-accept, then even a unanimous item goes to review', async () => {
    const w = await validationWorld({ autoAccept: false });
    const item = await w.submit();
    for (const v of w.validators) await validateNext(v);
    expect(await itemStatus(w.author, item.id)).toBe('in_review');
    expect((await w.t.repos.validations.validationSummary([item.id]))[0]).toMatchObject({
      unanimous: true,
      resolution: null,
      agreement: 1,
    });
  });

  it('when fewer than N have validated, then the item stays in validation', async () => {
    const w = await validationWorld();
    const item = await w.submit();
    await validateNext(w.validators[0]);
    await validateNext(w.validators[1]);
    expect(await itemStatus(w.author, item.id)).toBe('in_validation');
    expect((await w.t.repos.validations.validationSummary([item.id]))[0]).toMatchObject({
      validations: 0,
      resolution: null,
    });
  });

  it('when any validator says not grounded, incorrect or unsure, then the item goes to review, lowest agreement first', async () => {
    const w = await validationWorld();
    const mild = await w.submit({}, { question: '설날 음식은?' });
    const [v1, v2, v3] = w.validators;
    // mild: one "unsure" on correctness → agreement (1 + 1/3 + 1) / 3
    await validateNext(v1);
    await validateNext(v2);
    await validateNext(v3, { correct: 'unsure' });
    const harsh = await w.submit({}, { question: '추석 음식은?' });
    // harsh: grounded and category all different, correctness one agreeing pair of three → 1/9
    await validateNext(v1, {
      grounded: 'no',
      correct: 'no',
      category: 'other',
      categoryPath: 'tradition/holidays',
    });
    await validateNext(v2, { grounded: 'unsure' });
    await validateNext(v3, { correct: 'no', category: 'other', categoryPath: 'society/family' });
    expect(await itemStatus(w.author, mild.id)).toBe('in_review');
    expect(await itemStatus(w.author, harsh.id)).toBe('in_review');
    const [m, h] = await w.t.repos.validations.validationSummary([mild.id, harsh.id]);
    expect(m.agreement).toBeCloseTo((1 + 1 / 3 + 1) / 3, 10);
    expect(h.agreement).toBeCloseTo(1 / 9, 10);
    expect(h.unanimous).toBe(false);
    const queue = await w.reviewer.get('/api/review/queue');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { id: number }) => i.id)).toEqual([harsh.id, mild.id]);
    expect(queue.body).toMatchObject({ total: 2, page: 1 });
    expect(queue.body.items[0]).toMatchObject({ validations: 3 });
  });

  it('validationSummary answers for items never validated too, in the order asked', async () => {
    const w = await validationWorld();
    const item = await w.submit();
    expect(await w.t.repos.validations.validationSummary([item.id, 999])).toEqual([
      { itemId: item.id, round: 1, validations: 0, agreement: null, unanimous: null, resolution: null },
      { itemId: 999, round: 1, validations: 0, agreement: null, unanimous: null, resolution: null },
    ]);
  });
});
