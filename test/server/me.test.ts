import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext, TEST_PASSWORD } from '../helpers/app.ts';

const NEW_PASSWORD = 'a brand new passphrase';

describe('PATCH /api/me', () => {
  it('when a user picks an interface language, then their session carries it from then on', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const minji = await t.login('minji');
    const res = await minji.patch('/api/me', { uiLocale: 'ko', displayName: '김민지' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      uiLocale: 'ko',
      displayName: '김민지',
      role: 'annotator',
      languages: ['ko'],
    });
    const session = await minji.get('/api/auth/session');
    expect(session.body.user.uiLocale).toBe('ko');
  });

  it('when a user tries to change their own role or languages, then 400 and nothing changes', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const minji = await t.login('minji');
    for (const body of [{ role: 'maintainer' }, { languages: ['ko', 'ar'] }, { uiLocale: 'xx' }]) {
      const res = await minji.patch('/api/me', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid-input');
    }
    expect(await t.repos.users.getByUsername('minji')).toMatchObject({
      role: 'annotator',
      languages: ['ko'],
      uiLocale: 'en',
    });
  });
});

describe('POST /api/me/password', () => {
  const login = (app: Parameters<typeof request>[0], password: string) =>
    request(app).post('/api/auth/login').send({ username: 'minji', password });

  it('when the current password is right, then the new one works, this session stays, other sessions end and tokens keep working', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const laptop = await t.login('minji');
    const phone = await t.login('minji');
    const token = (await laptop.post('/api/me/tokens', { name: 'script' })).body.token as string;

    const res = await laptop.post('/api/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(204);

    expect((await laptop.get('/api/auth/session')).status).toBe(200);
    expect((await phone.get('/api/auth/session')).status).toBe(401);
    const bearer = await request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`);
    expect(bearer.status).toBe(200);
    expect((await login(t.app, TEST_PASSWORD)).status).toBe(401);
    expect((await login(t.app, NEW_PASSWORD)).status).toBe(200);
  });

  it('when changed with an API token, then every session ends and the token keeps working', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const browser = await t.login('minji');
    const token = (await browser.post('/api/me/tokens', { name: 'script' })).body.token as string;
    const res = await request(t.app)
      .post('/api/me/password')
      .set('Authorization', `Bearer ${token}`)
      .send({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(204);
    expect((await browser.get('/api/auth/session')).status).toBe(401);
    expect((await request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });

  it('when the current password is wrong, then 400 wrong-password and nothing changes', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const laptop = await t.login('minji');
    const phone = await t.login('minji');
    const res = await laptop.post('/api/me/password', {
      currentPassword: 'not my password',
      newPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'wrong-password',
      message: 'The current password is wrong',
      details: {
        issues: [
          { path: 'currentPassword', code: 'wrong-password', message: 'The current password is wrong' },
        ],
      },
    });
    expect((await phone.get('/api/auth/session')).status).toBe(200);
    expect((await login(t.app, NEW_PASSWORD)).status).toBe(401);
    expect((await login(t.app, TEST_PASSWORD)).status).toBe(200);
  });

  it('when the new password is too short or a field is missing, then 400 invalid-input and nothing changes', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const minji = await t.login('minji');
    const short = await minji.post('/api/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('invalid-input');
    expect(short.body.error.details.issues).toEqual([
      { path: 'newPassword', code: 'too_small', message: 'At least 10 characters' },
    ]);
    const missing = await minji.post('/api/me/password', { newPassword: NEW_PASSWORD });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual([
      'currentPassword',
    ]);
    expect((await login(t.app, TEST_PASSWORD)).status).toBe(200);
  });

  it('when wrong current passwords reach the login limit, then 429, and logins of that username are locked too', async () => {
    const t = await createTestContext({ loginRateLimit: { windowMs: 60_000, limit: 3 } });
    await t.addUser('minji', 'annotator', ['ko']);
    const minji = await t.login('minji');
    const wrong = { currentPassword: 'not my password', newPassword: NEW_PASSWORD };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await minji.post('/api/me/password', wrong)).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
    const right = await minji.post('/api/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('too-many-attempts');
    // The password check failures were never logins from this address: the username is what is locked.
    expect((await login(t.app, TEST_PASSWORD)).status).toBe(429);
    expect((await minji.get('/api/auth/session')).status).toBe(200);
  });
});
