// Moving house (issue 12): a SQLite database copied, with its ids, into a PostgreSQL database at the same schema
// version, then verified table by table (row counts and content hashes computed on both sides).
import type { Statement } from 'better-sqlite3';
import type { Db } from '../connection.ts';
import { loadMigrations } from '../migrate.ts';
import type { PgDatabase } from '../postgres/database.ts';
import { searchRow, SEARCH_COLUMNS } from '../postgres/items/search-text.ts';
import { migratePostgres } from '../postgres/migrate.ts';
import {
  CopyRefusedError,
  planCopy,
  postgresTables,
  quote,
  type CopyPlan,
  type TablePlan,
} from './tables.ts';
import { TableDigest, toPostgres } from './values.ts';

export { CopyRefusedError } from './tables.ts';

/** One table's verification: rows and content hash on each side. */
export interface TableCheck {
  table: string;
  sqliteRows: number;
  postgresRows: number;
  sqliteHash: string;
  postgresHash: string;
}

export interface CopyReport {
  /** True when every table's counts and hashes agree: the copy was committed. Otherwise nothing was kept. */
  ok: boolean;
  checks: TableCheck[];
  skipped: CopyPlan['skipped'];
  schemaVersion: number;
}

export const matches = (c: TableCheck) => c.sqliteRows === c.postgresRows && c.sqliteHash === c.postgresHash;

// Rows per INSERT: bounded memory, and under PostgreSQL's 65,535 parameters per statement.
const BATCH_ROWS = 500;
const MAX_PARAMETERS = 30_000;
const CURSOR_ROWS = 1_000;

/** Thrown inside the copy's transaction so that it rolls back; carries the checks out. */
class Mismatch extends Error {
  constructor(readonly checks: TableCheck[]) {
    super('mismatch');
  }
}

/** The source's schema version, refused unless it is the code's (the copy never migrates its source). */
export function sourceVersion(source: Db): number {
  const version = loadMigrations().at(-1)!.version;
  const found = source.pragma('user_version', { simple: true }) as number;
  if (found === 0) {
    throw new CopyRefusedError(
      'The SQLite database has no Culture Studio schema (version 0): is it the right file? Nothing was copied.',
    );
  }
  if (found !== version) {
    throw new CopyRefusedError(
      found < version
        ? `The SQLite database is at schema version ${found}, this code's is ${version}: migrate it first (npm run cli -- migrate --db PATH); nothing was copied.`
        : `The SQLite database is at schema version ${found}, newer than this code's (${version}): upgrade Culture Studio; nothing was copied.`,
    );
  }
  return version;
}

/**
 * Copies every application table of `source` (SQLite) into `target` (PostgreSQL): refuses a source whose schema
 * version is not the code's and a target with any row in any application table; migrates the target if it is
 * not yet; then, in ONE PostgreSQL transaction, copies table after table in batches (ids kept, identity sequences
 * moved past them, derived data rebuilt) and verifies every table. Readers of the target see nothing until the
 * commit, and nothing at all if the copy fails or a table does not verify (the transaction rolls back: the target
 * stays empty, only migrated). The source is read in one read transaction: a consistent snapshot even while a
 * server keeps writing to it.
 */
export async function copyDatabase(
  source: Db,
  target: PgDatabase,
  progress: (line: string) => void = () => {},
): Promise<CopyReport> {
  const version = sourceVersion(source);
  // Before migrating: a database with data in it is not touched at all.
  await refuseNonEmpty(target);
  const reached = await migratePostgres(target);
  if (reached !== version) {
    throw new CopyRefusedError(
      `The PostgreSQL database is at schema version ${reached}, the SQLite one at ${version}; nothing was copied.`,
    );
  }
  const plan = await planCopy(source, target);

  source.exec('BEGIN');
  try {
    const checks = await target.transaction(async () => {
      // Again inside the transaction: another copy may have filled it since (a second one at once fails on the
      // first's primary keys and rolls back).
      await refuseNonEmpty(target);
      for (const table of plan.tables) {
        if (table.rebuilt) continue;
        const rows = await copyTable(source, target, table);
        progress(`Copied ${table.name}: ${rows} rows.`);
      }
      const checks: TableCheck[] = [];
      for (const table of plan.tables) checks.push(await verifyTable(source, target, table));
      if (!checks.every(matches)) throw new Mismatch(checks);
      return checks;
    });
    return { ok: true, checks, skipped: plan.skipped, schemaVersion: version };
  } catch (error) {
    if (error instanceof Mismatch) {
      return { ok: false, checks: error.checks, skipped: plan.skipped, schemaVersion: version };
    }
    throw error;
  } finally {
    source.exec('COMMIT');
  }
}

async function refuseNonEmpty(target: PgDatabase) {
  for (const table of await postgresTables(target)) {
    if (table === 'cs_schema_version') continue;
    const [row] = await target.query<{ present: boolean }>(
      `SELECT EXISTS (SELECT FROM ${quote(table)}) AS present`,
    );
    if (row.present) {
      throw new CopyRefusedError(
        `The PostgreSQL database at ${target.location} is not empty (table ${table} has rows): copy-database copies into an empty database only; nothing was written.`,
      );
    }
  }
}

/** Groups an iterator's values `size` at a time (closing it if the consumer stops early). */
function* batches<T>(values: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const v of values) {
    batch.push(v);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function sqliteRows(source: Db, table: TablePlan): Statement {
  // BINARY: a key column declared NOCASE would otherwise order SQLite's rows differently from PostgreSQL's "C".
  return source.prepare(
    `SELECT ${table.columns.map((c) => quote(c.name)).join(', ')} FROM ${quote(table.name)}
     ORDER BY ${table.key.map((k) => `${quote(k)} COLLATE BINARY`).join(', ')}`,
  );
}

function insertStatement(table: TablePlan, rows: number): string {
  const n = table.columns.length;
  const values = Array.from(
    { length: rows },
    (_, r) => `(${table.columns.map((c, i) => `$${r * n + i + 1}::${c.type}`).join(', ')})`,
  );
  const overriding = table.columns.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
  return `INSERT INTO ${quote(table.name)} (${table.columns.map((c) => quote(c.name)).join(', ')})${overriding}
    VALUES ${values.join(', ')}`;
}

async function copyTable(source: Db, target: PgDatabase, table: TablePlan): Promise<number> {
  // A table referring to itself (a taxonomy node's parent) may list a child before its parent: its own foreign
  // keys are checked once the table is complete, then made immediate again.
  for (const fk of table.selfReferences) {
    await target.exec(
      `ALTER TABLE ${quote(table.name)} ALTER CONSTRAINT ${quote(fk)} DEFERRABLE INITIALLY DEFERRED`,
    );
  }
  // The application's triggers guard changes made through it (no frozen item added to a published release);
  // the copy brings over rows that already passed them, so they are off for it and back on before the commit
  // (ALTER TABLE is transactional and locks the table until then: no other session writes meanwhile).
  const triggers = (
    await target.query<{ name: string }>(
      `SELECT tgname AS name FROM pg_catalog.pg_trigger
       WHERE tgrelid = $1::regclass AND NOT tgisinternal AND tgenabled <> 'D' ORDER BY tgname`,
      [quote(table.name)],
    )
  ).map((t) => t.name);
  for (const t of triggers) await target.exec(`ALTER TABLE ${quote(table.name)} DISABLE TRIGGER ${quote(t)}`);
  const size = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / table.columns.length)));
  const fullBatch = insertStatement(table, size);
  const rebuild = REBUILDERS.find((r) => r.from === table.name);
  const rebuildTypes = rebuild ? await columnTypes(target, rebuild.table) : new Map<string, string>();
  let count = 0;
  for (const batch of batches(
    sqliteRows(source, table).iterate() as Iterable<Record<string, unknown>>,
    size,
  )) {
    const params = batch.flatMap((row) => table.columns.map((c) => toPostgres(c, row[c.name], table.name)));
    try {
      await target.execute(batch.length === size ? fullBatch : insertStatement(table, batch.length), params);
      if (rebuild) await rebuild.insert(target, batch, rebuildTypes);
    } catch (error) {
      throw new Error(`copying ${table.name}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    count += batch.length;
  }
  for (const fk of table.selfReferences) {
    await target.exec(`SET CONSTRAINTS ${quote(fk)} IMMEDIATE`);
    await target.exec(`ALTER TABLE ${quote(table.name)} ALTER CONSTRAINT ${quote(fk)} NOT DEFERRABLE`);
  }
  for (const t of triggers) await target.exec(`ALTER TABLE ${quote(table.name)} ENABLE TRIGGER ${quote(t)}`);
  // Identities continue after the copied ids, so that the next row PostgreSQL numbers is new.
  for (const c of table.columns.filter((c) => c.identity)) {
    await target.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), m) FROM (SELECT max(${quote(c.name)}) AS m FROM ${quote(table.name)}) x
       WHERE m IS NOT NULL`,
      [quote(table.name), c.name],
    );
  }
  return count;
}

/** Derived PostgreSQL rows written with each batch of the rows they derive from. */
/** Each column's type as format_type gives it (for the casts of a rebuilt table's INSERT). */
async function columnTypes(target: PgDatabase, table: string): Promise<Map<string, string>> {
  const rows = await target.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_catalog.pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [quote(table)],
  );
  return new Map(rows.map((r) => [r.name, r.type]));
}

const REBUILDERS: {
  table: string;
  from: string;
  insert(target: PgDatabase, rows: Record<string, unknown>[], types: Map<string, string>): Promise<void>;
}[] = [
  {
    // The row the PostgreSQL item repository writes with an item (searchRow: folded text, search keys).
    table: 'items_search_text',
    from: 'items',
    async insert(target, items, types) {
      const columns = ['item_id', ...SEARCH_COLUMNS];
      const casts = columns.map((c) => types.get(c) ?? 'text');
      const values = items.map(
        (_, r) => `(${columns.map((_c, i) => `$${r * columns.length + i + 1}::${casts[i]}`).join(', ')})`,
      );
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      const list = (v: unknown) => JSON.parse(String(v)) as string[];
      await target.execute(
        `INSERT INTO items_search_text (${columns.join(', ')}) VALUES ${values.join(', ')}`,
        items.flatMap((item) => [
          item.id,
          ...searchRow({
            question: String(item.question),
            questionEn: text(item.question_en),
            options: list(item.options),
            notes: text(item.notes),
            referenceAnswer: text(item.reference_answer),
            answerEn: text(item.answer_en),
            acceptedAnswers: list(item.accepted_answers),
            rationale: text(item.rationale),
          }),
        ]),
      );
    },
  },
];

async function verifyTable(source: Db, target: PgDatabase, table: TablePlan): Promise<TableCheck> {
  const sqlite = new TableDigest(table.columns, 'sqlite');
  for (const row of sqliteRows(source, table).iterate() as Iterable<Record<string, unknown>>) sqlite.add(row);
  const postgres = new TableDigest(table.columns, 'postgres');
  const order = table.key
    .map((k) => {
      const type = table.columns.find((c) => c.name === k)?.type;
      return type === 'text' ? `${quote(k)} COLLATE "C"` : quote(k);
    })
    .join(', ');
  const select = `SELECT ${table.columns.map((c) => quote(c.name)).join(', ')} FROM ${quote(table.name)} ORDER BY ${order}`;
  for await (const rows of target.cursor(select, [], CURSOR_ROWS)) for (const row of rows) postgres.add(row);
  return {
    table: table.name,
    sqliteRows: sqlite.rows,
    postgresRows: postgres.rows,
    sqliteHash: sqlite.digest(),
    postgresHash: postgres.digest(),
  };
}
