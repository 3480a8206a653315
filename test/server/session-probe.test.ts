import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.ts';

describe('GET /api/auth/state', () => {
  it('when signed out, then 200 with no session (the sign-in page probe is not an error)', async () => {
    const t = await createTestContext();
    const res = await request(t.app).get('/api/auth/state');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ session: null });
  });

  it('when signed in, then the session: user and CSRF token', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const minji = await t.login('minji');
    const res = await minji.get('/api/auth/state');
    expect(res.status).toBe(200);
    expect(res.body.session).toMatchObject({
      user: { username: 'minji', languages: ['ko'] },
      csrfToken: minji.csrfToken,
    });
  });

  it('after logout, then no session again', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const minji = await t.login('minji');
    expect((await minji.post('/api/auth/logout')).status).toBe(204);
    expect((await minji.get('/api/auth/state')).body).toEqual({ session: null });
  });
});
