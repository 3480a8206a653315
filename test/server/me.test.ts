import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.ts';

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
    expect(t.repos.users.getByUsername('minji')).toMatchObject({
      role: 'annotator',
      languages: ['ko'],
      uiLocale: 'en',
    });
  });
});
