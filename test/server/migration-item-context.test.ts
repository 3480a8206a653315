import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.ts';
import { loadMigrations, migrate } from '../../server/db/migrate.ts';
import { scratchDir } from '../helpers/app.ts';

/** The version of the migration that adds items' context, metadata, origin and licence (017 when written). */
const version = loadMigrations().find((m) => m.name.endsWith('-item-context-provenance'))!.version;

describe('migration item-context-provenance', () => {
  it('keeps every import and its provenance while imports take the json format, and adds the item columns', () => {
    const db = openDatabase(join(scratchDir('migrate-context-'), 'db.sqlite'));
    migrate(db, { target: version - 1 });
    const at = '2026-01-01T00:00:00.000Z';
    db.exec(
      `INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
         VALUES (1, 'm', 'M', 'maintainer', 'x', '${at}', '${at}');
       INSERT INTO datasets (id, slug, name, created_at) VALUES (1, 'd', 'D', '${at}');
       INSERT INTO items (id, uid, dataset_id, language, kind, format, status, question, author_id, created_at, updated_at)
         VALUES (7, 'ko-1', 1, 'ko', 'culture', 'open_ended', 'submitted', '질문', 1, '${at}', '${at}');
       INSERT INTO imports (id, dataset_id, user_id, file_name, format, options, dry_run, item_status, state,
           rows_total, created, created_at, finished_at)
         VALUES (3, 1, 1, 'a.jsonl', 'jsonl', '{}', 0, 'submitted', 'imported', 1, 1, '${at}', '${at}');
       INSERT INTO import_items (import_id, item_id, row, action) VALUES (3, 7, 1, 'created');`,
    );
    migrate(db, { target: version });

    expect(db.prepare('SELECT id, file_name, format, state, created FROM imports').all()).toEqual([
      { id: 3, file_name: 'a.jsonl', format: 'jsonl', state: 'imported', created: 1 },
    ]);
    expect(db.prepare('SELECT * FROM import_items').all()).toEqual([
      { import_id: 3, item_id: 7, row: 1, action: 'created' },
    ]);
    db.exec(
      `INSERT INTO imports (dataset_id, user_id, file_name, format, options, dry_run, item_status, state, created_at)
         VALUES (1, 1, 'b.json', 'json', '{}', 1, 'submitted', 'waiting', '${at}')`,
    );
    expect(() =>
      db.exec(
        `INSERT INTO imports (dataset_id, user_id, file_name, format, options, dry_run, item_status, state, created_at)
           VALUES (1, 1, 'c.xml', 'xml', '{}', 1, 'submitted', 'waiting', '${at}')`,
      ),
    ).toThrow(/CHECK constraint failed/);
    // Provenance still goes with its import and its item.
    expect(() => db.exec("INSERT INTO import_items VALUES (99, 7, 1, 'created')")).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT context, metadata, origin, license FROM items').all()).toEqual([
      { context: null, metadata: null, origin: null, license: null },
    ]);
    expect(() => db.exec(`UPDATE items SET metadata = '{not json' WHERE id = 7`)).toThrow(/CHECK/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
