import { AppError } from '../errors.ts';

/** How many failed sign-ins are allowed in a window: per client address (HTTP layer) and per username (here). */
export interface LoginRateLimit {
  windowMs: number;
  limit: number;
}

export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimit = { windowMs: 15 * 60_000, limit: 10 };

/** Past this many tracked usernames, expired windows are swept before a new one is added. */
const SWEEP_AT = 10_000;

export const tooManyAttempts = () =>
  new AppError(429, 'too-many-attempts', 'Too many failed logins; try again later');

/**
 * Failed password checks counted per username in fixed windows, whatever address they come from, so
 * rotating addresses does not buy more guesses. Unknown usernames are counted exactly like known
 * ones: a locked name answers the same whether or not it exists.
 */
export function createLoginThrottle(limit: LoginRateLimit, now: () => number = Date.now) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  // Usernames are case-insensitive.
  const keyOf = (username: string) => username.normalize('NFC').toLowerCase();

  const sweep = () => {
    const t = now();
    for (const [k, w] of windows) if (w.resetAt <= t) windows.delete(k);
  };

  return {
    /**
     * Counts an attempt for `username` before the password is checked (so parallel guesses count
     * too), or throws 429 `too-many-attempts` when its window is used up. Call `succeeded()` on the
     * result when the password was right: only failures are counted.
     */
    attempt(username: string) {
      const key = keyOf(username);
      const t = now();
      let w = windows.get(key);
      if (w && w.resetAt <= t) {
        windows.delete(key);
        w = undefined;
      }
      if (w && w.count >= limit.limit) throw tooManyAttempts();
      if (!w) {
        if (windows.size >= SWEEP_AT) sweep();
        w = { count: 0, resetAt: t + limit.windowMs };
        windows.set(key, w);
      }
      w.count++;
      const counted = w;
      return {
        succeeded() {
          if (windows.get(key) === counted && counted.count > 0) counted.count--;
        },
      };
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
