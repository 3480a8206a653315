import { describe, expect, it } from 'vitest';
import { completeTask, itemStatus, nextTask, validateNext, validationWorld } from '../helpers/validation.ts';

/** A world with one accepted item marked gold (expected: grounded yes, correct no) and the gold rate set. */
async function withGold(goldRate: number) {
  const w = await validationWorld({ validators: 5 });
  const gold = await w.submit({}, { question: '금 문항: 설날 음식?' });
  for (const v of w.validators.slice(0, 3)) await validateNext(v);
  const res = await w.maintainer.put(`/api/gold/${gold.id}`, { grounded: 'yes', correct: 'no' });
  expect(res.status, res.text).toBe(200);
  const settings = await w.maintainer.patch(`/api/validation-settings/${w.dataset.id}`, { goldRate });
  expect(settings.body).toEqual({ datasetId: w.dataset.id, goldRate, leaseMinutes: 30 });
  return { ...w, gold };
}

describe('gold items', () => {
  it('only maintainers mark items gold; drafts and unknown items are refused', async () => {
    const w = await validationWorld();
    const item = await w.submit();
    expect((await w.reviewer.put(`/api/gold/${item.id}`, { grounded: 'yes', correct: 'yes' })).status).toBe(
      403,
    );
    expect(
      (await w.maintainer.put(`/api/gold/${item.id}`, { grounded: 'maybe', correct: 'yes' })).status,
    ).toBe(400);
    expect((await w.maintainer.put('/api/gold/9999', { grounded: 'yes', correct: 'yes' })).status).toBe(404);
    const draft = await w.author.post('/api/items', {
      datasetId: w.dataset.id,
      language: 'ko',
      kind: 'culture',
      format: 'open_ended',
    });
    const refused = await w.maintainer.put(`/api/gold/${draft.body.id}`, { grounded: 'yes', correct: 'yes' });
    expect(refused.status).toBe(409);
    const ok = await w.maintainer.put(`/api/gold/${item.id}`, { grounded: 'yes', correct: 'yes' });
    expect(ok.body).toMatchObject({ itemId: item.id, grounded: 'yes', correct: 'yes', language: 'ko' });
    expect((await w.maintainer.get(`/api/gold?dataset=${w.dataset.id}`)).body).toHaveLength(1);
    expect((await w.maintainer.delete(`/api/gold/${item.id}`)).status).toBe(204);
    expect((await w.maintainer.delete(`/api/gold/${item.id}`)).status).toBe(404);
  });

  it('when the gold rate is 1, then a validator gets the gold item first; it changes nothing about the item', async () => {
    const w = await withGold(1);
    const fresh = await w.submit({}, { question: '새 질문' });
    const v = w.validators[3]; // never saw the item
    const goldTask = (await nextTask(v))!;
    expect(goldTask.item.id).toBe(w.gold.id);
    expect(JSON.stringify(goldTask)).not.toMatch(/gold/i); // validators are not told
    await completeTask(v, goldTask, { correct: 'no' });
    expect(await itemStatus(w.author, w.gold.id)).toBe('accepted');
    // Gold checks run once per validator; then ordinary work follows.
    expect((await nextTask(v))!.item.id).toBe(fresh.id);
    expect((await v.get('/api/tasks/stats')).body).toEqual({
      validations: 0,
      goldValidations: 1,
      goldAccuracy: 1,
      queue: { left: 1, total: 1, reason: null, allLanguages: false },
    });
    // Those who validated the item before it became gold never get it as a check.
    const earlier = (await nextTask(w.validators[0]))!;
    expect(earlier.item.id).toBe(fresh.id);
  });

  it('when the gold rate is 0, then gold items are never served, not even as ordinary work', async () => {
    const w = await withGold(0);
    await w.t.sql(`UPDATE items SET status = 'submitted' WHERE id = ?`, w.gold.id);
    expect(await nextTask(w.validators[3])).toBeNull();
  });

  it("shows each validator's gold accuracy in the agreement report", async () => {
    const w = await withGold(1);
    const [v4, v5] = w.validators.slice(3);
    await validateNext(v4, { correct: 'no' }); // matches the gold answer
    await validateNext(v5, { correct: 'yes' }); // does not
    const report = await w.maintainer.get(`/api/agreement?dataset=${w.dataset.id}`);
    const byName = Object.fromEntries(
      report.body.annotators.map((a: { name: string; goldAccuracy: number | null }) => [
        a.name,
        a.goldAccuracy,
      ]),
    );
    expect(byName).toMatchObject({ val4: 1, val5: 0, val1: null });
  });

  it('validation settings are checked and only maintainers change them', async () => {
    const w = await validationWorld();
    const url = `/api/validation-settings/${w.dataset.id}`;
    expect((await w.validators[0].get(url)).body).toEqual({
      datasetId: w.dataset.id,
      goldRate: 0.1,
      leaseMinutes: 30,
    });
    expect((await w.reviewer.patch(url, { goldRate: 0.5 })).status).toBe(403);
    expect((await w.maintainer.patch(url, { goldRate: 2 })).status).toBe(400);
    expect((await w.maintainer.patch(url, { leaseMinutes: 0 })).status).toBe(400);
    expect((await w.maintainer.patch('/api/validation-settings/999', { goldRate: 0.5 })).status).toBe(404);
    expect((await w.maintainer.patch(url, { leaseMinutes: 5 })).body.leaseMinutes).toBe(5);
    await w.submit();
    const task = (await nextTask(w.validators[0]))!;
    expect(new Date(task.expiresAt).getTime() - new Date(task.leasedAt).getTime()).toBe(5 * 60_000);
  });
});
