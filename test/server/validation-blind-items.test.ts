import { describe, expect, it } from 'vitest';
import type { ItemListPage } from '../../schema/item.ts';
import { validateNext, validationWorld, type TokenAgent } from '../helpers/validation.ts';

describe('GET /api/items/:id while an item is out for validation', () => {
  it('when a possible validator opens it, then the answers are withheld, and shown once they have validated', async () => {
    const w = await validationWorld();
    const item = await w.submit({ format: 'short_answer' });
    const [v1] = w.validators;

    const before = await v1.get(`/api/items/${item.id}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ question: item.question, answersHidden: true, acceptedAnswers: [] });
    const history = await v1.get(`/api/items/${item.id}/revisions`);
    expect(history.status).toBe(403);
    expect(JSON.stringify(history.body)).not.toContain(item.acceptedAnswers[0]);

    // The author and maintainers always see everything.
    for (const who of [w.author, w.maintainer]) {
      const res = await who.get(`/api/items/${item.id}`);
      expect(res.body.acceptedAnswers).toEqual(item.acceptedAnswers);
      expect(res.body.answersHidden).toBeUndefined();
    }

    await validateNext(v1, {}, { variants: ['떡국'] });
    const after = await v1.get(`/api/items/${item.id}`);
    expect(after.body.acceptedAnswers).toEqual(item.acceptedAnswers);
    expect(after.body.answersHidden).toBeUndefined();
    expect((await v1.get(`/api/items/${item.id}/revisions`)).status).toBe(200);
  });

  it('when an accepted item is gold, then its answers stay hidden from validators', async () => {
    const w = await validationWorld({ validatorsPerItem: 1 });
    const item = await w.submit({ format: 'multiple_choice' });
    await validateNext(w.validators[0], {}, { choice: item.correctIndex! });
    const accepted = await w.maintainer.get(`/api/items/${item.id}`);
    expect(accepted.body.status).toBe('accepted');
    const gold = await w.maintainer.put(`/api/gold/${item.id}`, { grounded: 'yes', correct: 'yes' });
    expect(gold.status, gold.text).toBe(200);

    const res = await w.validators[1].get(`/api/items/${item.id}`);
    expect(res.body).toMatchObject({ answersHidden: true, correctIndex: null });
  });
});

describe('GET /api/items?q= while answers are withheld', () => {
  const REFERENCE = '떡국을 끓여서 먹습니다';
  const search = async (who: TokenAgent, q: string) => {
    const res = await who.get(`/api/items?sort=id_asc&q=${encodeURIComponent(q)}`);
    expect(res.status, res.text).toBe(200);
    return (res.body as ItemListPage).items.map((i) => i.id);
  };

  it('when a validator searches the answers of an item awaiting their validation, then nothing is found until they have validated it', async () => {
    const w = await validationWorld();
    const openEnded = await w.submit({ format: 'open_ended' }, { referenceAnswer: REFERENCE });
    const shortAnswer = await w.submit({ format: 'short_answer' }, { acceptedAnswers: ['떡국', '떡만둣국'] });
    const [v1, v2] = w.validators;
    // The exact reference answer, an accepted-answer variant, a two-character word of the answers (in
    // the reference answer of one and the accepted answers of the other), a one-character word, and a
    // question word together with an answer word.
    const cases = [
      { q: REFERENCE, found: [openEnded.id] },
      { q: '떡만둣국', found: [shortAnswer.id] },
      { q: '떡국', found: [openEnded.id, shortAnswer.id] },
      { q: '끓', found: [openEnded.id] },
      { q: '가족이 떡만둣국', found: [shortAnswer.id] },
    ];
    for (const { q } of cases) {
      expect(await search(v1, q), q).toEqual([]);
      expect(await search(w.reviewer, q), q).toEqual([]);
    }
    // The question stays searchable: only the answers are withheld.
    expect(await search(v1, '가족이 함께')).toEqual([openEnded.id, shortAnswer.id]);

    for (const { q, found } of cases) {
      expect(await search(w.author, q), q).toEqual(found);
      expect(await search(w.maintainer, q), q).toEqual(found);
    }

    await validateNext(v1, {}, { variants: ['떡국'] });
    await validateNext(v1, {}, { variants: ['떡국'] });
    for (const { q, found } of cases) {
      expect(await search(v1, q), q).toEqual(found);
      expect(await search(v2, q), q).toEqual([]);
    }
  });

  it('when a validator finds an item by its question, then the matches show no field of its answers', async () => {
    const w = await validationWorld();
    const item = await w.submit(
      { format: 'open_ended' },
      { question: '설날에 먹는 음식은?', questionEn: null, referenceAnswer: REFERENCE },
    );
    const matches = async (who: TokenAgent) => {
      const res = await who.get(`/api/items?q=${encodeURIComponent('먹')}`);
      expect(res.status, res.text).toBe(200);
      return (res.body as ItemListPage).items.map((i) => [i.id, i.matches]);
    };
    const question = { field: 'question', text: '설날에 먹는 음식은?', ranges: [[4, 5]] };
    expect(await matches(w.validators[0])).toEqual([[item.id, [question]]]);
    expect(await matches(w.author)).toEqual([
      [item.id, [question, { field: 'referenceAnswer', text: REFERENCE, ranges: [[8, 9]] }]],
    ]);
  });

  it('when an item is gold, then only its author, maintainers and those who validated it find it by its answers', async () => {
    const w = await validationWorld({ validatorsPerItem: 1 });
    const item = await w.submit({ format: 'short_answer' }, { acceptedAnswers: ['떡국', '떡만둣국'] });
    await validateNext(w.validators[0], {}, { variants: ['떡국'] });
    const gold = await w.maintainer.put(`/api/gold/${item.id}`, { grounded: 'yes', correct: 'yes' });
    expect(gold.status, gold.text).toBe(200);
    expect((await w.maintainer.get(`/api/items/${item.id}`)).body.status).toBe('accepted');

    for (const q of ['떡만둣국', '떡국']) {
      expect(await search(w.validators[1], q), q).toEqual([]);
      expect(await search(w.reviewer, q), q).toEqual([]);
      for (const who of [w.author, w.maintainer, w.validators[0]])
        expect(await search(who, q), `${who.user.username}: ${q}`).toEqual([item.id]);
    }

    // Taken back out of gold, an accepted item's answers are open to its language again.
    expect((await w.maintainer.delete(`/api/gold/${item.id}`)).status).toBe(204);
    expect(await search(w.validators[1], '떡만둣국')).toEqual([item.id]);
  });
});
