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

describe('POST /api/auth/login behind proxies', () => {
  const fail = (app: Parameters<typeof request>[0], username: string, forwardedFor: string) =>
    request(app)
      .post('/api/auth/login')
      .set('X-Forwarded-For', forwardedFor)
      .send({ username, password: 'wrong-wrong-wrong' });

  it('when no proxy is trusted (the default), then a rotating X-Forwarded-For from one address still hits 429', async () => {
    const t = await createTestContext();
    // A different username each time, so only the per-address limit (10 by default) can stop it.
    const statuses: number[] = [];
    for (let i = 1; i <= 12; i++) statuses.push((await fail(t.app, `ghost${i}`, `198.51.100.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
  });

  it('when 30 failures for one username come through a trusted proxy from rotating addresses, then that username gets 429 and another still logs in', async () => {
    const t = await createTestContext({ trustProxy: ['loopback'] });
    await t.addUser('amina', 'annotator');
    await t.addUser('layla', 'annotator');
    const statuses: number[] = [];
    for (let i = 1; i <= 30; i++) {
      // Any letter case: usernames are case-insensitive, and so is their limit.
      const res = await fail(t.app, i % 2 ? 'amina' : 'AMINA', `203.0.113.${i}`);
      statuses.push(res.status);
      if (res.status === 429) expect(res.body.error.code).toBe('too-many-attempts');
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), ...Array<number>(20).fill(429)]);
    const right = await request(t.app)
      .post('/api/auth/login')
      .set('X-Forwarded-For', '203.0.113.99')
      .send({ username: 'amina', password: TEST_PASSWORD });
    expect(right.status).toBe(429);
    const other = await request(t.app)
      .post('/api/auth/login')
      .set('X-Forwarded-For', '203.0.113.100')
      .send({ username: 'layla', password: TEST_PASSWORD });
    expect(other.status).toBe(200);
  });

  it('when a known and an unknown username are locked, then both answer exactly alike', async () => {
    const t = await createTestContext({
      trustProxy: ['loopback'],
      loginRateLimit: { windowMs: 60_000, limit: 2 },
    });
    await t.addUser('amina', 'annotator');
    const answers = [];
    let address = 0;
    // A new address every time: only the per-username limit can answer 429.
    const from = () => `203.0.113.${++address}`;
    for (const username of ['amina', 'ghost']) {
      expect((await fail(t.app, username, from())).status).toBe(401);
      expect((await fail(t.app, username, from())).status).toBe(401);
      const locked = await fail(t.app, username, from());
      answers.push({ status: locked.status, body: locked.body as unknown });
    }
    const expected = {
      status: 429,
      body: { error: { code: 'too-many-attempts', message: 'Too many failed logins; try again later' } },
    };
    expect(answers).toEqual([expected, expected]);
  });
});

describe('a session cookie that is not a plain string', () => {
  // cookie-parser parses `j:` values as JSON: objects, numbers, arrays, null and strings.
  const HOSTILE = ['j:{"a":1}', 'j:123', 'j:[1]', 'j:null', 'j:"x"', 'j:true', 'j:{"__proto__":{"x":1}}'];

  it('counts as no session on every route: health answers, signed-in routes 401, login works', async () => {
    const t = await createTestContext();
    await t.addUser('amina', 'annotator', ['sw']);
    for (const value of HOSTILE) {
      const cookie = `cs_session=${value}`;
      const health = await request(t.app).get('/api/health').set('Cookie', cookie);
      expect([health.status, health.body], value).toEqual([200, { ok: true }]);
      const me = await request(t.app).get('/api/me').set('Cookie', cookie);
      expect([me.status, me.body.error?.code], value).toEqual([401, 'unauthenticated']);
      const logout = await request(t.app).post('/api/auth/logout').set('Cookie', cookie);
      expect([logout.status, logout.body.error?.code], value).toEqual([401, 'unauthenticated']);
      const login = await request(t.app)
        .post('/api/auth/login')
        .set('Cookie', cookie)
        .send({ username: 'amina', password: TEST_PASSWORD });
      expect([login.status, login.body.user?.username], value).toEqual([200, 'amina']);
    }
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
