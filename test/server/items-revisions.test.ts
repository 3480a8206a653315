import { describe, expect, it } from 'vitest';
import type { ItemRevision } from '../../schema/item.ts';
import { createTestContext } from '../helpers/app.ts';
import { addDataset, createItem } from '../helpers/items.ts';

async function setup() {
  const t = await createTestContext();
  const dataset = await addDataset(t);
  await t.addUser('jiwoo', 'annotator', ['ko']);
  await t.addUser('minho', 'reviewer', ['ko']);
  await t.addUser('mara', 'maintainer');
  const jiwoo = await t.login('jiwoo');
  const item = await createItem(jiwoo, dataset.id, {}, { referenceAnswer: '떡국', notes: null });
  await jiwoo
    .patch(`/api/items/${item.id}`, { version: 1, changes: { referenceAnswer: '만둣국' } })
    .expect(200);
  await jiwoo
    .patch(`/api/items/${item.id}`, { version: 2, changes: { notes: '출처 확인 필요', difficulty: 'hard' } })
    .expect(200);
  return { t, item, jiwoo, minho: await t.login('minho'), maintainer: await t.login('mara') };
}

describe('GET /api/items/:id/revisions', () => {
  it('lists every save newest first, with who made it and what changed', async () => {
    const { item, jiwoo } = await setup();
    const res = await jiwoo.get(`/api/items/${item.id}/revisions`);
    expect(res.status).toBe(200);
    const revisions = res.body as ItemRevision[];
    expect(revisions.map((r) => [r.version, r.action])).toEqual([
      [3, 'update'],
      [2, 'update'],
      [1, 'create'],
    ]);
    expect(revisions[0]).toMatchObject({
      itemId: item.id,
      userId: jiwoo.user.id,
      userName: 'jiwoo',
      changes: { notes: [null, '출처 확인 필요'], difficulty: [null, 'hard'] },
      createdAt: expect.any(String),
    });
    expect(revisions[1].changes).toEqual({ referenceAnswer: ['떡국', '만둣국'] });
    expect(revisions[0]).not.toHaveProperty('snapshot');
  });

  it('shows one revision with the full item as it was then', async () => {
    const { item, jiwoo } = await setup();
    const res = await jiwoo.get(`/api/items/${item.id}/revisions/2`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, action: 'update' });
    expect(res.body.snapshot).toMatchObject({
      ...item,
      version: 2,
      referenceAnswer: '만둣국',
      updatedAt: expect.any(String),
    });
    expect((await jiwoo.get(`/api/items/${item.id}/revisions/9`)).status).toBe(404);
    expect((await jiwoo.get(`/api/items/${item.id}/revisions/x`)).status).toBe(404);
  });

  it('hides a draft’s history from other annotators but not from maintainers', async () => {
    const { item, minho, maintainer } = await setup();
    expect((await minho.get(`/api/items/${item.id}/revisions`)).status).toBe(404);
    expect((await maintainer.get(`/api/items/${item.id}/revisions`)).status).toBe(200);
  });
});

describe('POST /api/items/:id/revisions/:version/restore', () => {
  it('when the author restores an old revision, then its fields come back as a new revision and history is kept', async () => {
    const { item, jiwoo } = await setup();
    const res = await jiwoo.post(`/api/items/${item.id}/revisions/1/restore`, { version: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 4, referenceAnswer: '떡국', notes: null, difficulty: null });
    const revisions = (await jiwoo.get(`/api/items/${item.id}/revisions`)).body as ItemRevision[];
    expect(revisions.map((r) => r.version)).toEqual([4, 3, 2, 1]);
    expect(revisions[0]).toMatchObject({
      action: 'restore',
      changes: {
        referenceAnswer: ['만둣국', '떡국'],
        notes: ['출처 확인 필요', null],
        difficulty: ['hard', null],
      },
    });
    // The restored revision is still there, unchanged.
    const old = await jiwoo.get(`/api/items/${item.id}/revisions/3`);
    expect(old.body.snapshot).toMatchObject({ referenceAnswer: '만둣국', notes: '출처 확인 필요' });
  });

  it('when the version is stale, then 409 stale-version with the current item and nothing is written', async () => {
    const { item, jiwoo } = await setup();
    const res = await jiwoo.post(`/api/items/${item.id}/revisions/1/restore`, { version: 2 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('stale-version');
    expect(res.body.error.details.current).toMatchObject({ version: 3, referenceAnswer: '만둣국' });
    expect((await jiwoo.get(`/api/items/${item.id}/revisions`)).body).toHaveLength(3);
  });

  it('when someone else restores, or the revision does not exist, or the body is wrong, then 403/404/400', async () => {
    const { item, jiwoo, maintainer } = await setup();
    expect((await maintainer.post(`/api/items/${item.id}/revisions/1/restore`, { version: 3 })).status).toBe(
      403,
    );
    expect((await jiwoo.post(`/api/items/${item.id}/revisions/42/restore`, { version: 3 })).status).toBe(404);
    expect(
      (await jiwoo.post(`/api/items/${item.id}/revisions/1/restore`, { version: 'latest' })).status,
    ).toBe(400);
  });

  it('when the item has been submitted, then restoring is refused with 409 not-editable', async () => {
    const { item, jiwoo } = await setup();
    await jiwoo.post(`/api/items/${item.id}/submit`, { version: 3 }).expect(200);
    const res = await jiwoo.post(`/api/items/${item.id}/revisions/1/restore`, { version: 4 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not-editable');
  });
});
