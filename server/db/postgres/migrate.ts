import { fromRoot } from '../../runtime.ts';
import { loadMigrations, pendingMigrations, type Migration } from '../migrate.ts';
import { DatabaseUnavailableError, type PgDatabase } from './database.ts';

const MIGRATIONS_DIR = fromRoot('schema/postgres/');

/**
 * PostgreSQL support starts at schema version 22: no PostgreSQL database predates it, so its first migration is a
 * baseline (schema/postgres/022-baseline/, one part per table group) that a fresh database gets directly.
 * Migrations 23 and later are written for both engines with the same numbers.
 */
export const POSTGRES_BASELINE = 22;

/** PostgreSQL's migrations from schema/postgres (or `dir`), numbered from the baseline. */
export function loadPostgresMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return loadMigrations(dir, { first: POSTGRES_BASELINE });
}

// Any fixed number: instances migrating the same database at once take turns on it.
const MIGRATION_LOCK = 0x43_53_6d_69; // 'CSmi'

/** The schema version of `db`: 0 for a database the runner has never touched. */
export async function postgresSchemaVersion(db: PgDatabase): Promise<number> {
  // A scan of pg_class under the statement's snapshot, not to_regclass: a name lookup would leave a "no such
  // relation" entry in this connection's catalog cache, which a runner waiting for the lock below could still
  // trust after another instance had created the table.
  const [exists] = await db.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT FROM pg_catalog.pg_class
                    WHERE relname = 'cs_schema_version' AND relnamespace = current_schema()::regnamespace) AS present`,
  );
  if (!exists?.present) return 0;
  const [row] = await db.query<{ version: number }>('SELECT version FROM cs_schema_version');
  return row?.version ?? 0;
}

/**
 * The same runner as SQLite's (server/db/migrate.ts), asynchronous: brings `db` to `target` (default: the newest
 * migration), refusing a database newer than the code (DatabaseTooNewError). The pending steps, every part of
 * each, and the version bump run in one transaction: a failing part leaves nothing behind. The version lives in
 * a one-row table, `cs_schema_version`; an advisory lock makes app instances started together migrate once.
 */
export async function migratePostgres(
  db: PgDatabase,
  options: { target?: number; migrations?: Migration[] } = {},
): Promise<number> {
  const migrations = options.migrations ?? loadPostgresMigrations();
  // Checked before taking the lock too, so that a too-new database is refused without waiting.
  if (pendingMigrations(await postgresSchemaVersion(db), migrations, options.target).length === 0) {
    return postgresSchemaVersion(db);
  }
  return db.transaction(async () => {
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const current = await postgresSchemaVersion(db);
    const pending = pendingMigrations(current, migrations, options.target);
    if (pending.length === 0) return current;
    for (const migration of pending) {
      for (const part of migration.parts) {
        try {
          await db.exec(part.sql);
        } catch (error) {
          if (error instanceof DatabaseUnavailableError) throw error;
          throw new MigrationFailedError(part.name, error);
        }
      }
    }
    const reached = pending.at(-1)!.version;
    await db.exec(
      `CREATE TABLE IF NOT EXISTS cs_schema_version (
         version integer NOT NULL,
         one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row)
       )`,
    );
    await db.execute(
      `INSERT INTO cs_schema_version (version) VALUES ($1)
       ON CONFLICT (one_row) DO UPDATE SET version = excluded.version`,
      [reached],
    );
    return reached;
  });
}

/** A migration part that PostgreSQL refused, named, with PostgreSQL's own error as the cause. */
export class MigrationFailedError extends Error {
  constructor(
    readonly part: string,
    cause: unknown,
  ) {
    super(`Migration ${part} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationFailedError';
  }
}
