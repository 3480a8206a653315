import { createHash } from 'node:crypto';
import type { RateHit, RateWindow } from '../db/rate-limits.ts';
import type { RateLimitRepository } from '../db/repositories.ts';

export type { RateHit, RateWindow };

/** What is counted: failed sign-ins per username and per client address, model trials per user and per model. */
export type RateKind = 'login-user' | 'login-address' | 'trial-user' | 'trial-model';

/** Every this many hits in a process, one bounded sweep of ended windows (each hit adds at most a few rows). */
const SWEEP_EVERY = 256;
const SWEEP_BATCH = 1_000;

/**
 * Rate limits counted in the database (repository `rateLimits`, migration 023), so that every app instance on it
 * counts into the same windows: fixed windows from a key's first hit. Keys are digests of what is counted, so the
 * table holds no usernames (nor a password typed into the username field) and no addresses in plain.
 */
let hits = 0;
export function createRateLimiter(rateLimits: RateLimitRepository, now: () => number = Date.now) {
  const keyOf = (kind: RateKind, value: string) =>
    `${kind}:${createHash('sha256').update(value).digest('base64url')}`;

  return {
    now,
    /** Counts `amount` hits of `value` if they fit in its window's limit; a refused hit counts nothing. */
    async hit(kind: RateKind, value: string, amount: number, window: RateWindow): Promise<RateHit> {
      const result = await rateLimits.hit(keyOf(kind, value), amount, window, now());
      if (++hits % SWEEP_EVERY === 0) await rateLimits.sweep(now(), SWEEP_BATCH);
      return result;
    },
    /** Takes back one hit of the window that ends at `resetAt` (or of the running window), if it has not ended. */
    async giveBack(kind: RateKind, value: string, resetAt?: number): Promise<void> {
      await rateLimits.giveBack(keyOf(kind, value), now(), resetAt);
    },
    async forget(kind: RateKind, value: string): Promise<void> {
      await rateLimits.forget(keyOf(kind, value));
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** Whole seconds until `resetAt`, at least 1 (a Retry-After). */
export const secondsUntil = (resetAt: number, now: number): number =>
  Math.max(1, Math.ceil((resetAt - now) / 1000));
