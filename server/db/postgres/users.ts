import type { ApiToken, User } from '../../../schema/user.ts';
import type { AsyncRepository } from '../async-repository.ts';
import {
  type createUserRepository,
  type NewUser,
  toApiToken,
  type TokenRow,
  toUser,
  type UserChanges,
  type UserRow,
} from '../users.ts';
import type { PgDatabase } from './database.ts';

// SQLite's rows and mappers (server/db/users.ts): disabled selected as 0/1.
const USER_COLUMNS = `u.id, u.username, u.display_name, u.role, u.ui_locale, u.disabled::int AS disabled,
  u.created_at, (SELECT string_agg(language, ',') FROM user_languages l WHERE l.user_id = u.id) AS languages`;
// Usernames compare as SQLite's COLLATE NOCASE does: A-Z folded, nothing else (10-users.sql's unique index).
const SAME_USERNAME = 'lower(u.username COLLATE "C") = lower($1 COLLATE "C")';

/**
 * Users, their languages, sessions and API tokens on PostgreSQL. Sessions and tokens are rows checked on every
 * request, so a session made through one app instance is valid on all, and an ended one nowhere.
 */
export function createPgUserRepository(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof createUserRepository>> {
  const byId = async (id: number): Promise<UserRow | undefined> =>
    (await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]))[0];

  const setLanguages = async (userId: number, languages: string[]) => {
    await db.execute('DELETE FROM user_languages WHERE user_id = $1', [userId]);
    await db.execute(
      `INSERT INTO user_languages (user_id, language) SELECT $1, l FROM unnest($2::text[]) l
       ON CONFLICT DO NOTHING`,
      [userId, languages],
    );
  };

  return {
    count: async () => (await db.query<{ n: number }>('SELECT count(*) AS n FROM users'))[0].n,
    countActiveMaintainers: async () =>
      (
        await db.query<{ n: number }>(
          "SELECT count(*) AS n FROM users WHERE role = 'maintainer' AND NOT disabled",
        )
      )[0].n,
    get: async (id) => {
      const r = await byId(id);
      return r && toUser(r);
    },
    getByUsername: async (username) => {
      const [r] = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE ${SAME_USERNAME}`, [
        username,
      ]);
      return r && toUser(r);
    },
    list: async () =>
      (
        await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u ORDER BY lower(u.username COLLATE "C")`)
      ).map(toUser),
    credentials: async (username) => {
      // `disabled` as 0/1: the contract's shape is SQLite's row.
      const [r] = await db.query<{ id: number; password_hash: string; disabled: number }>(
        `SELECT u.id, u.password_hash, u.disabled::int AS disabled FROM users u WHERE ${SAME_USERNAME}`,
        [username],
      );
      return r;
    },
    create: async (u: NewUser): Promise<User> => {
      const now = new Date().toISOString();
      // One statement: the account and its languages appear together.
      const [{ id }] = await db.query<{ id: number }>(
        `WITH u AS (
           INSERT INTO users (username, display_name, role, password_hash, ui_locale, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id
         ), l AS (
           INSERT INTO user_languages (user_id, language) SELECT u.id, l FROM u, unnest($7::text[]) l
           ON CONFLICT DO NOTHING
         )
         SELECT id FROM u`,
        [u.username, u.displayName, u.role, u.passwordHash, u.uiLocale, now, u.languages],
      );
      return toUser((await byId(id))!);
    },
    update: (id: number, c: UserChanges) =>
      db.transaction(async (): Promise<User | undefined> => {
        const columns: [string, unknown][] = [
          ['display_name', c.displayName],
          ['role', c.role],
          ['password_hash', c.passwordHash],
          ['ui_locale', c.uiLocale],
          ['disabled', c.disabled],
        ];
        const params: unknown[] = [id, new Date().toISOString()];
        const sets = ['updated_at = $2'];
        for (const [column, value] of columns) {
          if (value === undefined) continue;
          params.push(value);
          sets.push(`${column} = $${params.length}`);
        }
        const changed = await db.execute(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, params);
        if (changed === 0) return undefined;
        if (c.languages !== undefined) await setLanguages(id, c.languages);
        // A password reset or a disabled account ends every session and revokes every API token
        // (re-enabling brings none back): whoever held them may be the reason for the reset.
        if (c.passwordHash !== undefined || c.disabled) {
          await db.execute('DELETE FROM sessions WHERE user_id = $1', [id]);
          await db.execute('DELETE FROM api_tokens WHERE user_id = $1', [id]);
        }
        return toUser((await byId(id))!);
      }),
    /**
     * The user's own password change, in one statement: only if the hash is still `oldHash` (a concurrent change
     * through another instance waits for the row and then finds the hash changed) and the account active; ends
     * every session but `keepSessionHash`; tokens stay. False when nothing was changed.
     */
    replaceOwnPassword: async (id, oldHash, newHash, keepSessionHash) => {
      const [{ n }] = await db.query<{ n: number }>(
        `WITH changed AS (
           UPDATE users SET password_hash = $3, updated_at = $4
           WHERE id = $1 AND password_hash = $2 AND NOT disabled RETURNING id
         ), ended AS (
           DELETE FROM sessions s USING changed WHERE s.user_id = changed.id AND s.id IS DISTINCT FROM $5
         )
         SELECT count(*) AS n FROM changed`,
        [id, oldHash, newHash, new Date().toISOString(), keepSessionHash ?? null],
      );
      return n > 0;
    },

    createSession: async (idHash, userId, csrfToken, expiresAt) => {
      await db.execute(
        'INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [idHash, userId, csrfToken, new Date().toISOString(), expiresAt],
      );
    },
    findSession: async (idHash) =>
      (
        await db.query<{ user_id: number; csrf_token: string }>(
          `SELECT s.user_id, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.id = $1 AND s.expires_at > $2 AND NOT u.disabled`,
          [idHash, new Date().toISOString()],
        )
      )[0],
    deleteSession: async (idHash) => {
      await db.execute('DELETE FROM sessions WHERE id = $1', [idHash]);
    },
    deleteExpiredSessions: () =>
      db.execute('DELETE FROM sessions WHERE expires_at <= $1', [new Date().toISOString()]),

    createToken: async (userId, name, tokenHash, prefix): Promise<ApiToken> => {
      const createdAt = new Date().toISOString();
      const [{ id }] = await db.query<{ id: number }>(
        `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5)
         RETURNING id`,
        [userId, name, tokenHash, prefix, createdAt],
      );
      return { id, name, prefix, createdAt, lastUsedAt: null };
    },
    /**
     * The token's owner, and "last used" kept to the minute (a script's every request need not be a write), in
     * one statement. The row is returned as it was before the touch, as SQLite's repository returns it.
     */
    findToken: async (tokenHash) =>
      (
        await db.query<{ id: number; user_id: number; last_used_at: string | null }>(
          `WITH t AS (
             SELECT t.id, t.user_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND NOT u.disabled
           ), touched AS (
             UPDATE api_tokens a SET last_used_at = $2 FROM t
             WHERE a.id = t.id AND (a.last_used_at IS NULL OR $2::timestamptz - a.last_used_at > interval '60 seconds')
           )
           SELECT id, user_id, last_used_at FROM t`,
          [tokenHash, new Date().toISOString()],
        )
      )[0],
    listTokens: async (userId) =>
      (
        await db.query<TokenRow>(
          'SELECT id, name, prefix, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY id',
          [userId],
        )
      ).map(toApiToken),
    deleteToken: async (userId, tokenId) =>
      (await db.execute('DELETE FROM api_tokens WHERE id = $1 AND user_id = $2', [tokenId, userId])) > 0,
  };
}
