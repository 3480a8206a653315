import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.ts';
import { DatabaseTooNewError, loadMigrations, migrate } from '../../server/db/migrate.ts';
import { scratchDir } from '../helpers/app.ts';

const tables = (db: ReturnType<typeof openDatabase>) =>
  (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('migrate', () => {
  it('brings an empty database to the newest version, with STRICT tables, WAL and foreign keys', () => {
    const dir = scratchDir('migrate-');
    const db = openDatabase(join(dir, 'db.sqlite'));
    const latest = loadMigrations().length;
    expect(migrate(db)).toBe(latest);
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const strict = db
      .prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table'")
      .all() as {
      name: string;
      strict: number;
    }[];
    const notStrict = strict.filter(
      (t) => t.strict !== 1 && !t.name.startsWith('sqlite_') && !t.name.startsWith('items_fts'),
    );
    expect(notStrict).toEqual([]);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['users', 'sessions', 'items', 'item_revisions', 'taxonomy_nodes']),
    );
  });

  it('migrates step by step to an exact version and keeps the data written at the earlier version', () => {
    const db = openDatabase(':memory:');
    expect(migrate(db, { target: 1 })).toBe(1);
    db.prepare(
      `INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)
       VALUES ('ada', 'Ada', 'maintainer', 'x', '2026-01-01', '2026-01-01')`,
    ).run();
    migrate(db);
    expect(db.prepare('SELECT username FROM users').all()).toEqual([{ username: 'ada' }]);
    // A second run is a no-op.
    expect(migrate(db)).toBe(loadMigrations().length);
  });

  it('020 renames to the glossary’s words and keeps the rows (own_answer_matches, imports.attempt, reviewer_ratings)', () => {
    const db = openDatabase(':memory:');
    migrate(db, { target: 19 });
    // Only the renamed rows matter here, not the responses they point to.
    db.pragma('foreign_keys = OFF');
    db.exec(
      `INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
         VALUES (1, 'ada', 'Ada', 'maintainer', 'x', '2026-01-01', '2026-01-01');
       INSERT INTO datasets (id, slug, name, created_at) VALUES (1, 'd', 'D', '2026-01-01');
       INSERT INTO items (id, uid, dataset_id, language, kind, format, question, status, author_id, created_at, updated_at)
         VALUES (1, 'u1', 1, 'ko', 'culture', 'short_answer', 'Q', 'in_validation', 1, '2026-01-01', '2026-01-01');
       INSERT INTO validations (item_id, dataset_id, round, validator_id, item_version, status, leased_at, expires_at,
           own_answer, own_answer_match)
         VALUES (1, 1, 1, 1, 1, 'leased', '2026-01-01', '2026-01-02', '{"variants":["송편"]}', 1);
       INSERT INTO imports (id, dataset_id, user_id, file_name, format, options, dry_run, item_status, state,
           created_at, run)
         VALUES (1, 1, 1, 'a.csv', 'csv', '{}', 0, 'submitted', 'failed', '2026-01-01', 2);
       INSERT INTO rating_resolutions (response_id, correctness, safety_outcome, reviewer_id, created_at)
         VALUES (7, 'partial', NULL, 1, '2026-01-03');`,
    );
    migrate(db, { target: 20 });
    expect(db.prepare('SELECT own_answer, own_answer_matches FROM validations').all()).toEqual([
      { own_answer: '{"variants":["송편"]}', own_answer_matches: 1 },
    ]);
    expect(db.prepare('SELECT id, attempt FROM imports').all()).toEqual([{ id: 1, attempt: 2 }]);
    expect(db.prepare('SELECT response_id, correctness, reviewer_id FROM reviewer_ratings').all()).toEqual([
      { response_id: 7, correctness: 'partial', reviewer_id: 1 },
    ]);
    expect(tables(db)).not.toContain('rating_resolutions');
    // The agreement report's covering index follows the renamed column.
    const index = db
      .prepare("SELECT sql FROM sqlite_schema WHERE name = 'validations_agreement'")
      .pluck()
      .get() as string;
    expect(index).toContain('own_answer_matches');
  });

  it('refuses a database written by newer code', () => {
    const db = openDatabase(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(DatabaseTooNewError);
  });

  it('rolls back every step of a failing migration batch, leaving the old version', () => {
    const dir = scratchDir('migrations-');
    writeFileSync(join(dir, '001-one.sql'), 'CREATE TABLE a (x INTEGER) STRICT;');
    writeFileSync(join(dir, '002-two.sql'), 'CREATE TABLE b (x INTEGER) STRICT; THIS IS NOT SQL;');
    const db = openDatabase(':memory:');
    const migrations = loadMigrations(dir + '/');
    expect(() => migrate(db, { migrations })).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual([]);
  });

  it('uses the indexes for the item list filters', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(
      plan("SELECT id FROM items WHERE dataset_id = 1 AND language = 'ko' AND status = 'draft' ORDER BY id"),
    ).toMatch(/USING (COVERING )?INDEX items_by_dataset_language_status/);
  });
});
