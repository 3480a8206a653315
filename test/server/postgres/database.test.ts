import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { loadPostgresMigrations } from '../../../server/db/postgres/migrate.ts';
import {
  connectPostgres,
  DatabaseUnavailableError,
  DatabaseUnreachableError,
  openPglite,
  openPostgres,
  PgliteInstance,
  redactUrl,
  type PgDatabase,
} from '../../../server/db/postgres/database.ts';
import { freshPostgres, postgresEngines, withDatabase } from '../../helpers/postgres.ts';
import { relayTo } from '../../helpers/postgres-relay.ts';

const serverUrl = process.env.CS_TEST_POSTGRES_URL;

/** A deferred promise: lets a test order two concurrent paths without sleeping. */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function tableWithRows(db: PgDatabase, count: number) {
  await db.exec('CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)');
  if (count > 0)
    await db.execute("INSERT INTO t (name) SELECT 'n' || g FROM generate_series(1, $1::int) g", [count]);
}

describe.each(postgresEngines())('PgDatabase on $name', ({ fresh }) => {
  it('gives int8 and numeric as numbers, timestamptz as toISOString writes it, json parsed and booleans', async () => {
    const db = await fresh();
    await db.exec(
      `CREATE TABLE v (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz, price numeric,
         doc jsonb, raw json, ok boolean)`,
    );
    await db.execute('INSERT INTO v (at, price, doc, raw, ok) VALUES ($1, $2, $3, $4, $5)', [
      '2026-01-02T03:04:05.678Z',
      '12.5',
      JSON.stringify({ tags: ['a', 'ب'], n: 1 }),
      '[1,2]',
      true,
    ]);
    const rows = await db.query('SELECT id, at, price, doc, raw, ok, count(*) OVER () AS total FROM v');
    expect(rows).toEqual([
      {
        id: 1,
        at: '2026-01-02T03:04:05.678Z',
        price: 12.5,
        doc: { tags: ['a', 'ب'], n: 1 },
        raw: [1, 2],
        ok: true,
        total: 1,
      },
    ]);
  });

  it('gives the same ISO string whatever the session time zone, and whole seconds with .000', async () => {
    const db = await fresh();
    const rows = await db.transaction(async () => {
      await db.exec("SET LOCAL TimeZone = 'Asia/Seoul'");
      return db.query(
        "SELECT '2026-01-02T03:04:05.678Z'::timestamptz AS a, '2026-06-30 23:59:59-05:30'::timestamptz AS b, array['2026-01-01T00:00:00Z'::timestamptz] AS c, array[1::int8, null] AS d",
      );
    });
    expect(rows).toEqual([
      {
        a: '2026-01-02T03:04:05.678Z',
        b: '2026-07-01T05:29:59.000Z',
        c: ['2026-01-01T00:00:00.000Z'],
        d: [1, null],
      },
    ]);
  });

  it('counts the rows a statement changed', async () => {
    const db = await fresh();
    await tableWithRows(db, 3);
    expect(await db.execute("UPDATE t SET name = 'x' WHERE id >= $1", [2])).toBe(2);
    expect(await db.execute('DELETE FROM t WHERE id = $1', [99])).toBe(0);
  });

  it('commits a transaction and gives its result', async () => {
    const db = await fresh();
    await tableWithRows(db, 0);
    const result = await db.transaction(async () => {
      await db.execute("INSERT INTO t (name) VALUES ('a')");
      await db.execute("INSERT INTO t (name) VALUES ('b')");
      return 'done';
    });
    expect(result).toBe('done');
    expect(await db.query('SELECT name FROM t ORDER BY id')).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('when the body throws, then nothing it wrote remains and the error comes out', async () => {
    const db = await fresh();
    await tableWithRows(db, 0);
    await expect(
      db.transaction(async () => {
        await db.execute("INSERT INTO t (name) VALUES ('a')");
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.query('SELECT name FROM t')).toEqual([]);
  });

  it('a nested transaction is a savepoint: its failure undoes only its own writes', async () => {
    const db = await fresh();
    await tableWithRows(db, 0);
    await db.transaction(async () => {
      await db.execute("INSERT INTO t (name) VALUES ('outer')");
      await expect(
        db.transaction(async () => {
          await db.execute("INSERT INTO t (name) VALUES ('inner')");
          await db.execute('INSERT INTO t (name) VALUES (NULL)');
        }),
      ).rejects.toThrow(/null value/);
      await db.execute("INSERT INTO t (name) VALUES ('after')");
    });
    expect(await db.query('SELECT name FROM t ORDER BY id')).toEqual([{ name: 'outer' }, { name: 'after' }]);
  });

  it('code outside an open transaction never sees its uncommitted rows', async () => {
    const db = await fresh();
    await tableWithRows(db, 0);
    const inserted = signal();
    const finish = signal();
    const tx = db.transaction(async () => {
      await db.execute("INSERT INTO t (name) VALUES ('uncommitted')");
      inserted.resolve();
      await finish.promise;
      throw new Error('rolled back');
    });
    await inserted.promise;
    // Started from outside the transaction's async path, while it is open.
    const outside = db.query('SELECT count(*) AS n FROM t');
    finish.resolve();
    await expect(tx).rejects.toThrow('rolled back');
    expect(await outside).toEqual([{ n: 0 }]);
  });

  it('runs a transaction at the isolation level asked for, READ COMMITTED otherwise', async () => {
    const db = await fresh();
    const level = () => db.query<{ transaction_isolation: string }>('SHOW transaction_isolation');
    expect(await db.transaction(level)).toEqual([{ transaction_isolation: 'read committed' }]);
    expect(await db.transaction(level, { isolation: 'repeatable read' })).toEqual([
      { transaction_isolation: 'repeatable read' },
    ]);
    expect(await db.transaction(level, { isolation: 'serializable' })).toEqual([
      { transaction_isolation: 'serializable' },
    ]);
  });

  it('a cursor outside a transaction gives the rows in batches, and other queries run between batches', async () => {
    const db = await fresh();
    await tableWithRows(db, 5);
    const batches: string[][] = [];
    for await (const rows of db.cursor<{ name: string }>(
      'SELECT name FROM t WHERE id > $1 ORDER BY id',
      [0],
      2,
    )) {
      batches.push(rows.map((r) => r.name));
      // A reader that writes something else between batches must not wait for itself.
      await db.execute('UPDATE t SET name = name WHERE id = 1');
    }
    expect(batches).toEqual([['n1', 'n2'], ['n3', 'n4'], ['n5']]);
  });

  it('a cursor inside a transaction reads on its connection, seeing its uncommitted rows', async () => {
    const db = await fresh();
    await tableWithRows(db, 2);
    const batches = await db.transaction(async () => {
      await db.execute("INSERT INTO t (name) VALUES ('new')");
      const seen: string[][] = [];
      for await (const rows of db.cursor<{ name: string }>('SELECT name FROM t ORDER BY id', [], 2)) {
        seen.push(rows.map((r) => r.name));
      }
      return seen;
    });
    expect(batches).toEqual([['n1', 'n2'], ['new']]);
  });

  it('a reader that stops early leaves the database usable: cursor closed, connection given back', async () => {
    const db = await fresh();
    await tableWithRows(db, 6);
    for (let i = 0; i < 12; i++) {
      for await (const rows of db.cursor<{ name: string }>('SELECT name FROM t ORDER BY id', [], 2)) {
        expect(rows).toEqual([{ name: 'n1' }, { name: 'n2' }]);
        break;
      }
    }
    expect(await db.transaction(() => db.query('SELECT count(*) AS n FROM t'))).toEqual([{ n: 6 }]);
  });

  it('when a statement fails, then it throws PostgreSQL’s error with its SQLSTATE, not a connection error', async () => {
    const db = await fresh();
    await tableWithRows(db, 1);
    const error = await db.execute('INSERT INTO t (id, name) VALUES (1, $1)', ['x']).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DatabaseUnavailableError);
    expect((error as { code?: string }).code).toBe('428C9'); // generated always: cannot insert a value
  });
});

describe('PGlite', () => {
  it('when the instance is closed mid-use, then queries fail with DatabaseUnavailableError', async () => {
    const instance = await PgliteInstance.open();
    const db = await instance.database('public');
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await instance.close();
    const error = await db.query('SELECT 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as DatabaseUnavailableError).location).toBe('pglite:memory');
    expect((error as DatabaseUnavailableError).retryAfterSeconds).toBe(5);
  }, 30_000);

  it('transactions on one instance take turns: a second waits for the first to commit', async () => {
    const instance = await PgliteInstance.open();
    onTestFinished(() => instance.close());
    const db = await instance.database('public');
    await tableWithRows(db, 0);
    const order: string[] = [];
    const firstIn = signal();
    const release = signal();
    const first = db.transaction(async () => {
      firstIn.resolve();
      await release.promise;
      await db.execute("INSERT INTO t (name) VALUES ('first')");
      order.push('first committed');
    });
    await firstIn.promise;
    const second = db.transaction(async () => {
      const rows = await db.query<{ name: string }>('SELECT name FROM t');
      order.push(`second saw ${rows.map((r) => r.name).join(',')}`);
    });
    release.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first committed', 'second saw first']);
  }, 30_000);
});

// ---------------------------------------------------------------------------------------------------------
// Connecting

const PASSWORD = 's3cret-Pa55word';

/**
 * A TCP server answering a client's start-up message as PostgreSQL does when it refuses the login, with the
 * SQLSTATE and message given.
 */
async function refusingServer(code: string, message: string): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => {
      const fields = Buffer.concat([
        ...[
          ['S', 'FATAL'],
          ['V', 'FATAL'],
          ['C', code],
          ['M', message],
        ].map(([type, value]) => Buffer.from(`${type}${value}\0`)),
        Buffer.from([0]),
      ]);
      const header = Buffer.alloc(5);
      header.write('E', 0);
      header.writeInt32BE(fields.length + 4, 1);
      socket.end(Buffer.concat([header, fields]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, server };
}

async function unreachable(url: string): Promise<DatabaseUnreachableError> {
  const error = await connectPostgres(url).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatabaseUnreachableError);
  const message = (error as Error).message;
  expect(message).not.toContain(PASSWORD);
  expect((error as Error).stack ?? '').not.toContain(PASSWORD);
  return error as DatabaseUnreachableError;
}

/** A local port nothing listens on: one a server had a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connectPostgres', () => {
  it('when nothing listens there, then it names host, port, database and "connection refused", never the password', async () => {
    const port = await closedPort();
    const error = await unreachable(`postgres://ada:${PASSWORD}@127.0.0.1:${port}/studio`);
    expect(error.message).toBe(
      `Cannot connect to PostgreSQL (host 127.0.0.1, port ${port}, database "studio", user "ada"): connection refused (ECONNREFUSED): no server listens there.`,
    );
  });

  it('when the host name does not resolve, then it says unknown host', async () => {
    const error = await unreachable(`postgresql://ada:${PASSWORD}@no-such-host.invalid:5432/studio`);
    expect(error.message).toMatch(
      /^Cannot connect to PostgreSQL \(host no-such-host\.invalid, port 5432, database "studio", user "ada"\): unknown host/,
    );
  });

  it('when the server refuses the password, then it says authentication failed', async () => {
    const { port } = await refusingServer('28P01', `password authentication failed for user "ada"`);
    const error = await unreachable(`postgres://ada:${PASSWORD}@127.0.0.1:${port}/studio`);
    expect(error.message).toBe(
      `Cannot connect to PostgreSQL (host 127.0.0.1, port ${port}, database "studio", user "ada"): authentication failed (28P01).`,
    );
  });

  it('when the database does not exist, then it says so', async () => {
    const { port } = await refusingServer('3D000', `database "studio" does not exist`);
    const error = await unreachable(`postgres://ada:${PASSWORD}@127.0.0.1:${port}/studio?sslmode=disable`);
    expect(error.reason).toBe('database does not exist (3D000)');
  });

  it('when the server echoes the password in its reason, then the message still does not show it', async () => {
    const { port } = await refusingServer('XX000', `no entry for password ${PASSWORD}`);
    const error = await unreachable(`postgres://ada:${PASSWORD}@127.0.0.1:${port}/studio`);
    expect(error.message).toContain('no entry for password ***');
  });

  it('gives a location without the password, in the user part or the query string', () => {
    expect(redactUrl(`postgres://ada:${PASSWORD}@db.example.org:6543/studio?sslmode=require`)).toBe(
      'postgres://ada@db.example.org:6543/studio?sslmode=require',
    );
    expect(
      redactUrl(`postgresql://ada:${PASSWORD}@/studio?host=/run/postgresql&password=${PASSWORD}&port=5433`),
    ).toBe('postgresql://ada@/studio?host=/run/postgresql&port=5433');
    expect(redactUrl(`postgres://db.example.org/studio?password=${PASSWORD}`)).toBe(
      'postgres://db.example.org/studio',
    );
  });

  it('when the password is in the query string, then no message shows it either', async () => {
    const port = await closedPort();
    const error = await unreachable(
      `postgres://ada@127.0.0.1:${port}/studio?password=${PASSWORD}&application_name=cs`,
    );
    expect(error.message).toContain(`port ${port}, database "studio"`);
  });

  it.runIf(serverUrl)('on the real server: a missing database is named with the reason', async () => {
    const error = await unreachable(withDatabase(serverUrl!, 'cs_no_such_database'));
    expect(error.message).toContain('database "cs_no_such_database"');
    expect(error.reason).toBe('database does not exist (3D000)');
  });

  it.runIf(serverUrl)(
    'on the real server: a connection terminated mid-transaction gives DatabaseUnavailableError, and the next query works',
    async () => {
      const db = await connectPostgres(serverUrl!, { max: 2 });
      const admin = await connectPostgres(serverUrl!, { max: 1 });
      onTestFinished(async () => {
        await db.close();
        await admin.close();
      });
      const error = await db
        .transaction(async () => {
          const [{ pid }] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          await db.query('SELECT 1');
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).not.toContain(PASSWORD);
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    },
  );
});

describe.runIf(serverUrl)('connection loss on the real server', () => {
  it('when the server goes away, then queries and transactions fail with DatabaseUnavailableError; when it is back, they work again', async () => {
    const relay = await relayTo(serverUrl!);
    const db = await connectPostgres(relay.url, { max: 2, connectionTimeoutMillis: 2_000 });
    onTestFinished(async () => {
      await db.close();
      await relay.stop().catch(() => {});
    });
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);

    const inTransaction = signal();
    const cut = signal();
    const transaction = db
      .transaction(async () => {
        await db.query('SELECT 1');
        inTransaction.resolve();
        await cut.promise;
        await db.query('SELECT 2');
      })
      .catch((e: unknown) => e);
    await inTransaction.promise;
    await relay.stop();
    cut.resolve();
    const lost = await transaction;
    expect(lost).toBeInstanceOf(DatabaseUnavailableError);
    expect((lost as Error).message).toMatch(
      /^The database at postgres:\/\/.*@127\.0\.0\.1:\d+\/.* is unavailable \(/,
    );

    // While it is away, a new connection is refused: the same error.
    await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);

    await relay.start();
    expect(await db.query('SELECT 3 AS three')).toEqual([{ three: 3 }]);
    expect(await db.transaction(() => db.query('SELECT 4 AS four'))).toEqual([{ four: 4 }]);
  });
});

describe('freshPostgres (test harness)', () => {
  it('gives a new, migrated, empty database on each call', async () => {
    const first = await freshPostgres();
    const second = await freshPostgres();
    await first.exec('CREATE TABLE only_here (x integer)');
    const [{ version }] = await first.query<{ version: number }>('SELECT version FROM cs_schema_version');
    expect(version).toBe(loadPostgresMigrations().at(-1)!.version);
    expect(await second.query('SELECT version FROM cs_schema_version')).toEqual([{ version }]);
    expect(await second.query("SELECT to_regclass('only_here') IS NULL AS absent")).toEqual([
      { absent: true },
    ]);
  });

  it('when CI is set and CS_TEST_POSTGRES_URL is not, then it throws rather than fall back to PGlite', () => {
    const saved = { CI: process.env.CI, url: process.env.CS_TEST_POSTGRES_URL };
    process.env.CI = 'true';
    delete process.env.CS_TEST_POSTGRES_URL;
    try {
      expect(() => freshPostgres()).toThrow(
        'CI is set but CS_TEST_POSTGRES_URL is not: the PostgreSQL tests must run against a real server in CI (.ci/run starts one).',
      );
    } finally {
      if (saved.CI === undefined) delete process.env.CI;
      else process.env.CI = saved.CI;
      if (saved.url !== undefined) process.env.CS_TEST_POSTGRES_URL = saved.url;
    }
  });
});

describe('CS_DATABASE_URL', () => {
  it('takes a postgres:// or postgresql:// URL, and leaves it unset when empty', () => {
    expect(loadConfig({ CS_DATABASE_URL: 'postgres://cs@db.example.org:5432/studio' }).CS_DATABASE_URL).toBe(
      'postgres://cs@db.example.org:5432/studio',
    );
    expect(
      loadConfig({ CS_DATABASE_URL: 'postgresql://cs@/studio?host=/run/postgresql' }).CS_DATABASE_URL,
    ).toBe('postgresql://cs@/studio?host=/run/postgresql');
    expect(loadConfig({ CS_DATABASE_URL: '' }).CS_DATABASE_URL).toBeUndefined();
    expect(loadConfig({}).CS_DATABASE_URL).toBeUndefined();
  });

  it.each([
    `mysql://cs:${PASSWORD}@db.example.org/studio`,
    'sqlite:data/culture-studio.sqlite',
    'data/culture-studio.sqlite',
    'postgres://',
  ])(
    'when it is %j, then the configuration is refused, naming the setting and not echoing the value',
    (value) => {
      let message = '';
      try {
        loadConfig({ CS_DATABASE_URL: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toBe(
        'Invalid configuration:\n  CS_DATABASE_URL: must be a PostgreSQL URL, postgres://… or postgresql://… (a SQLite file is set with CS_DB_PATH)',
      );
    },
  );
});

describe('openPostgres', () => {
  it('opens a PGlite folder by its location, with what was written there before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-pglite-'));
    const opened: PgDatabase[] = [];
    onTestFinished(async () => {
      for (const db of opened) await db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const first = await openPglite(dir);
    expect(first.location).toBe(`pglite:${dir}`);
    await first.exec("CREATE TABLE kept (word text); INSERT INTO kept VALUES ('안녕')");
    await first.close();
    const again = await openPostgres(first.location);
    opened.push(again);
    expect(await again.query('SELECT word FROM kept')).toEqual([{ word: '안녕' }]);
  }, 60_000);

  it('refuses an in-memory PGlite location, which no other instance can reach', async () => {
    await expect(openPostgres('pglite:memory')).rejects.toThrow(
      'An in-memory PGlite database cannot be opened again: give it a folder (pglite:DIR).',
    );
  });

  it.runIf(serverUrl && new pg.Client({ connectionString: serverUrl }).password)(
    'on the real server: reconnects by location with the password from CS_DATABASE_URL',
    async () => {
      const db = await openPostgres(redactUrl(serverUrl!), { CS_DATABASE_URL: serverUrl });
      onTestFinished(() => db.close());
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    },
  );
});
