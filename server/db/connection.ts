import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { bigramKeys } from './text-index.ts';

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
  // Used by the triggers that maintain the short-term search index (migration 006).
  db.function('cs_bigram_keys', { deterministic: true, varargs: true }, (...texts: unknown[]) =>
    bigramKeys(...texts.map((t) => (typeof t === 'string' ? t : null))),
  );
  return db;
}
