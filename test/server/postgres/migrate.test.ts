import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, type Migration } from '../../../server/db/migrate.ts';
import {
  loadPostgresMigrations,
  migratePostgres,
  MigrationFailedError,
  postgresSchemaVersion,
} from '../../../server/db/postgres/migrate.ts';
import type { PgDatabase } from '../../../server/db/postgres/database.ts';
import { postgresEngines } from '../../helpers/postgres.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cs-pg-migrate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A migrations folder written for one test: `files` maps a path (`022-x/10-a.sql`, `023-y.sql`) to its SQL. */
function migrationsDir(files: Record<string, string>): Migration[] {
  const dir = mkdtempSync(join(scratch, 'migrations-'));
  for (const [path, sql] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), sql);
  }
  return loadPostgresMigrations(dir + '/');
}

const tables = async (db: PgDatabase) =>
  (
    await db.query<{ name: string }>(
      'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename COLLATE "C"',
    )
  ).map((r) => r.name);

describe('loadPostgresMigrations', () => {
  it('reads a folder migration as its parts in name order, numbered from the baseline 22', () => {
    const migrations = migrationsDir({
      '022-baseline/20-b.sql': 'SELECT 2;',
      '022-baseline/10-a.sql': 'SELECT 1;',
      '022-baseline/notes.txt': 'not a part',
      '023-next.sql': 'SELECT 3;',
    });
    expect(migrations.map((m) => [m.version, m.name, m.parts.map((p) => p.name)])).toEqual([
      [22, '022-baseline', ['022-baseline/10-a.sql', '022-baseline/20-b.sql']],
      [23, '023-next', ['023-next.sql']],
    ]);
  });

  it('refuses a gap in the numbering', () => {
    expect(() => migrationsDir({ '022-a.sql': 'SELECT 1;', '024-c.sql': 'SELECT 1;' })).toThrow(
      'Migration 024-c is out of sequence (expected 23)',
    );
  });

  it('the project’s own PostgreSQL migrations start with the baseline folder', () => {
    const [baseline] = loadPostgresMigrations();
    expect(baseline.version).toBe(22);
    expect(baseline.parts[0].name).toBe('022-baseline/00-foundation.sql');
  });
});

/** The project's newest PostgreSQL schema version (22, the baseline, or a later migration). */
const newest = loadPostgresMigrations().at(-1)!.version;

describe.each(postgresEngines())('migratePostgres on $name', ({ fresh }) => {
  it('brings a fresh database to the baseline 22 directly, then to the newest version, with pg_trgm and the refusal trigger function', async () => {
    const db = await fresh(false);
    expect(await postgresSchemaVersion(db)).toBe(0);
    expect(await migratePostgres(db, { target: 22 })).toBe(22);
    expect(await db.query('SELECT version FROM cs_schema_version')).toEqual([{ version: 22 }]);
    expect(await migratePostgres(db)).toBe(newest);
    expect(await db.query('SELECT version FROM cs_schema_version')).toEqual([{ version: newest }]);
    expect(await db.query("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")).toEqual([
      { extname: 'pg_trgm' },
    ]);
    expect(await db.query("SELECT similarity('culture', 'cultures') > 0.5 AS close")).toEqual([
      { close: true },
    ]);
    await db.exec(`CREATE TABLE frozen (x integer);
      CREATE TRIGGER frozen_refuses BEFORE UPDATE ON frozen
        FOR EACH ROW EXECUTE FUNCTION cs_refuse_change('a published release cannot be changed')`);
    await db.execute('INSERT INTO frozen VALUES (1)');
    await expect(db.execute('UPDATE frozen SET x = 2')).rejects.toMatchObject({
      code: 'P0001',
      message: 'a published release cannot be changed',
    });
  });

  it('is idempotent: a second run changes nothing and gives the same version', async () => {
    const db = await fresh(false);
    await migratePostgres(db);
    const before = await tables(db);
    expect(await migratePostgres(db)).toBe(newest);
    expect(await tables(db)).toEqual(before);
    expect(await db.query('SELECT version FROM cs_schema_version')).toEqual([{ version: newest }]);
  });

  it('applies a folder’s parts in name order, then later migrations step by step to a target', async () => {
    const db = await fresh(false);
    const migrations = migrationsDir({
      '022-base/10-table.sql': 'CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL);',
      '022-base/20-row.sql': "INSERT INTO notes VALUES (1, 'from the baseline');",
      '023-column.sql': "ALTER TABLE notes ADD COLUMN lang text NOT NULL DEFAULT 'en';",
      '024-row.sql': "INSERT INTO notes VALUES (2, 'from 24', 'ko');",
    });
    expect(await migratePostgres(db, { migrations, target: 23 })).toBe(23);
    expect(await db.query('SELECT id, body, lang FROM notes')).toEqual([
      { id: 1, body: 'from the baseline', lang: 'en' },
    ]);
    expect(await migratePostgres(db, { migrations })).toBe(24);
    expect(await db.query('SELECT id, lang FROM notes ORDER BY id')).toEqual([
      { id: 1, lang: 'en' },
      { id: 2, lang: 'ko' },
    ]);
    expect(await db.query('SELECT version FROM cs_schema_version')).toEqual([{ version: 24 }]);
  });

  it('when the database is newer than the code, then it refuses with DatabaseTooNewError and changes nothing', async () => {
    const db = await fresh(false);
    const migrations = migrationsDir({ '022-base/10-table.sql': 'CREATE TABLE notes (id integer);' });
    await migratePostgres(db, { migrations });
    await db.execute('UPDATE cs_schema_version SET version = 30');
    const newer = migrationsDir({
      '022-base/10-table.sql': 'CREATE TABLE notes (id integer);',
      '023-more.sql': 'CREATE TABLE more (id integer);',
    });
    const error = await migratePostgres(db, { migrations: newer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseTooNewError);
    expect((error as Error).message).toBe(
      'Database schema version 30 is newer than this code supports (23); upgrade Culture Studio.',
    );
    expect(await tables(db)).toEqual(['cs_schema_version', 'notes']);
    expect(await db.query('SELECT version FROM cs_schema_version')).toEqual([{ version: 30 }]);
  });

  it('when a part fails, then the error names it and nothing of the migration remains', async () => {
    const db = await fresh(false);
    const migrations = migrationsDir({
      '022-base/10-good.sql': 'CREATE TABLE good (id integer); INSERT INTO good VALUES (1);',
      '022-base/20-bad.sql': 'CREATE TABLE half (id integer); THIS IS NOT SQL;',
    });
    const error = await migratePostgres(db, { migrations }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect((error as MigrationFailedError).part).toBe('022-base/20-bad.sql');
    expect((error as Error).message).toMatch(/^Migration 022-base\/20-bad\.sql failed: syntax error/);
    expect(await tables(db)).toEqual([]);
    expect(await postgresSchemaVersion(db)).toBe(0);
  });

  it('when a later step fails, then the steps before it in the same run are undone too', async () => {
    const db = await fresh(false);
    const migrations = migrationsDir({
      '022-base/10-table.sql': 'CREATE TABLE notes (id integer);',
      '023-bad.sql': 'ALTER TABLE no_such_table ADD COLUMN x integer;',
    });
    await expect(migratePostgres(db, { migrations })).rejects.toThrow('Migration 023-bad.sql failed');
    expect(await tables(db)).toEqual([]);
  });

  it('two runners started together migrate once', async () => {
    const db = await fresh(false);
    const migrations = migrationsDir({
      '022-base/10-table.sql': 'CREATE TABLE notes (id integer PRIMARY KEY);',
      '023-row.sql': 'INSERT INTO notes VALUES (1);',
    });
    expect(
      await Promise.all([migratePostgres(db, { migrations }), migratePostgres(db, { migrations })]),
    ).toEqual([23, 23]);
    expect(await db.query('SELECT id FROM notes')).toEqual([{ id: 1 }]);
  });
});
