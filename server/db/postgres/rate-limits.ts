import type { AsyncRepository } from '../async-repository.ts';
import type { createRateLimitRepository, RateHit, RateWindow } from '../rate-limits.ts';
import type { PgDatabase } from './database.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Hit counters in fixed windows shared by every app instance (schema/postgres/023-rate-limits.sql); the same
 * contract and results as server/db/rate-limits.ts. A hit is one INSERT … ON CONFLICT DO UPDATE: PostgreSQL locks
 * the key's row while the statement decides (and until the transaction ends, when a caller runs hits in one), so
 * hits from several instances at once are each counted exactly once and never pass the limit.
 */
export function createPgRateLimitRepository(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof createRateLimitRepository>> {
  return {
    async hit(key: string, amount: number, window: RateWindow, now: number): Promise<RateHit> {
      if (amount <= window.limit) {
        const [row] = await db.query<{ count: number; reset_at: string }>(
          `INSERT INTO rate_limits AS r (key, count, reset_at) VALUES ($1, $2, $3)
           ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN r.reset_at <= $4 THEN excluded.count ELSE r.count + excluded.count END,
             reset_at = CASE WHEN r.reset_at <= $4 THEN excluded.reset_at ELSE r.reset_at END
           WHERE r.reset_at <= $4 OR r.count + excluded.count <= $5
           RETURNING r.count, r.reset_at`,
          [key, amount, iso(now + window.windowMs), iso(now), window.limit],
        );
        if (row) return { counted: true, count: row.count, resetAt: Date.parse(row.reset_at) };
      }
      // Refused. Read afterwards for the answer only: the decision above was the statement's.
      const [row] = await db.query<{ count: number; reset_at: string }>(
        'SELECT count, reset_at FROM rate_limits WHERE key = $1',
        [key],
      );
      return row && Date.parse(row.reset_at) > now
        ? { counted: false, count: row.count, resetAt: Date.parse(row.reset_at) }
        : { counted: false, count: 0, resetAt: now + window.windowMs };
    },

    async giveBack(key: string, now: number, resetAt?: number): Promise<boolean> {
      const changed = await db.execute(
        `UPDATE rate_limits SET count = count - 1
         WHERE key = $1 AND count > 0 AND reset_at > $2 AND ($3::timestamptz IS NULL OR reset_at = $3)`,
        [key, iso(now), resetAt === undefined ? null : iso(resetAt)],
      );
      return changed > 0;
    },

    async sweep(now: number, batch: number): Promise<number> {
      // SKIP LOCKED: a row another instance is hitting right now is left for a later sweep rather than waited for.
      return db.execute(
        `DELETE FROM rate_limits
         WHERE key IN (SELECT key FROM rate_limits WHERE reset_at <= $1
                       ORDER BY reset_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [iso(now), batch],
      );
    },

    async forget(key: string): Promise<void> {
      await db.execute('DELETE FROM rate_limits WHERE key = $1', [key]);
    },
  };
}
