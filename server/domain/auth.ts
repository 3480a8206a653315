import { createHash, randomBytes } from 'node:crypto';
import type { User } from '../../schema/user.ts';
import type { UserRepository } from '../db/repositories.ts';
import { AppError, notFound } from '../errors.ts';
import { tooManyAttempts, type LoginThrottle } from './login-throttle.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
export const TOKEN_PREFIX = 'cst_';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/** How a request was authenticated. Only cookie sessions need a CSRF token. */
/** Whether `user` may see and touch content in `language`: maintainers everywhere, others in theirs. */
export function canUseLanguage(user: Pick<User, 'role' | 'languages'>, language: string): boolean {
  return user.role === 'maintainer' || user.languages.includes(language);
}

export interface Auth {
  user: User;
  via: 'session' | 'token';
  sessionHash?: string;
  csrfToken?: string;
}

const wrongPassword = () =>
  new AppError(400, 'wrong-password', 'The current password is wrong', {
    issues: [{ path: 'currentPassword', code: 'wrong-password', message: 'The current password is wrong' }],
  });

/**
 * `throttle` bounds failed password checks per username (known or not), in every instance together. Without it
 * (scripts and tests that only create tokens) nothing that checks a password can be used: it refuses with 429.
 */
export function createAuthService(users: UserRepository, throttle?: LoginThrottle) {
  const attempt = (username: string) => {
    if (!throttle) throw tooManyAttempts();
    return throttle.attempt(username);
  };
  return {
    /** Checks a password; on success opens a session and returns its cookie value and CSRF token. */
    async login(username: string, password: string) {
      const counted = await attempt(username);
      const cred = await users.credentials(username);
      // Spend the same work on unknown users so timing does not reveal which usernames exist.
      const ok = await verifyPassword(password, cred?.password_hash ?? DUMMY_HASH);
      if (!cred || !ok || cred.disabled) {
        throw new AppError(401, 'invalid-credentials', 'Wrong username or password');
      }
      await counted.succeeded();
      const sessionToken = randomToken();
      const csrfToken = randomToken();
      await users.createSession(
        sha256(sessionToken),
        cred.id,
        csrfToken,
        new Date(Date.now() + SESSION_TTL_MS).toISOString(),
      );
      await users.deleteExpiredSessions();
      return { sessionToken, csrfToken, user: (await users.get(cred.id))! };
    },

    async logout(sessionHash: string) {
      await users.deleteSession(sessionHash);
    },

    /**
     * The caller changes their own password: the current one is required, and wrong guesses count
     * against the same per-username limit as failed logins. Ends the user's other sessions (the one
     * making the change stays signed in); their API tokens stay, since the user is the one acting.
     */
    async changePassword(a: Auth, currentPassword: string, newPassword: string): Promise<void> {
      const counted = await attempt(a.user.username);
      const cred = await users.credentials(a.user.username);
      if (!cred || !(await verifyPassword(currentPassword, cred.password_hash))) throw wrongPassword();
      await counted.succeeded();
      const passwordHash = await hashPassword(newPassword);
      // Compared with the hash that was checked: a reset by a maintainer while this one was hashing wins.
      if (!(await users.replaceOwnPassword(cred.id, cred.password_hash, passwordHash, a.sessionHash))) {
        throw new AppError(409, 'password-changed', 'The password was changed meanwhile; sign in again');
      }
    },

    async fromSessionCookie(cookieValue: string): Promise<Auth | undefined> {
      const hash = sha256(cookieValue);
      const s = await users.findSession(hash);
      if (!s) return undefined;
      const user = await users.get(s.user_id);
      return user && { user, via: 'session', sessionHash: hash, csrfToken: s.csrf_token };
    },

    async fromBearer(token: string): Promise<Auth | undefined> {
      if (!token.startsWith(TOKEN_PREFIX)) return undefined;
      const t = await users.findToken(sha256(token));
      const user = t && (await users.get(t.user_id));
      return user && { user, via: 'token' };
    },

    /** Creates an API token; the secret is returned once and only its hash is stored. */
    async createToken(userId: number, name: string) {
      const secret = TOKEN_PREFIX + randomToken();
      const token = await users.createToken(
        userId,
        name,
        sha256(secret),
        secret.slice(0, TOKEN_PREFIX.length + 6),
      );
      return { ...token, token: secret };
    },

    /** The user's own API tokens (names and prefixes; never a secret). */
    listTokens: async (userId: number) => await users.listTokens(userId),

    /** Revokes one of the user's own tokens; someone else's answers exactly like a missing one (404). */
    async deleteToken(userId: number, tokenId: number): Promise<void> {
      if (!(await users.deleteToken(userId, tokenId))) throw notFound('Token');
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
