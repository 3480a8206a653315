import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ApiToken } from '../../schema/user.ts';
import { createTestContext } from '../helpers/app.ts';

describe('/api/me/tokens', () => {
  it('creates a token whose secret is shown once; the list shows only its prefix', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const a = await t.login('minji');
    const created = await a.post('/api/me/tokens', { name: 'import script' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'import script', lastUsedAt: null });
    const secret = created.body.token as string;
    expect(secret).toMatch(/^cst_[\w-]{40,}$/);
    expect(secret.startsWith(created.body.prefix)).toBe(true);

    const list = await a.get('/api/me/tokens');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        id: created.body.id,
        name: 'import script',
        prefix: created.body.prefix,
        createdAt: expect.any(String),
        lastUsedAt: null,
      },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    // Only a hash is stored.
    const stored = await t.sql('SELECT * FROM api_tokens');
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('lists only the caller’s own tokens', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    await t.addUser('layla', 'annotator', ['ar']);
    const minji = await t.login('minji');
    const layla = await t.login('layla');
    await minji.post('/api/me/tokens', { name: 'minji script' }).expect(201);
    await layla.post('/api/me/tokens', { name: 'layla script' }).expect(201);
    expect((await minji.get('/api/me/tokens')).body.map((x: ApiToken) => x.name)).toEqual(['minji script']);
  });

  it('when the name is missing or too long, then 400', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const a = await t.login('minji');
    expect((await a.post('/api/me/tokens', {})).status).toBe(400);
    const long = await a.post('/api/me/tokens', { name: 'x'.repeat(101) });
    expect(long.status).toBe(400);
    expect(long.body.error.details.issues[0].path).toBe('name');
  });

  it('when a Bearer token is used, then it acts with its owner’s permissions and needs no CSRF header', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    await t.addUser('minji', 'annotator', ['ko']);
    const adminToken = (await (await t.login('admin')).post('/api/me/tokens', { name: 'ops' })).body.token;
    const minjiToken = (await (await t.login('minji')).post('/api/me/tokens', { name: 'cli' })).body.token;

    const session = await request(t.app)
      .get('/api/auth/session')
      .set('Authorization', `Bearer ${minjiToken}`);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ user: { username: 'minji' }, csrfToken: null });
    const forbidden = await request(t.app).get('/api/users').set('Authorization', `Bearer ${minjiToken}`);
    expect(forbidden.status).toBe(403);

    // A write without any X-CSRF-Token header.
    const write = await request(t.app)
      .post('/api/taxonomies/socio-cultural/nodes')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({
        parentId: 'tradition/food',
        slug: 'jollof',
        labels: { en: 'Jollof rice', yo: 'Ìrẹsì jọ̀lọ́ọ̀fù' },
      });
    expect(write.status).toBe(201);

    const list = await request(t.app).get('/api/me/tokens').set('Authorization', `Bearer ${minjiToken}`);
    expect(list.body[0].lastUsedAt).not.toBeNull();
  });

  it('when a token is deleted, then it stops working with 401 invalid-token', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const a = await t.login('minji');
    const created = (await a.post('/api/me/tokens', { name: 'cli' })).body;
    const bearer = () =>
      request(t.app).get('/api/auth/session').set('Authorization', `Bearer ${created.token}`);
    expect((await bearer()).status).toBe(200);
    expect((await a.delete(`/api/me/tokens/${created.id}`)).status).toBe(204);
    const after = await bearer();
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('invalid-token');
    expect((await a.get('/api/me/tokens')).body).toEqual([]);
  });

  it('when deleting someone else’s token or an unknown id, then 404 and the token keeps working', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    await t.addUser('layla', 'annotator', ['ar']);
    const minji = await t.login('minji');
    const layla = await t.login('layla');
    const created = (await minji.post('/api/me/tokens', { name: 'cli' })).body;
    expect((await layla.delete(`/api/me/tokens/${created.id}`)).status).toBe(404);
    expect((await layla.delete('/api/me/tokens/999')).status).toBe(404);
    expect((await layla.delete('/api/me/tokens/abc')).status).toBe(404);
    const still = await request(t.app)
      .get('/api/auth/session')
      .set('Authorization', `Bearer ${created.token}`);
    expect(still.status).toBe(200);
  });

  it('when a garbage Bearer token is sent, then 401 invalid-token', async () => {
    const t = await createTestContext();
    const res = await request(t.app).get('/api/me/tokens').set('Authorization', 'Bearer cst_nope');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid-token');
  });
});
