import { beforeEach, describe, expect, it } from 'vitest';
import type { NewUser } from '../../../server/db/users.ts';
import { engines, ISO, type Engine } from './account-engines.ts';

const newUser = (username: string, overrides: Partial<NewUser> = {}): NewUser => ({
  username,
  displayName: username,
  role: 'annotator',
  languages: [],
  passwordHash: `hash-of-${username}`,
  uiLocale: 'en',
  ...overrides,
});

const FUTURE = '2999-01-01T00:00:00.000Z';
const PAST = '2020-01-01T00:00:00.000Z';

describe.each(engines)('user repository on $engine', ({ open }) => {
  let e: Engine;
  beforeEach(async () => {
    e = await open();
  });

  describe('accounts', () => {
    it('creates a user with sorted, de-duplicated languages and reads it back by id and by any ASCII case', async () => {
      const created = await e.users.create(
        newUser('Minji', {
          displayName: 'Kim Minji',
          role: 'reviewer',
          languages: ['ko', 'en', 'ko'],
          uiLocale: 'ko',
        }),
      );
      const expected = {
        id: 1,
        username: 'Minji',
        displayName: 'Kim Minji',
        role: 'reviewer',
        languages: ['en', 'ko'],
        uiLocale: 'ko',
        disabled: false,
        createdAt: expect.stringMatching(ISO) as string,
      };
      expect(created).toEqual(expected);
      expect(await e.users.get(1)).toEqual(expected);
      expect(await e.users.getByUsername('MINJI')).toEqual(expected);
      expect(await e.users.get(2)).toBeUndefined();
      expect(await e.users.getByUsername('minj')).toBeUndefined();
    });

    it('refuses a username taken in another ASCII case, but tells non-ASCII letters of different case apart', async () => {
      await e.users.create(newUser('Bob'));
      await expect(e.users.create(newUser('bOB'))).rejects.toMatchObject({ code: e.uniqueViolation });
      await e.users.create(newUser('Ärger'));
      await e.users.create(newUser('ärger'));
      expect(await e.users.count()).toBe(3);
      expect((await e.users.getByUsername('ÄRGER'))?.username).toBe('Ärger');
      expect((await e.users.getByUsername('ärger'))?.username).toBe('ärger');
    });

    it('lists users by username as SQLite NOCASE orders them: A-Z folded, then bytewise', async () => {
      for (const name of ['Zed', 'ärger', 'carol', '_x', 'Bob', 'Ärger', 'alice'])
        await e.users.create(newUser(name));
      expect((await e.users.list()).map((u) => u.username)).toEqual([
        '_x',
        'alice',
        'Bob',
        'carol',
        'Zed',
        'Ärger',
        'ärger',
      ]);
    });

    it('gives the credentials of a username in any ASCII case, with disabled as 0 or 1', async () => {
      await e.users.create(newUser('dana'));
      expect(await e.users.credentials('DANA')).toEqual({
        id: 1,
        password_hash: 'hash-of-dana',
        disabled: 0,
      });
      await e.users.update(1, { disabled: true });
      expect(await e.users.credentials('dana')).toEqual({
        id: 1,
        password_hash: 'hash-of-dana',
        disabled: 1,
      });
      expect(await e.users.credentials('nobody')).toBeUndefined();
    });

    it('counts users and active maintainers', async () => {
      await e.users.create(newUser('m1', { role: 'maintainer' }));
      await e.users.create(newUser('m2', { role: 'maintainer' }));
      await e.users.create(newUser('a1'));
      expect(await e.users.count()).toBe(3);
      expect(await e.users.countActiveMaintainers()).toBe(2);
      await e.users.update(2, { disabled: true });
      expect(await e.users.countActiveMaintainers()).toBe(1);
    });

    it('changes only the given fields and replaces the languages', async () => {
      await e.users.create(newUser('eve', { languages: ['ar', 'fr'] }));
      const changed = await e.users.update(1, {
        displayName: 'Eve A.',
        role: 'maintainer',
        languages: ['he'],
      });
      expect(changed).toMatchObject({
        username: 'eve',
        displayName: 'Eve A.',
        role: 'maintainer',
        languages: ['he'],
        uiLocale: 'en',
        disabled: false,
      });
      expect(await e.users.update(1, { uiLocale: 'ko' })).toMatchObject({
        displayName: 'Eve A.',
        uiLocale: 'ko',
      });
      expect(await e.users.update(99, { displayName: 'nobody' })).toBeUndefined();
    });

    it('ends every session and revokes every token on a password reset or when disabled, and keeps them otherwise', async () => {
      await e.users.create(newUser('fay'));
      await e.users.createSession('s1', 1, 'csrf-1', FUTURE);
      await e.users.createToken(1, 'script', 'token-hash-1', 'cs_abc123');
      await e.users.update(1, { displayName: 'Fay', disabled: false });
      expect(await e.users.findSession('s1')).toEqual({ user_id: 1, csrf_token: 'csrf-1' });
      expect(await e.users.listTokens(1)).toHaveLength(1);

      await e.users.update(1, { passwordHash: 'new-hash' });
      expect(await e.users.findSession('s1')).toBeUndefined();
      expect(await e.users.listTokens(1)).toEqual([]);
      expect((await e.users.credentials('fay'))?.password_hash).toBe('new-hash');

      await e.users.createSession('s2', 1, 'csrf-2', FUTURE);
      await e.users.createToken(1, 'again', 'token-hash-2', 'cs_def456');
      await e.users.update(1, { disabled: true });
      await e.users.update(1, { disabled: false });
      expect(await e.users.findSession('s2')).toBeUndefined();
      expect(await e.users.findToken('token-hash-2')).toBeUndefined();
    });

    it("changes one's own password only from the hash that was checked, ending the other sessions", async () => {
      await e.users.create(newUser('gil'));
      await e.users.createSession('mine', 1, 'c1', FUTURE);
      await e.users.createSession('laptop', 1, 'c2', FUTURE);
      await e.users.createToken(1, 'script', 'token-hash', 'cs_ghi789');
      expect(await e.users.replaceOwnPassword(1, 'stale-hash', 'new-hash', 'mine')).toBe(false);
      expect(await e.users.findSession('laptop')).toEqual({ user_id: 1, csrf_token: 'c2' });

      expect(await e.users.replaceOwnPassword(1, 'hash-of-gil', 'new-hash', 'mine')).toBe(true);
      expect(await e.users.findSession('mine')).toEqual({ user_id: 1, csrf_token: 'c1' });
      expect(await e.users.findSession('laptop')).toBeUndefined();
      expect(await e.users.listTokens(1)).toHaveLength(1);
      expect((await e.users.credentials('gil'))?.password_hash).toBe('new-hash');

      // Without a session to keep (a token's request), every session ends.
      expect(await e.users.replaceOwnPassword(1, 'new-hash', 'newer-hash', undefined)).toBe(true);
      expect(await e.users.findSession('mine')).toBeUndefined();

      await e.users.update(1, { disabled: true });
      expect(await e.users.replaceOwnPassword(1, 'newer-hash', 'newest-hash', undefined)).toBe(false);
    });
  });

  describe('sessions', () => {
    beforeEach(async () => {
      await e.users.create(newUser('hana'));
    });

    it('finds a live session of an active user, and no expired, deleted or disabled one', async () => {
      await e.users.createSession('live', 1, 'csrf-live', FUTURE);
      await e.users.createSession('old', 1, 'csrf-old', PAST);
      expect(await e.users.findSession('live')).toEqual({ user_id: 1, csrf_token: 'csrf-live' });
      expect(await e.users.findSession('old')).toBeUndefined();
      expect(await e.users.findSession('unknown')).toBeUndefined();

      await e.users.deleteSession('live');
      expect(await e.users.findSession('live')).toBeUndefined();
    });

    it('deletes the expired sessions and says how many', async () => {
      await e.users.createSession('old-1', 1, 'c', PAST);
      await e.users.createSession('old-2', 1, 'c', '2025-06-01T12:00:00.000Z');
      await e.users.createSession('live', 1, 'c', FUTURE);
      expect(await e.users.deleteExpiredSessions()).toBe(2);
      expect(await e.users.deleteExpiredSessions()).toBe(0);
      expect(await e.rows('SELECT id FROM sessions')).toEqual([{ id: 'live' }]);
    });
  });

  describe('API tokens', () => {
    beforeEach(async () => {
      await e.users.create(newUser('ivo'));
      await e.users.create(newUser('jun'));
    });

    it('creates, lists (oldest first) and deletes only its owner’s tokens', async () => {
      const first = await e.users.createToken(1, 'nightly export', 'hash-a', 'cs_aaaaaa');
      expect(first).toEqual({
        id: 1,
        name: 'nightly export',
        prefix: 'cs_aaaaaa',
        createdAt: expect.stringMatching(ISO) as string,
        lastUsedAt: null,
      });
      await e.users.createToken(1, 'notebook', 'hash-b', 'cs_bbbbbb');
      await e.users.createToken(2, 'other', 'hash-c', 'cs_cccccc');
      expect((await e.users.listTokens(1)).map((t) => [t.id, t.name])).toEqual([
        [1, 'nightly export'],
        [2, 'notebook'],
      ]);
      expect(await e.users.listTokens(1)).toContainEqual(first);

      expect(await e.users.deleteToken(2, 1)).toBe(false);
      expect(await e.users.deleteToken(1, 1)).toBe(true);
      expect(await e.users.deleteToken(1, 1)).toBe(false);
      expect((await e.users.listTokens(1)).map((t) => t.id)).toEqual([2]);
    });

    it('refuses a token hash that exists already', async () => {
      await e.users.createToken(1, 'a', 'same-hash', 'cs_aaaaaa');
      await expect(e.users.createToken(2, 'b', 'same-hash', 'cs_bbbbbb')).rejects.toMatchObject({
        code: e.uniqueViolation,
      });
    });

    it('finds the owner of a token, giving the row as it was and noting the use at most once a minute', async () => {
      await e.users.createToken(1, 'a', 'hash-a', 'cs_aaaaaa');
      expect(await e.users.findToken('hash-a')).toEqual({ id: 1, user_id: 1, last_used_at: null });
      const [{ lastUsedAt: touched }] = await e.users.listTokens(1);
      expect(touched).toMatch(ISO);
      // Used again within the minute: nothing written.
      expect(await e.users.findToken('hash-a')).toEqual({ id: 1, user_id: 1, last_used_at: touched });
      expect((await e.users.listTokens(1))[0].lastUsedAt).toBe(touched);

      await e.run('UPDATE api_tokens SET last_used_at = ? WHERE id = 1', [PAST]);
      expect(await e.users.findToken('hash-a')).toEqual({ id: 1, user_id: 1, last_used_at: PAST });
      const [{ lastUsedAt: again }] = await e.users.listTokens(1);
      expect(again).toMatch(ISO);
      expect(again).not.toBe(PAST);

      expect(await e.users.findToken('hash-unknown')).toBeUndefined();
      await e.users.createToken(2, 'b', 'hash-b', 'cs_bbbbbb');
      await e.users.update(1, { disabled: true });
      expect(await e.users.findToken('hash-a')).toBeUndefined();
      expect(await e.users.findToken('hash-b')).toEqual({ id: 2, user_id: 2, last_used_at: null });
    });
  });

  describe('several app instances on one database', () => {
    beforeEach(async () => {
      await e.users.create(newUser('kai'));
    });

    it('a session made through one instance is valid on the other, and one ended there is ended for both', async () => {
      const other = await e.otherInstance();
      await e.users.createSession('s', 1, 'csrf', FUTURE);
      expect(await other.users.findSession('s')).toEqual({ user_id: 1, csrf_token: 'csrf' });
      await other.users.deleteSession('s');
      expect(await e.users.findSession('s')).toBeUndefined();
    });

    it('a password reset through one instance ends the sessions and tokens the other checks, at once', async () => {
      const other = await e.otherInstance();
      await e.users.createSession('s', 1, 'csrf', FUTURE);
      await e.users.createToken(1, 'script', 'token-hash', 'cs_kkkkkk');
      expect(await other.users.findToken('token-hash')).toMatchObject({ id: 1, user_id: 1 });
      await other.users.update(1, { passwordHash: 'reset' });
      expect(await e.users.findSession('s')).toBeUndefined();
      expect(await e.users.findToken('token-hash')).toBeUndefined();
    });

    it('two changes of one password from the same checked hash through two instances: the first wins, the second changes nothing', async () => {
      const other = await e.otherInstance();
      await e.users.createSession('first-session', 1, 'c1', FUTURE);
      await e.users.createSession('second-session', 1, 'c2', FUTURE);
      const results = await e.atOnce(
        () => e.users.replaceOwnPassword(1, 'hash-of-kai', 'first', 'first-session'),
        () => other.users.replaceOwnPassword(1, 'hash-of-kai', 'second', 'second-session'),
      );
      expect(results).toEqual([true, false]);
      expect((await e.users.credentials('kai'))?.password_hash).toBe('first');
      expect(await e.users.findSession('first-session')).toEqual({ user_id: 1, csrf_token: 'c1' });
      expect(await e.users.findSession('second-session')).toBeUndefined();
    });

    it('two usernames differing only in ASCII case, created at once through two instances: the second is refused', async () => {
      const other = await e.otherInstance();
      const [created, refused] = await e.atOnce(
        () => e.users.create(newUser('Lee')),
        () =>
          other.users.create(newUser('LEE')).then(
            () => 'created',
            (error: { code?: string }) => error.code,
          ),
      );
      expect(created.username).toBe('Lee');
      expect(refused).toBe(e.uniqueViolation);
      expect((await e.users.list()).map((u) => u.username)).toEqual(['kai', 'Lee']);
    });
  });
});
