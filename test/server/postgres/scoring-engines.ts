import { afterAll } from 'vitest';
import { gateOf, type AsyncRepository } from '../../../server/db/async-repository.ts';
import { openDatabase } from '../../../server/db/connection.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { connectPostgres, type PgDatabase } from '../../../server/db/postgres/database.ts';
import { createPgScoringRepository } from '../../../server/db/postgres/scoring.ts';
import { createScoringRepository, type ScoringRepository } from '../../../server/db/scoring.ts';
import { freshPostgres, numbered, postgresEngine, withDatabase } from '../../helpers/postgres.ts';

/**
 * The scoring repository on one engine, on an empty migrated database, with plain SQL for fixtures (rows of
 * other groups' tables: users, datasets, releases, items) and checks. Fixture SQL is written once with `?`
 * placeholders and TRUE/FALSE literals, which both engines read.
 */
export interface Engine {
  name: 'sqlite' | 'pglite' | 'postgres';
  scoring: AsyncRepository<ScoringRepository>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  rows<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The error code a unique violation, and a foreign key violation, surface with. */
  codes: { unique: string; foreignKey: string };
}

const closing: (() => Promise<void>)[] = [];
// Registered after the harness's own afterAll (its module is imported first); vitest runs after-hooks in reverse
// order, so these pools close before the harness drops their databases.
afterAll(async () => {
  for (const close of closing.splice(0)) await close();
});

/** SQLite in memory: these are the repository's own statements, run on the request thread (no job threads). */
function sqlite(): Promise<Engine> {
  const db = openDatabase(':memory:');
  migrate(db);
  closing.push(() => Promise.resolve(void db.close()));
  return Promise.resolve({
    name: 'sqlite',
    scoring: gateOf(db).wrap(createScoringRepository(db)),
    transaction: (fn) => gateOf(db).transaction(fn),
    rows: <R>(sql: string, params: unknown[] = []) => {
      const statement = db.prepare(sql);
      if (statement.reader) return Promise.resolve(statement.all(...params) as R[]);
      statement.run(...params);
      return Promise.resolve([]);
    },
    codes: { unique: 'SQLITE_CONSTRAINT_UNIQUE', foreignKey: 'SQLITE_CONSTRAINT_FOREIGNKEY' },
  });
}

/** The PostgreSQL engine on `db`. */
function pgEngine(db: PgDatabase): Engine {
  return {
    name: postgresEngine,
    scoring: createPgScoringRepository(db),
    transaction: (fn) => db.transaction(fn),
    rows: (sql, params = []) => db.query(numbered(sql), params),
    codes: { unique: '23505', foreignKey: '23503' },
  };
}

/** Both engines, for `describe.each`. */
export const engines: { engine: string; open: () => Promise<Engine> }[] = [
  { engine: 'sqlite', open: sqlite },
  { engine: postgresEngine, open: async () => pgEngine(await freshPostgres()) },
];

/**
 * A fresh PostgreSQL database with a pool of `connections` (the harness's pools are small), for tests of several
 * transactions at once. On PGlite (one connection) the same database is given back.
 */
export async function postgresWithConnections(
  connections: number,
): Promise<{ engine: Engine; db: PgDatabase }> {
  const fresh = await freshPostgres();
  const url = process.env.CS_TEST_POSTGRES_URL;
  if (postgresEngine === 'pglite' || !url) return { engine: pgEngine(fresh), db: fresh };
  const [row] = await fresh.query<{ name: string }>('SELECT current_database() AS name');
  const db = await connectPostgres(withDatabase(url, row.name), { max: connections });
  closing.push(() => db.close());
  return { engine: pgEngine(db), db };
}

/**
 * Runs `n` transactions at once on `db`, each `before(i)` then `after(i)`, and lets them go on to `after` only
 * once every one of them has either done `before` or waits for a lock (in `before`): so that, without a lock
 * or constraint, all would read before any writes. On a real server only: PGlite has one connection, where
 * the transactions run one after another. Returns each transaction's result.
 */
export async function together<T>(
  db: PgDatabase,
  n: number,
  before: (i: number) => Promise<unknown>,
  after: (i: number) => Promise<T>,
): Promise<T[]> {
  if (postgresEngine === 'pglite')
    return Promise.all(
      Array.from({ length: n }, (_, i) =>
        db.transaction(async () => {
          await before(i);
          return after(i);
        }),
      ),
    );
  let arrived = 0;
  let go!: () => void;
  const gate = new Promise<void>((resolve) => (go = resolve));
  const runs = Array.from({ length: n }, (_, i) =>
    db.transaction(async () => {
      await before(i);
      arrived++;
      await gate;
      return after(i);
    }),
  );
  let settled = false;
  const all = Promise.all(runs).finally(() => (settled = true));
  all.catch(() => {}); // awaited below
  // Polled on a connection of the pool outside the transactions.
  while (!settled) {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (arrived + row.n >= n) break;
  }
  go();
  return all;
}

export const T0 = '2026-03-01T09:00:00.000Z';
export const T1 = '2026-03-01T09:30:00.000Z';
export const T2 = '2026-03-01T10:00:00.000Z';

/** Rows of the other groups' tables that scoring rows point to. */
export interface World {
  alice: number;
  bob: number;
  carol: number;
  dataset: number;
  /** Two published releases of the dataset. */
  release: number;
  otherRelease: number;
  /** A model to run on them. */
  model: number;
  otherModel: number;
}

const idOf = async (e: Engine, sql: string, params: unknown[]) =>
  (await e.rows<{ id: number }>(`${sql} RETURNING id`, params))[0].id;

export async function world(e: Engine): Promise<World> {
  const user = (name: string) =>
    idOf(
      e,
      `INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)
       VALUES (?, ?, 'maintainer', 'x', ?, ?)`,
      [name, name, T0, T0],
    );
  const alice = await user('alice');
  const bob = await user('bob');
  const carol = await user('carol');
  const dataset = await idOf(e, `INSERT INTO datasets (slug, name, created_at) VALUES ('d', 'D', ?)`, [T0]);
  const release = (version: string) =>
    idOf(
      e,
      `INSERT INTO releases (dataset_id, version, title, filter, dataset_meta, released_at, item_count, counts, state,
         created_by, created_at)
       VALUES (?, ?, 'T', '{}', '{}', '2026-03-01', 0, '{}', 'published', ?, ?)`,
      [dataset, version, alice, T0],
    );
  const model = (name: string) =>
    e.scoring.insertModel({
      name,
      developer: 'Lab',
      country: null,
      sovereign: false,
      baseUrl: null,
      endpointModel: null,
      apiKeyEnv: null,
      apiKey: null,
      createdBy: alice,
      createdAt: T0,
    });
  return {
    alice,
    bob,
    carol,
    dataset,
    release: await release('1.0.0'),
    otherRelease: await release('2.0.0'),
    model: await model('model-a'),
    otherModel: await model('model-b'),
  };
}

/** A run of `model` on `release`, pending, created by `by`. */
export const newRun = (e: Engine, w: World, model: number, release: number, itemCount = 10) =>
  e.scoring.insertRun({
    modelId: model,
    releaseId: release,
    promptTemplate: null,
    temperature: 0,
    maxTokens: 512,
    itemCount,
    createdBy: w.alice,
    createdAt: T0,
  });

/** A response as a test writes it: `[uid, language, category, kind, format, scoring, correct]`. */
export type ResponseSpec = [
  string,
  string,
  string,
  'culture' | 'safety',
  string,
  'auto' | 'rating',
  boolean | null,
];

export const responses = (e: Engine, runId: number, specs: ResponseSpec[]) =>
  e.scoring.insertResponses(
    specs.map(([uid, language, category, kind, format, scoring, correct]) => ({
      runId,
      uid,
      language,
      kind,
      format,
      category,
      response: `answer ${uid} — إجابة 답`,
      source: 'import',
      scoring,
      extracted: correct === null ? null : correct ? 'B' : 'C',
      correct,
      createdAt: T0,
    })),
  );

/** The ids of a run's responses by item id. */
export async function responseIds(e: Engine, runId: number): Promise<Record<string, number>> {
  const rows = await e.rows<{ id: number; uid: string }>('SELECT id, uid FROM responses WHERE run_id = ?', [
    runId,
  ]);
  return Object.fromEntries(rows.map((r) => [r.uid, r.id]));
}
