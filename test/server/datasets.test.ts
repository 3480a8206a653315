import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.ts';

async function setup() {
  const t = await createTestContext();
  await t.addUser('mara', 'maintainer');
  await t.addUser('amina', 'annotator', ['sw']);
  return { t, maintainer: await t.login('mara'), annotator: await t.login('amina') };
}

describe('POST /api/datasets', () => {
  it('when a maintainer creates a dataset, then it gets the defaults and appears in the list', async () => {
    const { maintainer, annotator } = await setup();
    const res = await maintainer.post('/api/datasets', { slug: 'ko-culture', name: 'Korean culture' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(Number),
      slug: 'ko-culture',
      name: 'Korean culture',
      description: '',
      validatorsPerItem: 3,
      autoAccept: true,
      createdAt: expect.any(String),
    });
    const list = await annotator.get('/api/datasets');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([res.body]);
  });

  it('when the fields are wrong, then 400 with each bad field', async () => {
    const { maintainer } = await setup();
    const res = await maintainer.post('/api/datasets', {
      slug: 'Not A Slug',
      name: '',
      validatorsPerItem: 21,
      autoAccept: 'yes',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-input');
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['autoAccept', 'name', 'slug', 'validatorsPerItem']);
  });

  it('when the slug is taken, then 409 slug-taken', async () => {
    const { maintainer } = await setup();
    await maintainer.post('/api/datasets', { slug: 'ko-culture', name: 'A' }).expect(201);
    const res = await maintainer.post('/api/datasets', { slug: 'ko-culture', name: 'B' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('slug-taken');
  });
});

describe('PATCH /api/datasets/:id', () => {
  it('when a maintainer changes settings, then only those change', async () => {
    const { maintainer } = await setup();
    const created = await maintainer.post('/api/datasets', {
      slug: 'sea-safety',
      name: 'Southeast Asian safety',
      description: 'Prompts a safe model refuses',
    });
    const res = await maintainer.patch(`/api/datasets/${created.body.id}`, {
      validatorsPerItem: 5,
      autoAccept: false,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, validatorsPerItem: 5, autoAccept: false });
  });

  it('when the dataset does not exist or the id is not a number, then 404', async () => {
    const { maintainer } = await setup();
    for (const id of ['999', 'abc', '1.5', '-1']) {
      const res = await maintainer.patch(`/api/datasets/${id}`, { name: 'x' });
      expect(res.status, id).toBe(404);
    }
  });

  it('when an annotator patches, or the body has unknown fields, then 403 / 400', async () => {
    const { maintainer, annotator } = await setup();
    const created = await maintainer.post('/api/datasets', { slug: 'a', name: 'A' });
    expect((await annotator.patch(`/api/datasets/${created.body.id}`, { name: 'B' })).status).toBe(403);
    const unknown = await maintainer.patch(`/api/datasets/${created.body.id}`, { owner: 'me' });
    expect(unknown.status).toBe(400);
  });

  it('when the new slug belongs to another dataset, then 409', async () => {
    const { maintainer } = await setup();
    await maintainer.post('/api/datasets', { slug: 'a', name: 'A' });
    const b = await maintainer.post('/api/datasets', { slug: 'b', name: 'B' });
    const res = await maintainer.patch(`/api/datasets/${b.body.id}`, { slug: 'a' });
    expect(res.status).toBe(409);
    const own = await maintainer.patch(`/api/datasets/${b.body.id}`, { slug: 'b', name: 'Bee' });
    expect(own.status).toBe(200);
  });
});
