import { afterAll } from 'vitest';
import { gateOf, type AsyncRepository } from '../../../server/db/async-repository.ts';
import { openDatabase } from '../../../server/db/connection.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { connectPostgres, type PgDatabase } from '../../../server/db/postgres/database.ts';
import { createPgValidationRepository } from '../../../server/db/postgres/validations.ts';
import { createValidationRepository, type NewTask } from '../../../server/db/validations.ts';
import { freshDbPath } from '../../helpers/app.ts';
import { freshPostgres, numbered, postgresEngine, withDatabase } from '../../helpers/postgres.ts';

export type Validations = AsyncRepository<ReturnType<typeof createValidationRepository>>;

/**
 * One engine under test, on an empty migrated database: the validation repository, a transaction to run calls
 * in, and plain SQL for fixtures (rows of other groups' tables) and checks, written once with `?` placeholders
 * and TRUE/FALSE literals, which both engines read.
 */
export interface Engine {
  name: 'sqlite' | 'pglite' | 'postgres';
  validations: Validations;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  run(sql: string, params?: unknown[]): Promise<void>;
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /**
   * The repository on another connection to the same database, with its own transactions, as a second app
   * instance has it (PostgreSQL server: a pool of its own; PGlite has one connection, SQLite is not asked).
   */
  otherInstance(): Promise<{ validations: Validations; transaction<T>(fn: () => Promise<T>): Promise<T> }>;
  /** The PostgreSQL database, for checks only PostgreSQL can answer (locks, plans). */
  pg?: PgDatabase;
}

const closing: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closing.splice(0)) await close();
});

function sqlite(): Promise<Engine> {
  const db = openDatabase(freshDbPath());
  migrate(db);
  closing.push(() => Promise.resolve(void db.close()));
  const gate = gateOf(db);
  const engine: Engine = {
    name: 'sqlite',
    validations: gate.wrap(createValidationRepository(db)),
    transaction: (fn) => gate.transaction(fn),
    run: (sql, params = []) => Promise.resolve(void db.prepare(sql).run(...params)),
    rows: <R>(sql: string, params: unknown[] = []) => Promise.resolve(db.prepare(sql).all(...params) as R[]),
    otherInstance: () => Promise.resolve(engine),
  };
  return Promise.resolve(engine);
}

async function postgres(): Promise<Engine> {
  const db = await freshPostgres();
  return {
    name: postgresEngine,
    validations: createPgValidationRepository(db),
    transaction: (fn) => db.transaction(fn),
    run: async (sql, params = []) => void (await db.execute(numbered(sql), params)),
    rows: (sql, params = []) => db.query(numbered(sql), params),
    pg: db,
    otherInstance: async () => {
      const url = process.env.CS_TEST_POSTGRES_URL;
      if (postgresEngine === 'pglite' || !url)
        return { validations: createPgValidationRepository(db), transaction: (fn) => db.transaction(fn) };
      const [row] = await db.query<{ name: string }>('SELECT current_database() AS name');
      const other = await connectPostgres(withDatabase(url, row.name), { max: 10 });
      // Before the harness drops the database (its afterAll runs after this file's).
      closing.push(() => other.close());
      return { validations: createPgValidationRepository(other), transaction: (fn) => other.transaction(fn) };
    },
  };
}

/** Both engines, for `describe.each`. */
export const engines: { engine: string; open: () => Promise<Engine> }[] = [
  { engine: 'sqlite', open: sqlite },
  { engine: postgresEngine, open: postgres },
];

/** 2026-03-01 10:00 UTC plus `minutes`, as the application writes times. */
export const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 10, 0) + minutes * 60_000).toISOString();

export async function addUser(
  e: Engine,
  id: number,
  name: string,
  role: 'annotator' | 'reviewer' | 'maintainer',
  languages: string[] = [],
  disabled = false,
) {
  await e.run(
    `INSERT INTO users (id, username, display_name, role, password_hash, disabled, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'x', ${disabled ? 'TRUE' : 'FALSE'}, ?, ?)`,
    [id, name.toLowerCase().replace(/ /g, '-'), name, role, at(0), at(0)],
  );
  for (const language of languages)
    await e.run('INSERT INTO user_languages (user_id, language) VALUES (?, ?)', [id, language]);
}

export async function addDataset(e: Engine, id: number, validatorsPerItem: number) {
  await e.run(
    'INSERT INTO datasets (id, slug, name, validators_per_item, created_at) VALUES (?, ?, ?, ?, ?)',
    [id, `d${id}`, `Dataset ${id}`, validatorsPerItem, at(0)],
  );
}

export interface ItemFixture {
  id: number;
  dataset?: number;
  author?: number;
  language?: string;
  status?: string;
  kind?: 'culture' | 'safety';
  primaryCategory?: string | null;
  hazard?: string | null;
  submittedAt?: string | null;
  importId?: number | null;
  question?: string;
}

export async function addItem(e: Engine, i: ItemFixture) {
  await e.run(
    `INSERT INTO items (id, uid, dataset_id, language, kind, format, status, question, primary_category, hazard,
       author_id, created_at, updated_at, submitted_at, import_id)
     VALUES (?, ?, ?, ?, ?, 'open_ended', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      i.id,
      `uid-${i.id}`,
      i.dataset ?? 1,
      i.language ?? 'ko',
      i.kind ?? 'culture',
      i.status ?? 'submitted',
      i.question ?? `Question ${i.id}`,
      i.primaryCategory ?? null,
      i.hazard ?? null,
      i.author ?? 1,
      at(i.id),
      at(i.id),
      i.submittedAt === undefined ? at(i.id) : i.submittedAt,
      i.importId ?? null,
    ],
  );
}

/** An import whose rows are still hidden (being written), as the import job leaves it mid-way. */
export async function addHiddenImport(e: Engine, id: number, dataset: number, user: number) {
  await e.run(
    `INSERT INTO imports (id, dataset_id, user_id, file_name, format, options, dry_run, item_status, state,
       created_at, rows_hidden)
     VALUES (?, ?, ?, 'rows.csv', 'csv', '{}', FALSE, 'submitted', 'writing', ?, TRUE)`,
    [id, dataset, user, at(0)],
  );
}

/**
 * The users and datasets the validation tests share: an author (1), two validators (2, 3), a reviewer (4), a
 * maintainer (5) and a disabled reviewer (6); dataset 1 takes two validators per item, dataset 2 three.
 */
export async function validationWorld(e: Engine) {
  await addUser(e, 1, 'Alice Author', 'annotator', ['ko']);
  await addUser(e, 2, 'Val One', 'annotator', ['ko', 'en']);
  await addUser(e, 3, 'Val Two', 'annotator', ['ko']);
  await addUser(e, 4, 'Rita Reviewer', 'reviewer', ['ko']);
  await addUser(e, 5, 'Max Maintainer', 'maintainer');
  await addUser(e, 6, 'Dora Disabled', 'reviewer', ['ko', 'en'], true);
  await addDataset(e, 1, 2);
  await addDataset(e, 2, 3);
}

/** A task of round 1 on dataset 1, leased at 11:40 for 30 minutes, unless told otherwise. */
export const task = (t: Partial<NewTask> & Pick<NewTask, 'itemId' | 'validatorId'>): NewTask => ({
  datasetId: 1,
  round: 1,
  gold: false,
  itemVersion: 1,
  leasedAt: at(100),
  expiresAt: at(130),
  ...t,
});

/** A validation form that accepts the item as it is. */
export const acceptingForm = {
  grounded: 'yes',
  correct: 'yes',
  category: 'keep',
  categoryPath: null,
  quality: 5,
  comment: null,
} as const;
