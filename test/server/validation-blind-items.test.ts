import { describe, expect, it } from 'vitest';
import { validateNext, validationWorld } from '../helpers/validation.ts';

describe('GET /api/items/:id while an item is out for validation', () => {
  it('when a possible validator opens it, then the answers are withheld, and shown once they have validated', async () => {
    const w = await validationWorld();
    const item = await w.submit({ format: 'short_answer' });
    const [v1] = w.validators;

    const before = await v1!.get(`/api/items/${item.id}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ question: item.question, answersHidden: true, acceptedAnswers: [] });
    const history = await v1!.get(`/api/items/${item.id}/revisions`);
    expect(history.status).toBe(403);
    expect(JSON.stringify(history.body)).not.toContain(item.acceptedAnswers[0]!);

    // The author and maintainers always see everything.
    for (const who of [w.author, w.maintainer]) {
      const res = await who.get(`/api/items/${item.id}`);
      expect(res.body.acceptedAnswers).toEqual(item.acceptedAnswers);
      expect(res.body.answersHidden).toBeUndefined();
    }

    await validateNext(v1!, {}, { variants: ['떡국'] });
    const after = await v1!.get(`/api/items/${item.id}`);
    expect(after.body.acceptedAnswers).toEqual(item.acceptedAnswers);
    expect(after.body.answersHidden).toBeUndefined();
    expect((await v1!.get(`/api/items/${item.id}/revisions`)).status).toBe(200);
  });

  it('when an accepted item is gold, then its answers stay hidden from validators', async () => {
    const w = await validationWorld({ validatorsPerItem: 1 });
    const item = await w.submit({ format: 'multiple_choice' });
    await validateNext(w.validators[0]!, {}, { choice: item.correctIndex! });
    const accepted = await w.maintainer.get(`/api/items/${item.id}`);
    expect(accepted.body.status).toBe('accepted');
    const gold = await w.maintainer.put(`/api/gold/${item.id}`, { grounded: 'yes', correct: 'yes' });
    expect(gold.status, gold.text).toBe(200);

    const res = await w.validators[1]!.get(`/api/items/${item.id}`);
    expect(res.body).toMatchObject({ answersHidden: true, correctIndex: null });
  });
});
