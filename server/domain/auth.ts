import { createHash, randomBytes } from 'node:crypto';
import type { User } from '../../schema/user.ts';
import type { UserRepository } from '../db/users.ts';
import { AppError } from '../http/errors.ts';
import { DUMMY_HASH, verifyPassword } from './passwords.ts';

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
export const TOKEN_PREFIX = 'cst_';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/** How a request was authenticated. Only cookie sessions need a CSRF token. */
export interface Auth {
  user: User;
  via: 'session' | 'token';
  sessionHash?: string;
  csrfToken?: string;
}

export function createAuthService(users: UserRepository) {
  return {
    /** Checks a password; on success opens a session and returns its cookie value and CSRF token. */
    async login(username: string, password: string) {
      const cred = users.credentials(username);
      // Spend the same work on unknown users so timing does not reveal which usernames exist.
      const ok = await verifyPassword(password, cred?.password_hash ?? DUMMY_HASH);
      if (!cred || !ok || cred.disabled) {
        throw new AppError(401, 'invalid-credentials', 'Wrong username or password');
      }
      const sessionToken = randomToken();
      const csrfToken = randomToken();
      users.createSession(
        sha256(sessionToken),
        cred.id,
        csrfToken,
        new Date(Date.now() + SESSION_TTL_MS).toISOString(),
      );
      users.deleteExpiredSessions();
      return { sessionToken, csrfToken, user: users.get(cred.id)! };
    },

    logout(sessionHash: string) {
      users.deleteSession(sessionHash);
    },

    fromSessionCookie(cookieValue: string): Auth | undefined {
      const hash = sha256(cookieValue);
      const s = users.findSession(hash);
      if (!s) return undefined;
      const user = users.get(s.user_id);
      return user && { user, via: 'session', sessionHash: hash, csrfToken: s.csrf_token };
    },

    fromBearer(token: string): Auth | undefined {
      if (!token.startsWith(TOKEN_PREFIX)) return undefined;
      const t = users.findToken(sha256(token));
      const user = t && users.get(t.user_id);
      return user && { user, via: 'token' };
    },

    /** Creates an API token; the secret is returned once and only its hash is stored. */
    createToken(userId: number, name: string) {
      const secret = TOKEN_PREFIX + randomToken();
      const token = users.createToken(userId, name, sha256(secret), secret.slice(0, TOKEN_PREFIX.length + 6));
      return { ...token, token: secret };
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
