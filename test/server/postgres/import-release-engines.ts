import { gateOf, type AsyncRepository } from '../../../server/db/async-repository.ts';
import { createImportRepository } from '../../../server/db/imports.ts';
import type { PgDatabase } from '../../../server/db/postgres/database.ts';
import { createPgImportRepository } from '../../../server/db/postgres/imports.ts';
import { createPgReleaseRepository } from '../../../server/db/postgres/releases.ts';
import { createReleaseRepository } from '../../../server/db/releases.ts';
import { openDatabase } from '../../../server/db/connection.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { freshPostgres, numbered, postgresEngine } from '../../helpers/postgres.ts';

/**
 * One engine under test for the import and release repositories: the repositories, a transaction, and plain SQL
 * (written once with `?` placeholders and TRUE/FALSE, which both engines read) for other groups' rows and for
 * what the database itself must refuse.
 */
export interface Engine {
  imports: AsyncRepository<ReturnType<typeof createImportRepository>>;
  releases: AsyncRepository<ReturnType<typeof createReleaseRepository>>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  run(sql: string, params?: unknown[]): Promise<void>;
  all<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The PostgreSQL database (null on SQLite), for checks only PostgreSQL can make. */
  pg: PgDatabase | null;
}

// A migrated database in memory: these tests need the schema only (no app, no taxonomies).
const sqlite = (): Promise<Engine> => {
  const db = openDatabase(':memory:');
  migrate(db);
  const gate = gateOf(db);
  const values = (params: unknown[]) => params.map((p) => (typeof p === 'boolean' ? Number(p) : p));
  return Promise.resolve({
    imports: gate.wrap(createImportRepository(db)),
    releases: gate.wrap(createReleaseRepository(db)),
    transaction: (fn) => gate.transaction(fn),
    // async: what SQLite refuses becomes a rejection, as on PostgreSQL.
    run: async (sql, params = []) => {
      await Promise.resolve();
      db.prepare(sql).run(...values(params));
    },
    all: async <R>(sql: string, params: unknown[] = []) => {
      await Promise.resolve();
      return db.prepare(sql).all(...values(params)) as R[];
    },
    pg: null,
  });
};

const postgres = async (): Promise<Engine> => {
  const db = await freshPostgres();
  return {
    imports: createPgImportRepository(db),
    releases: createPgReleaseRepository(db),
    transaction: (fn) => db.transaction(fn),
    run: async (sql, params = []) => {
      await db.execute(numbered(sql), params);
    },
    all: (sql, params = []) => db.query(numbered(sql), params),
    pg: db,
  };
};

export const engines: [string, () => Promise<Engine>][] = [
  ['SQLite', sqlite],
  [`PostgreSQL (${postgresEngine})`, postgres],
];

export const T0 = '2026-01-01T00:00:00.000Z';

/** Users 1 (Ana, author) and 2 (Ben), and more if named (3, 4 …), all of `role`; datasets 1 and 2. */
export async function seed(
  e: Pick<Engine, 'run'>,
  { more = [], role = 'maintainer' }: { more?: string[]; role?: 'annotator' | 'maintainer' } = {},
) {
  for (const [i, name] of ['Ana', 'Ben', ...more].entries()) {
    await e.run(
      `INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'x', ?, ?)`,
      [i + 1, name.toLowerCase(), name, role, T0, T0],
    );
  }
  for (const id of [1, 2]) {
    await e.run('INSERT INTO datasets (id, slug, name, created_at) VALUES (?, ?, ?, ?)', [
      id,
      `d${id}`,
      `D${id}`,
      T0,
    ]);
  }
}

/** An item row with the few fields a test names (the rest empty); its id. */
export async function addItem(
  e: Engine,
  f: {
    uid: string;
    datasetId?: number;
    externalId?: string | null;
    status?: string;
    language?: string;
    kind?: string;
    category?: string | null;
    hazard?: string | null;
    license?: string | null;
    importId?: number | null;
    question?: string;
  },
): Promise<number> {
  await e.run(
    `INSERT INTO items (uid, dataset_id, external_id, language, kind, format, status, question, reference_answer,
       primary_category, hazard, license, author_id, version, created_at, updated_at, import_id)
     VALUES (?, ?, ?, ?, ?, 'short_answer', ?, ?, 'answer', ?, ?, ?, 1, 1, ?, ?, ?)`,
    [
      f.uid,
      f.datasetId ?? 1,
      f.externalId ?? null,
      f.language ?? 'ko',
      f.kind ?? 'culture',
      f.status ?? 'accepted',
      f.question ?? `Question ${f.uid}`,
      f.category ?? null,
      f.hazard ?? null,
      f.license ?? null,
      T0,
      T0,
      f.importId ?? null,
    ],
  );
  return (await e.all<{ id: number }>('SELECT id FROM items WHERE uid = ?', [f.uid]))[0].id;
}
