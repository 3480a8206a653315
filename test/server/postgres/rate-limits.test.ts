import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { gateOf, type AsyncRepository } from '../../../server/db/async-repository.ts';
import { openDatabase } from '../../../server/db/connection.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { connectPostgres } from '../../../server/db/postgres/database.ts';
import { createPgRateLimitRepository } from '../../../server/db/postgres/rate-limits.ts';
import { createRateLimitRepository } from '../../../server/db/rate-limits.ts';
import { freshDbPath } from '../../helpers/app.ts';
import { freshPostgres, postgresEngine, withDatabase } from '../../helpers/postgres.ts';

type RateLimits = AsyncRepository<ReturnType<typeof createRateLimitRepository>>;

interface Instance {
  rateLimits: RateLimits;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

/** One engine on an empty migrated database, and what a second app instance on the same database would have. */
interface Engine extends Instance {
  rows<R>(sql: string): Promise<R[]>;
  /** SQLite: a second connection to the file; PostgreSQL server: a pool of its own; PGlite: the one connection. */
  otherInstance(): Promise<Instance>;
}

const closing: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closing.splice(0)) await close();
});

function sqliteInstance(path: string): Instance & { rows<R>(sql: string): Promise<R[]> } {
  const db = openDatabase(path);
  migrate(db);
  closing.push(() => Promise.resolve(void db.close()));
  const gate = gateOf(db);
  return {
    rateLimits: gate.wrap(createRateLimitRepository(db)),
    transaction: (fn) => gate.transaction(fn),
    rows: <R>(sql: string) => Promise.resolve(db.prepare(sql).all() as R[]),
  };
}

const engines: { engine: string; open: () => Promise<Engine> }[] = [
  {
    engine: 'sqlite',
    open: () => {
      const path = freshDbPath();
      return Promise.resolve({
        ...sqliteInstance(path),
        otherInstance: () => Promise.resolve(sqliteInstance(path)),
      });
    },
  },
  {
    engine: postgresEngine,
    open: async () => {
      const db = await freshPostgres();
      return {
        rateLimits: createPgRateLimitRepository(db),
        transaction: (fn) => db.transaction(fn),
        rows: (sql) => db.query(sql),
        otherInstance: async () => {
          const url = process.env.CS_TEST_POSTGRES_URL;
          if (postgresEngine === 'pglite' || !url) {
            return { rateLimits: createPgRateLimitRepository(db), transaction: (fn) => db.transaction(fn) };
          }
          const [row] = await db.query<{ name: string }>('SELECT current_database() AS name');
          const other = await connectPostgres(withDatabase(url, row.name), { max: 10 });
          closing.push(() => other.close());
          return {
            rateLimits: createPgRateLimitRepository(other),
            transaction: (fn) => other.transaction(fn),
          };
        },
      };
    },
  },
];

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const MINUTE = 60_000;
const window3 = { limit: 3, windowMs: MINUTE };

const stored = (e: Engine) =>
  e.rows<{ key: string; count: number; reset_at: string }>(
    'SELECT key, count, reset_at FROM rate_limits ORDER BY key',
  );

describe.each(engines)('rate limit repository on $engine', ({ open }) => {
  let e: Engine;
  beforeEach(async () => {
    e = await open();
  });

  it('counts hits into a window that starts at the first and refuses the one past the limit, counting nothing', async () => {
    const r = e.rateLimits;
    expect(await r.hit('k', 1, window3, T0)).toEqual({ counted: true, count: 1, resetAt: T0 + MINUTE });
    expect(await r.hit('k', 1, window3, T0 + 1000)).toEqual({
      counted: true,
      count: 2,
      resetAt: T0 + MINUTE,
    });
    expect(await r.hit('k', 1, window3, T0 + 2000)).toEqual({
      counted: true,
      count: 3,
      resetAt: T0 + MINUTE,
    });
    expect(await r.hit('k', 1, window3, T0 + 3000)).toEqual({
      counted: false,
      count: 3,
      resetAt: T0 + MINUTE,
    });
    expect(await r.hit('k', 1, window3, T0 + 59_999)).toEqual({
      counted: false,
      count: 3,
      resetAt: T0 + MINUTE,
    });
    expect(await stored(e)).toEqual([{ key: 'k', count: 3, reset_at: '2026-03-01T10:01:00.000Z' }]);
  });

  it('starts a new window at the first hit at or after the end of the last one', async () => {
    const r = e.rateLimits;
    for (let i = 0; i < 3; i++) await r.hit('k', 1, window3, T0);
    expect(await r.hit('k', 1, window3, T0 + MINUTE)).toEqual({
      counted: true,
      count: 1,
      resetAt: T0 + 2 * MINUTE,
    });
    // A window that ended long ago restarts the same way, with the window length asked for now.
    expect(await r.hit('k', 2, { limit: 3, windowMs: 5000 }, T0 + 10 * MINUTE)).toEqual({
      counted: true,
      count: 2,
      resetAt: T0 + 10 * MINUTE + 5000,
    });
  });

  it('counts several hits at once only when all of them fit', async () => {
    const r = e.rateLimits;
    expect(await r.hit('k', 2, window3, T0)).toEqual({ counted: true, count: 2, resetAt: T0 + MINUTE });
    expect(await r.hit('k', 2, window3, T0 + 1)).toEqual({ counted: false, count: 2, resetAt: T0 + MINUTE });
    expect(await r.hit('k', 1, window3, T0 + 2)).toEqual({ counted: true, count: 3, resetAt: T0 + MINUTE });
    // More than the limit on a key never seen: refused, nothing stored.
    expect(await r.hit('new', 4, window3, T0)).toEqual({ counted: false, count: 0, resetAt: T0 + MINUTE });
    expect((await stored(e)).map((row) => row.key)).toEqual(['k']);
  });

  it('keeps keys apart', async () => {
    const r = e.rateLimits;
    for (let i = 0; i < 3; i++) await r.hit('user:1', 1, window3, T0);
    expect(await r.hit('user:1', 1, window3, T0)).toMatchObject({ counted: false });
    expect(await r.hit('user:2', 1, window3, T0 + 500)).toEqual({
      counted: true,
      count: 1,
      resetAt: T0 + 500 + MINUTE,
    });
  });

  it('gives a hit back in the window it was counted in, never below zero, never to a later window', async () => {
    const r = e.rateLimits;
    await r.hit('k', 1, window3, T0);
    await r.hit('k', 1, window3, T0);
    expect(await r.giveBack('k', T0 + 10, T0 + MINUTE)).toBe(true);
    expect(await r.giveBack('k', T0 + 20)).toBe(true);
    expect(await r.giveBack('k', T0 + 30)).toBe(false);
    expect(await stored(e)).toEqual([{ key: 'k', count: 0, reset_at: '2026-03-01T10:01:00.000Z' }]);
    // A hit of the first window given back after a second window began: the second keeps its count.
    await r.hit('k', 1, window3, T0 + MINUTE);
    expect(await r.giveBack('k', T0 + MINUTE + 1, T0 + MINUTE)).toBe(false);
    // And a window that has ended takes nothing back.
    expect(await r.giveBack('k', T0 + 2 * MINUTE)).toBe(false);
    expect(await r.giveBack('unknown', T0)).toBe(false);
    expect(await stored(e)).toEqual([{ key: 'k', count: 1, reset_at: '2026-03-01T10:02:00.000Z' }]);
  });

  it('sweeps ended windows in batches of the size asked for, oldest first, leaving running ones', async () => {
    const r = e.rateLimits;
    await r.hit('a', 1, { limit: 3, windowMs: 1000 }, T0);
    await r.hit('b', 1, { limit: 3, windowMs: 2000 }, T0);
    await r.hit('c', 1, { limit: 3, windowMs: 3000 }, T0);
    await r.hit('d', 1, window3, T0);
    expect(await r.sweep(T0 + 5000, 2)).toBe(2);
    expect((await stored(e)).map((row) => row.key)).toEqual(['c', 'd']);
    expect(await r.sweep(T0 + 5000, 2)).toBe(1);
    expect(await r.sweep(T0 + 5000, 2)).toBe(0);
    expect((await stored(e)).map((row) => row.key)).toEqual(['d']);
  });

  it('forgets a key', async () => {
    const r = e.rateLimits;
    for (let i = 0; i < 3; i++) await r.hit('k', 1, window3, T0);
    await r.forget('k');
    expect(await r.hit('k', 1, window3, T0 + 1)).toEqual({
      counted: true,
      count: 1,
      resetAt: T0 + 1 + MINUTE,
    });
  });

  it('when a transaction with hits is rolled back, then none of them is counted', async () => {
    await e.rateLimits.hit('user', 1, window3, T0);
    await expect(
      e.transaction(async () => {
        await e.rateLimits.hit('user', 2, window3, T0 + 1);
        await e.rateLimits.hit('model', 1, window3, T0 + 1);
        throw new Error('refused whole');
      }),
    ).rejects.toThrow('refused whole');
    expect(await stored(e)).toEqual([{ key: 'user', count: 1, reset_at: '2026-03-01T10:01:00.000Z' }]);
  });

  it('when two instances hit one key at once, then the window counts exactly up to the limit between them', async () => {
    const other = await e.otherInstance();
    const window = { limit: 25, windowMs: MINUTE };
    const from = (instance: Instance) =>
      Array.from({ length: 20 }, () => instance.rateLimits.hit('shared', 1, window, T0));
    const hits = await Promise.all([...from(e), ...from(other)]);
    expect(hits.filter((h) => h.counted).length).toBe(25);
    expect(hits.filter((h) => !h.counted).length).toBe(15);
    expect(hits.every((h) => h.resetAt === T0 + MINUTE)).toBe(true);
    expect(
      hits
        .filter((h) => h.counted)
        .map((h) => h.count)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(await stored(e)).toEqual([{ key: 'shared', count: 25, reset_at: '2026-03-01T10:01:00.000Z' }]);
    // What one instance counted, the other sees.
    expect(await other.rateLimits.hit('shared', 1, window, T0 + 100)).toEqual({
      counted: false,
      count: 25,
      resetAt: T0 + MINUTE,
    });
  });
});
