import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { legacyBigramKeys, searchText, shortKeys } from './text-index.ts';

export type Db = Database.Database;

/** Opens (creating if needed) a SQLite database with the settings every connection needs. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the
  // last transactions, never corrupt the file.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Used by the search triggers and catch-up (migration 012): folded text, and short-term keys.
  const texts = (args: unknown[]) => args.map((t) => (typeof t === 'string' ? t : null));
  db.function('cs_search_text', { deterministic: true, varargs: true }, (...args: unknown[]) =>
    searchText(...texts(args)),
  );
  db.function('cs_search_keys', { deterministic: true, varargs: true }, (...args: unknown[]) =>
    shortKeys(...texts(args)),
  );
  // Called only by migrations 006 and 011, on databases migrated from before 012.
  db.function('cs_bigram_keys', { deterministic: true, varargs: true }, (...args: unknown[]) =>
    legacyBigramKeys(...texts(args)),
  );
  return db;
}
