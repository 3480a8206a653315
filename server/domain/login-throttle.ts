import { AppError } from '../errors.ts';
import type { RateLimiter } from './rate-limits.ts';

/** How many failed sign-ins are allowed in a window: per client address (HTTP layer) and per username (here). */
export interface LoginRateLimit {
  windowMs: number;
  limit: number;
}

export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimit = { windowMs: 15 * 60_000, limit: 10 };

export const tooManyAttempts = () =>
  new AppError(429, 'too-many-attempts', 'Too many failed logins; try again later');

/**
 * Failed password checks counted per username in fixed windows, whatever address they come from, so
 * rotating addresses does not buy more guesses; counted in the database (rate-limits.ts), so every app
 * instance counts into the same window. Unknown usernames are counted exactly like known ones: a locked
 * name answers the same whether or not it exists.
 */
export function createLoginThrottle(limiter: RateLimiter, limit: LoginRateLimit) {
  // Usernames are case-insensitive.
  const keyOf = (username: string) => username.normalize('NFC').toLowerCase();

  return {
    /** The counter the per-address limit of the HTTP layer shares (server/http/rate-limit-store.ts). */
    limiter,
    /**
     * Counts an attempt for `username` before the password is checked (so parallel guesses count
     * too), or throws 429 `too-many-attempts` when its window is used up. Call `succeeded()` on the
     * result when the password was right: only failures are counted.
     */
    async attempt(username: string) {
      const key = keyOf(username);
      const hit = await limiter.hit('login-user', key, 1, limit);
      if (!hit.counted) throw tooManyAttempts();
      return {
        succeeded: () => limiter.giveBack('login-user', key, hit.resetAt),
      };
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
