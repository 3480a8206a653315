import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { User } from '../../schema/user.ts';
import { createTestContext, TEST_PASSWORD } from '../helpers/app.ts';

const NEW_PASSWORD = 'a new password, long enough';

async function asMaintainer() {
  const t = await createTestContext();
  await t.addUser('admin', 'maintainer');
  return { t, m: await t.login('admin') };
}

describe('GET /api/users', () => {
  it('lists every user without any password material', async () => {
    const { t, m } = await asMaintainer();
    await t.addUser('minji', 'annotator', ['ko']);
    const res = await m.get('/api/users');
    expect(res.status).toBe(200);
    expect((res.body as User[]).map((u) => u.username)).toEqual(['admin', 'minji']);
    expect(JSON.stringify(res.body)).not.toMatch(/password|scrypt/i);
  });

  it('returns one user, and 404 for an unknown or malformed id', async () => {
    const { t, m } = await asMaintainer();
    const minji = await t.addUser('minji', 'annotator', ['ko']);
    const res = await m.get(`/api/users/${minji.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: 'minji', languages: ['ko'] });
    expect((await m.get('/api/users/9999')).status).toBe(404);
    expect((await m.get('/api/users/abc')).status).toBe(404);
  });
});

describe('POST /api/users', () => {
  it('creates a user who can then log in with the given password', async () => {
    const { t, m } = await asMaintainer();
    const res = await m.post('/api/users', {
      username: 'somchai',
      displayName: 'สมชาย',
      role: 'annotator',
      languages: ['TH', 'th'],
      password: NEW_PASSWORD,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      username: 'somchai',
      displayName: 'สมชาย',
      role: 'annotator',
      languages: ['th'],
      uiLocale: 'en',
      disabled: false,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password|scrypt/i);
    const login = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 'somchai', password: NEW_PASSWORD });
    expect(login.status).toBe(200);
  });

  it('when the username is taken (in any letter case), then 409 username-taken', async () => {
    const { t, m } = await asMaintainer();
    await t.addUser('layla', 'annotator', ['ar']);
    const res = await m.post('/api/users', { username: 'Layla', role: 'annotator', password: NEW_PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('username-taken');
    expect(await t.repos.users.count()).toBe(2);
  });

  it('when fields are invalid, then 400 with one issue per field and nothing created', async () => {
    const { t, m } = await asMaintainer();
    const res = await m.post('/api/users', {
      username: 'a b',
      role: 'owner',
      languages: ['not a tag!'],
      password: 'short',
      isAdmin: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-input');
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['username', 'role', 'languages.0', 'password', '']));
    expect(await t.repos.users.count()).toBe(1);
  });
});

describe('PATCH /api/users/:id', () => {
  it('changes role, languages, display name and locale', async () => {
    const { t, m } = await asMaintainer();
    const amani = await t.addUser('amani', 'annotator', ['sw']);
    const res = await m.patch(`/api/users/${amani.id}`, {
      role: 'reviewer',
      languages: ['sw', 'en'],
      displayName: 'Amani Njeri',
      uiLocale: 'ko',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      role: 'reviewer',
      languages: ['en', 'sw'],
      displayName: 'Amani Njeri',
      uiLocale: 'ko',
    });
  });

  it('resets a password: the old one stops working, the new one works, sessions end', async () => {
    const { t, m } = await asMaintainer();
    const tunde = await t.addUser('tunde', 'annotator', ['yo']);
    const session = await t.login('tunde');
    const res = await m.patch(`/api/users/${tunde.id}`, { password: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect((await session.get('/api/auth/session')).status).toBe(401);
    const old = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 'tunde', password: TEST_PASSWORD });
    expect(old.status).toBe(401);
    const fresh = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 'tunde', password: NEW_PASSWORD });
    expect(fresh.status).toBe(200);
  });

  it('when a user is disabled, then their sessions and tokens stop working and they cannot log in', async () => {
    const { t, m } = await asMaintainer();
    const priya = await t.addUser('priya', 'annotator', ['hi']);
    const session = await t.login('priya');
    const token = (await session.post('/api/me/tokens', { name: 'script' })).body.token as string;
    const res = await m.patch(`/api/users/${priya.id}`, { disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expect((await session.get('/api/auth/session')).status).toBe(401);
    const bearer = await request(t.app).get('/api/me/tokens').set('Authorization', `Bearer ${token}`);
    expect(bearer.status).toBe(401);
    const login = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 'priya', password: TEST_PASSWORD });
    expect(login.status).toBe(401);
    // Re-enabled, they can log in again.
    await m.patch(`/api/users/${priya.id}`, { disabled: false }).expect(200);
    expect((await t.login('priya')).user.username).toBe('priya');
  });

  it('when a maintainer resets a password, then the API tokens that worked are revoked', async () => {
    const { t, m } = await asMaintainer();
    const tunde = await t.addUser('tunde', 'annotator', ['yo']);
    const session = await t.login('tunde');
    const token = (await session.post('/api/me/tokens', { name: 'script' })).body.token as string;
    const bearer = () => request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`);
    // Other changes leave sessions and tokens alone.
    await m
      .patch(`/api/users/${tunde.id}`, { role: 'reviewer', languages: ['yo', 'en'], disabled: false })
      .expect(200);
    expect((await session.get('/api/auth/session')).status).toBe(200);
    expect((await bearer()).status).toBe(200);
    await m.patch(`/api/users/${tunde.id}`, { password: NEW_PASSWORD }).expect(200);
    const after = await bearer();
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('invalid-token');
    const fresh = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 'tunde', password: NEW_PASSWORD });
    const tokens = await request(t.app).get('/api/me/tokens').set('Cookie', fresh.headers['set-cookie']);
    expect(tokens.body).toEqual([]);
  });

  it('when a user is disabled, then the API tokens that worked are revoked and stay revoked once re-enabled', async () => {
    const { t, m } = await asMaintainer();
    const priya = await t.addUser('priya', 'annotator', ['hi']);
    const session = await t.login('priya');
    const token = (await session.post('/api/me/tokens', { name: 'script' })).body.token as string;
    const bearer = () => request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`);
    expect((await bearer()).status).toBe(200);
    await m.patch(`/api/users/${priya.id}`, { disabled: true }).expect(200);
    expect((await bearer()).status).toBe(401);
    await m.patch(`/api/users/${priya.id}`, { disabled: false }).expect(200);
    const after = await bearer();
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('invalid-token');
    const again = await t.login('priya');
    expect((await again.get('/api/me/tokens')).body).toEqual([]);
  });

  it('when the last active maintainer would disable or demote themselves, then 409 and nothing changes', async () => {
    const { t, m } = await asMaintainer();
    const demote = await m.patch(`/api/users/${m.user.id}`, { role: 'reviewer', displayName: 'Boss' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last-maintainer');
    const disable = await m.patch(`/api/users/${m.user.id}`, { disabled: true });
    expect(disable.status).toBe(409);
    expect(await t.repos.users.get(m.user.id)).toMatchObject({
      role: 'maintainer',
      disabled: false,
      displayName: 'admin',
    });
  });

  it('when another active maintainer exists, then a maintainer may step down', async () => {
    const { t, m } = await asMaintainer();
    await t.addUser('second', 'maintainer');
    const res = await m.patch(`/api/users/${m.user.id}`, { role: 'reviewer' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('reviewer');
    // Now only `second` is left and the former maintainer has lost access.
    expect((await m.get('/api/users')).status).toBe(403);
  });

  it('when a disabled maintainer is the only other one, then it does not count', async () => {
    const { t, m } = await asMaintainer();
    const other = await t.addUser('second', 'maintainer');
    await m.patch(`/api/users/${other.id}`, { disabled: true }).expect(200);
    const res = await m.patch(`/api/users/${m.user.id}`, { disabled: true });
    expect(res.status).toBe(409);
  });

  it('when the body is invalid or the user unknown, then 400 or 404', async () => {
    const { m } = await asMaintainer();
    const bad = await m.patch(`/api/users/${m.user.id}`, { role: 'owner', username: 'x', disabled: 'yes' });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['role', 'disabled']));
    expect((await m.patch('/api/users/4242', { displayName: 'Ghost' })).status).toBe(404);
  });
});
