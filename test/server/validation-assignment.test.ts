import { describe, expect, it } from 'vitest';
import type { ValidationTask } from '../../schema/validation.ts';
import {
  completeTask,
  itemStatus,
  nextTask,
  tokenAgent,
  validateNext,
  validationWorld,
} from '../helpers/validation.ts';

describe('POST /api/tasks/next', () => {
  it('when a validator asks, then they lease a submitted item in their language, which moves to in_validation', async () => {
    const w = await validationWorld();
    const item = await w.submit();
    const task = await nextTask(w.validators[0]);
    expect(task).toMatchObject({
      status: 'leased',
      ownAnswerRequired: true,
      ownAnswer: null,
      reference: null,
      item: { id: item.id, language: 'ko', question: item.question, format: 'open_ended' },
    });
    expect(JSON.stringify(task)).not.toContain('떡국'); // the reference answer is hidden
    expect(new Date(task!.expiresAt).getTime() - new Date(task!.leasedAt).getTime()).toBe(30 * 60_000);
    expect(await itemStatus(w.author, item.id)).toBe('in_validation');
    const revisions = await w.author.get(`/api/items/${item.id}/revisions`);
    expect(revisions.body[0]).toMatchObject({
      action: 'status',
      changes: { status: ['submitted', 'in_validation'] },
    });
  });

  it('when the item is multiple choice, then the options come without the correct one', async () => {
    const w = await validationWorld();
    await w.submit({ format: 'multiple_choice' });
    const task = await nextTask(w.validators[0]);
    expect(task!.item.options).toEqual(['떡국', '송편', '팥죽', '냉면']);
    expect(task!.reference).toBeNull();
    expect(JSON.stringify(task)).not.toContain('correctIndex');
  });

  it('never gives authors their own items, nor items outside their languages, nor drafts', async () => {
    const w = await validationWorld();
    await w.submit();
    const noLanguages = await tokenAgent(w.t, 'nolang', 'annotator', []);
    expect(await nextTask(w.author)).toBeNull();
    expect(await nextTask(w.outsider)).toBeNull();
    expect(await nextTask(noLanguages)).toBeNull();
    const draft = await w.author.post('/api/items', {
      datasetId: w.dataset.id,
      language: 'ko',
      kind: 'culture',
      format: 'open_ended',
    });
    expect(draft.status).toBe(201);
    const first = await validateNext(w.validators[0]);
    expect(first.item.id).not.toBe(draft.body.id);
    expect(await nextTask(w.validators[0])).toBeNull(); // the draft is never work
  });

  it('never gives the same item to the same validator twice', async () => {
    const w = await validationWorld();
    const a = await w.submit();
    const b = await w.submit();
    const first = await validateNext(w.validators[0]);
    const second = await validateNext(w.validators[0]);
    expect([first.item.id, second.item.id].sort()).toEqual([a.id, b.id].sort());
    expect(await nextTask(w.validators[0])).toBeNull();
  });

  it('when a validator already holds a lease, then next returns the same task', async () => {
    const w = await validationWorld();
    await w.submit();
    await w.submit();
    const first = await nextTask(w.validators[0]);
    const again = await nextTask(w.validators[0]);
    expect(again!.id).toBe(first!.id);
  });

  it('hands out exactly N slots per item: a third validator gets nothing while two hold leases', async () => {
    const w = await validationWorld({ validatorsPerItem: 2 });
    const item = await w.submit();
    const [v1, v2, v3] = w.validators;
    expect((await nextTask(v1))!.item.id).toBe(item.id);
    expect((await nextTask(v2))!.item.id).toBe(item.id);
    expect(await nextTask(v3)).toBeNull();
  });

  it('when a lease expires, then its slot returns to the pool and the late validator cannot submit', async () => {
    const w = await validationWorld({ validatorsPerItem: 2 });
    const item = await w.submit();
    const [v1, v2, v3] = w.validators;
    const abandoned = (await nextTask(v1))!;
    await nextTask(v2);
    expect(await nextTask(v3)).toBeNull();
    // No sleeping: the lease's expiry is moved into the past, as if 30 minutes had gone by.
    await w.t.repos.validations.setLeaseExpiry(abandoned.id, new Date(Date.now() - 1000).toISOString());
    const taken = await nextTask(v3);
    expect(taken!.item.id).toBe(item.id);
    expect((await v1.get(`/api/tasks/${abandoned.id}`)).status).toBe(404);
    const late = await v1.post(`/api/tasks/${abandoned.id}/answer`, { ownAnswer: { variants: ['떡국'] } });
    expect(late.status).toBe(404);
  });

  it('when a validator releases a task, then someone else can take the slot', async () => {
    const w = await validationWorld({ validatorsPerItem: 1 });
    await w.submit();
    const [v1, v2] = w.validators;
    const task = (await nextTask(v1))!;
    expect(await nextTask(v2)).toBeNull();
    expect((await v1.delete(`/api/tasks/${task.id}`)).status).toBe(204);
    expect((await nextTask(v2))!.item.id).toBe(task.item.id);
  });

  it('when ?dataset is given, then only that dataset is served; an unknown dataset is 404', async () => {
    const w = await validationWorld();
    await w.submit();
    const other = await w.t.repos.datasets.create({
      slug: 'other',
      name: 'Other',
      description: '',
      validatorsPerItem: 3,
      autoAccept: true,
    });
    expect(await nextTask(w.validators[0], `?dataset=${other.id}`)).toBeNull();
    expect((await w.validators[0].post('/api/tasks/next?dataset=9999')).status).toBe(404);
    expect((await w.validators[0].post('/api/tasks/next?dataset=abc')).status).toBe(400);
  });

  // 40 users, 20 items and 40 requests at once per round: ≈ 5 s on SQLite on a loaded machine; on PostgreSQL the
  // assignments queue on the assignment lock, each holding it across all its queries: ≈ 3–4× that.
  it('when 40 validators ask at once, round after round, then every item gets exactly N validations', async () => {
    const w = await validationWorld({ validatorsPerItem: 3, validators: 40 });
    const items = [];
    for (let i = 0; i < 20; i++) items.push(await w.submit({}, { question: `동시성 질문 ${i}` }));
    const seen = new Map<number, number[]>(); // item → validators
    let round = 0;
    for (;;) {
      round++;
      const tasks = await Promise.all(
        w.validators.map(async (v) => {
          const res = await v.post('/api/tasks/next');
          expect(res.status, res.text).toBe(200);
          return { v, task: (res.body as { task: ValidationTask | null }).task };
        }),
      );
      const leased = tasks.filter((x) => x.task !== null);
      if (leased.length === 0) break;
      // Within one wave: no item is leased more than N times, and each lease is a distinct (item, user).
      const perItem = new Map<number, number>();
      for (const { task } of leased) perItem.set(task!.item.id, (perItem.get(task!.item.id) ?? 0) + 1);
      for (const n of perItem.values()) expect(n).toBeLessThanOrEqual(3);
      await Promise.all(
        leased.map(async ({ v, task }) => {
          const list = seen.get(task!.item.id) ?? [];
          expect(list).not.toContain(v.user.id);
          seen.set(task!.item.id, [...list, v.user.id]);
          await completeTask(v, task!);
        }),
      );
      expect(round).toBeLessThan(10);
    }
    expect(seen.size).toBe(20);
    for (const validators of seen.values()) expect(validators).toHaveLength(3);
    const rows = await w.t.sql<{ item_id: number; n: number }>(
      `SELECT item_id, count(*) AS n FROM validations WHERE status = 'submitted' GROUP BY item_id`,
    );
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.n === 3)).toBe(true);
    for (const item of items) expect(await itemStatus(w.author, item.id)).toBe('accepted');
  }, 60_000);
});
