import type { Role, UiLocale } from '../../schema/common.ts';
import type { ApiToken, User } from '../../schema/user.ts';
import type { Db } from './connection.ts';

/** A user's row with their languages (comma-separated), as both engines read it (PostgreSQL: disabled as 0/1). */
export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  ui_locale: UiLocale;
  disabled: number;
  created_at: string;
  languages: string | null;
}

export const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  languages: r.languages ? r.languages.split(',').sort() : [],
  uiLocale: r.ui_locale,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
});

/** An API token's row as its owner lists it. */
export interface TokenRow {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

export const toApiToken = (t: TokenRow): ApiToken => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.created_at,
  lastUsedAt: t.last_used_at,
});

const USER_COLUMNS = `u.id, u.username, u.display_name, u.role, u.ui_locale, u.disabled, u.created_at,
  (SELECT group_concat(language) FROM user_languages l WHERE l.user_id = u.id) AS languages`;

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  languages: string[];
  passwordHash: string;
  uiLocale: UiLocale;
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  languages?: string[];
  passwordHash?: string;
  uiLocale?: UiLocale;
  disabled?: boolean;
}

/** Users, their languages, sessions and API tokens. */
export function createUserRepository(db: Db) {
  const byId = db.prepare<[number], UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`);
  const byName = db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.username = ?`);
  const all = db.prepare<[], UserRow>(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.username`);
  const hashByName = db.prepare<[string], { id: number; password_hash: string; disabled: number }>(
    'SELECT id, password_hash, disabled FROM users WHERE username = ?',
  );
  const insertUser = db.prepare(
    `INSERT INTO users (username, display_name, role, password_hash, ui_locale, created_at, updated_at)
     VALUES (@username, @displayName, @role, @passwordHash, @uiLocale, @now, @now)`,
  );
  const insertLanguage = db.prepare('INSERT OR IGNORE INTO user_languages (user_id, language) VALUES (?, ?)');
  const deleteLanguages = db.prepare('DELETE FROM user_languages WHERE user_id = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');
  const activeMaintainers = db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM users WHERE role = 'maintainer' AND disabled = 0",
  );

  const setLanguages = (userId: number, languages: string[]) => {
    deleteLanguages.run(userId);
    for (const l of languages) insertLanguage.run(userId, l);
  };

  const insertSession = db.prepare(
    'INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const sessionById = db.prepare<[string, string], { user_id: number; csrf_token: string }>(
    `SELECT s.user_id, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ? AND s.expires_at > ? AND u.disabled = 0`,
  );
  const deleteSession = db.prepare('DELETE FROM sessions WHERE id = ?');
  const deleteUserSessions = db.prepare('DELETE FROM sessions WHERE user_id = ?');
  const deleteOtherSessions = db.prepare('DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?');
  const setOwnPassword = db.prepare(
    `UPDATE users SET password_hash = @newHash, updated_at = @now
     WHERE id = @id AND password_hash = @oldHash AND disabled = 0`,
  );
  const deleteExpiredSessions = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');

  const insertToken = db.prepare(
    'INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const tokenUser = db.prepare<[string], { id: number; user_id: number; last_used_at: string | null }>(
    `SELECT t.id, t.user_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND u.disabled = 0`,
  );
  const touchToken = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  const tokensOf = db.prepare<[number], TokenRow>(
    'SELECT id, name, prefix, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id',
  );
  const deleteToken = db.prepare('DELETE FROM api_tokens WHERE id = ? AND user_id = ?');
  const deleteUserTokens = db.prepare('DELETE FROM api_tokens WHERE user_id = ?');

  return {
    count: () => count.get()!.n,
    countActiveMaintainers: () => activeMaintainers.get()!.n,
    get: (id: number): User | undefined => {
      const r = byId.get(id);
      return r && toUser(r);
    },
    getByUsername: (username: string): User | undefined => {
      const r = byName.get(username);
      return r && toUser(r);
    },
    list: (): User[] => all.all().map(toUser),
    credentials: (username: string) => hashByName.get(username),
    create: db.transaction((u: NewUser): User => {
      const now = new Date().toISOString();
      const id = Number(insertUser.run({ ...u, now }).lastInsertRowid);
      setLanguages(id, u.languages);
      return toUser(byId.get(id)!);
    }),
    update: db.transaction((id: number, c: UserChanges): User | undefined => {
      const columns: Record<string, unknown> = {
        display_name: c.displayName,
        role: c.role,
        password_hash: c.passwordHash,
        ui_locale: c.uiLocale,
        disabled: c.disabled === undefined ? undefined : c.disabled ? 1 : 0,
      };
      const params: Record<string, unknown> = { id, now: new Date().toISOString() };
      const sets: string[] = [];
      for (const [column, value] of Object.entries(columns)) {
        if (value === undefined) continue;
        sets.push(`${column} = @${column}`);
        params[column] = value;
      }
      const changed = db
        .prepare(`UPDATE users SET ${[...sets, 'updated_at = @now'].join(', ')} WHERE id = @id`)
        .run(params);
      if (changed.changes === 0) return undefined;
      if (c.languages !== undefined) setLanguages(id, c.languages);
      // A password reset or a disabled account ends every session and revokes every API token
      // (re-enabling brings none back): whoever held them may be the reason for the reset.
      if (c.passwordHash !== undefined || c.disabled) {
        deleteUserSessions.run(id);
        deleteUserTokens.run(id);
      }
      return toUser(byId.get(id)!);
    }),
    /**
     * The user's own password change: only if the hash is still `oldHash` and the account active;
     * ends every session but `keepSessionHash`; tokens stay. False when nothing was changed.
     */
    replaceOwnPassword: db.transaction(
      (id: number, oldHash: string, newHash: string, keepSessionHash: string | undefined): boolean => {
        const now = new Date().toISOString();
        if (setOwnPassword.run({ id, oldHash, newHash, now }).changes === 0) return false;
        deleteOtherSessions.run(id, keepSessionHash ?? null);
        return true;
      },
    ),

    createSession: (idHash: string, userId: number, csrfToken: string, expiresAt: string): void => {
      insertSession.run(idHash, userId, csrfToken, new Date().toISOString(), expiresAt);
    },
    findSession: (idHash: string) => sessionById.get(idHash, new Date().toISOString()),
    deleteSession: (idHash: string): void => {
      deleteSession.run(idHash);
    },
    deleteExpiredSessions: () => deleteExpiredSessions.run(new Date().toISOString()).changes,

    createToken: (userId: number, name: string, tokenHash: string, prefix: string): ApiToken => {
      const createdAt = new Date().toISOString();
      const id = Number(insertToken.run(userId, name, tokenHash, prefix, createdAt).lastInsertRowid);
      return { id, name, prefix, createdAt, lastUsedAt: null };
    },
    findToken: (tokenHash: string) => {
      const t = tokenUser.get(tokenHash);
      // "Last used" to the minute: a script's every request need not be a write.
      const now = new Date();
      if (t && (!t.last_used_at || now.getTime() - Date.parse(t.last_used_at) > 60_000)) {
        touchToken.run(now.toISOString(), t.id);
      }
      return t;
    },
    listTokens: (userId: number): ApiToken[] => tokensOf.all(userId).map(toApiToken),
    deleteToken: (userId: number, tokenId: number) => deleteToken.run(tokenId, userId).changes > 0,
  };
}
export type UserRepository = ReturnType<typeof createUserRepository>;
