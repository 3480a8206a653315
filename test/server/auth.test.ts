import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext, TEST_PASSWORD } from '../helpers/app.ts';

describe('POST /api/auth/login', () => {
  it('when the password is right, then it sets an HttpOnly SameSite session cookie and returns a CSRF token', async () => {
    const t = await createTestContext();
    await t.addUser('amina', 'annotator', ['sw']);
    const res = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 'amina', password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'amina', role: 'annotator', languages: ['sw'] });
    expect(res.body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/cs_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(JSON.stringify(res.body)).not.toContain('password');
  });

  it('when the password is wrong or the user unknown, then 401 with the same message', async () => {
    const t = await createTestContext();
    await t.addUser('amina', 'annotator');
    const wrong = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 'amina', password: 'nope-nope-nope' });
    const unknown = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 'ghost', password: 'nope-nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('when failures exceed the limit, then further attempts get 429 even with the right password', async () => {
    const t = await createTestContext({ loginRateLimit: { windowMs: 60_000, limit: 3 } });
    await t.addUser('amina', 'annotator');
    for (let i = 0; i < 3; i++) {
      const r = await request(t.app)
        .post('/api/auth/login')
        .send({ username: 'amina', password: 'wrong-wrong-wrong' });
      expect(r.status).toBe(401);
    }
    const blocked = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 'amina', password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too-many-attempts');
  });
});

describe('session and CSRF', () => {
  it('refuses a cookie-authenticated write without the CSRF header, accepts it with the header', async () => {
    const t = await createTestContext();
    await t.addUser('amina', 'annotator');
    const agent = request.agent(t.app);
    const login = await agent.post('/api/auth/login').send({ username: 'amina', password: TEST_PASSWORD });
    const without = await agent.post('/api/auth/logout');
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('csrf-token-invalid');
    const withHeader = await agent.post('/api/auth/logout').set('X-CSRF-Token', login.body.csrfToken);
    expect(withHeader.status).toBe(204);
    const after = await agent.get('/api/auth/session');
    expect(after.status).toBe(401);
  });

  it('sends security headers', async () => {
    const t = await createTestContext();
    const res = await request(t.app).get('/api/health');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
