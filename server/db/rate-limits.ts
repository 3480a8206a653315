import type { Db } from './connection.ts';

/** A fixed window: at most `limit` hits per key in `windowMs` from the window's first hit. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** What a hit found: whether it was counted, the window's count after it, and when the window ends (ms since epoch). */
export interface RateHit {
  counted: boolean;
  count: number;
  resetAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Hit counters in fixed windows, shared by every process on the database (migration 023). A hit is decided by
 * one statement, so counters stay exact with several writers; a refused hit counts nothing.
 */
export function createRateLimitRepository(db: Db) {
  // Counted only while the window (still running) has room; an expired window restarts at this hit.
  const upsert = db.prepare<
    { key: string; amount: number; limit: number; now: string; resetAt: string },
    { count: number; reset_at: string }
  >(
    `INSERT INTO rate_limits (key, count, reset_at) VALUES (@key, @amount, @resetAt)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN reset_at <= @now THEN excluded.count ELSE count + excluded.count END,
       reset_at = CASE WHEN reset_at <= @now THEN excluded.reset_at ELSE reset_at END
     WHERE reset_at <= @now OR count + excluded.count <= @limit
     RETURNING count, reset_at`,
  );
  const read = db.prepare<[string], { count: number; reset_at: string }>(
    'SELECT count, reset_at FROM rate_limits WHERE key = ?',
  );
  const giveBack = db.prepare<{ key: string; now: string; resetAt: string | null }>(
    `UPDATE rate_limits SET count = count - 1
     WHERE key = @key AND count > 0 AND reset_at > @now AND (@resetAt IS NULL OR reset_at = @resetAt)`,
  );
  const sweep = db.prepare<[string, number]>(
    `DELETE FROM rate_limits
     WHERE key IN (SELECT key FROM rate_limits WHERE reset_at <= ? ORDER BY reset_at LIMIT ?)`,
  );
  const forget = db.prepare<[string]>('DELETE FROM rate_limits WHERE key = ?');

  return {
    /**
     * Adds `amount` hits to `key`'s window if they fit under `window.limit` (a window that has ended starts again
     * at `now`); otherwise counts nothing and says how full the window is and when it ends (`counted: false`).
     */
    hit(key: string, amount: number, window: RateWindow, now: number): RateHit {
      if (amount <= window.limit) {
        const row = upsert.get({
          key,
          amount,
          limit: window.limit,
          now: iso(now),
          resetAt: iso(now + window.windowMs),
        });
        if (row) return { counted: true, count: row.count, resetAt: Date.parse(row.reset_at) };
      }
      // Refused. Read afterwards for the answer only: the decision above was the statement's.
      const row = read.get(key);
      return row && Date.parse(row.reset_at) > now
        ? { counted: false, count: row.count, resetAt: Date.parse(row.reset_at) }
        : { counted: false, count: 0, resetAt: now + window.windowMs };
    },

    /**
     * Takes one hit back (a sign-in whose password was right: only failures count), in a window that has not
     * ended — the window that ends at `resetAt` when given, so a hit is never given back to a later window.
     */
    giveBack(key: string, now: number, resetAt?: number): boolean {
      return (
        giveBack.run({ key, now: iso(now), resetAt: resetAt === undefined ? null : iso(resetAt) }).changes > 0
      );
    },

    /** Deletes up to `batch` windows that have ended; returns how many it deleted. */
    sweep(now: number, batch: number): number {
      return sweep.run(iso(now), batch).changes;
    },

    /** Forgets `key`'s window. */
    forget(key: string): void {
      forget.run(key);
    },
  };
}
