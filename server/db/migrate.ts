import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from './connection.ts';
import { fromRoot } from '../runtime.ts';

const MIGRATIONS_DIR = fromRoot('schema/migrations/');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered migrations `NNN-name.sql` from schema/migrations, in order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.replace(/\.sql$/, ''),
      sql: readFileSync(dir + file, 'utf8'),
    }));
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} is out of sequence (expected ${i + 1})`);
  });
  return migrations;
}

export class DatabaseTooNewError extends Error {}

/**
 * Brings the database to `target` (default: the newest migration). Pending steps run in one
 * transaction together with the `user_version` bump, so a crash leaves the old version intact.
 * A database written by newer code is refused rather than guessed at.
 */
export function migrate(db: Db, options: { target?: number; migrations?: Migration[] } = {}): number {
  const migrations = options.migrations ?? loadMigrations();
  const latest = migrations.length;
  const target = options.target ?? latest;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new DatabaseTooNewError(
      `Database schema version ${current} is newer than this code supports (${latest}); upgrade Culture Studio.`,
    );
  }
  if (current >= target) return current;
  db.transaction(() => {
    for (const m of migrations.slice(current, target)) db.exec(m.sql);
    db.pragma(`user_version = ${target}`);
  })();
  return target;
}
