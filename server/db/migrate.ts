import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Db } from './connection.ts';
import { fromRoot } from '../runtime.ts';

const MIGRATIONS_DIR = fromRoot('schema/migrations/');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A folder migration's parts (`NN-part.sql`, in name order); a file migration is its one part. */
  parts: { name: string; sql: string }[];
}

/**
 * Numbered migrations from `dir`, in order: files `NNN-name.sql`, or folders `NNN-name/` whose `*.sql` parts
 * apply in name order as one step (PostgreSQL's baseline: one part per table group). Versions run on without a
 * gap from `first` (1 for SQLite; PostgreSQL starts at its baseline, schema/postgres).
 */
export function loadMigrations(dir = MIGRATIONS_DIR, options: { first?: number } = {}): Migration[] {
  const first = options.first ?? 1;
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+(\.sql)?$/.test(f))
    .filter((f) => f.endsWith('.sql') || statSync(dir + f).isDirectory())
    .sort()
    .map((entry) => {
      const parts = entry.endsWith('.sql')
        ? [{ name: entry, sql: readFileSync(dir + entry, 'utf8') }]
        : readdirSync(`${dir}${entry}/`)
            .filter((f) => f.endsWith('.sql'))
            .sort()
            .map((f) => ({ name: `${entry}/${f}`, sql: readFileSync(`${dir}${entry}/${f}`, 'utf8') }));
      return {
        version: Number(entry.slice(0, 3)),
        name: entry.replace(/\.sql$/, ''),
        sql: parts.map((p) => p.sql).join('\n'),
        parts,
      };
    });
  migrations.forEach((m, i) => {
    if (m.version !== first + i)
      throw new Error(`Migration ${m.name} is out of sequence (expected ${first + i})`);
  });
  return migrations;
}

export class DatabaseTooNewError extends Error {}

/**
 * The steps that bring a database at `current` to `target` (default: the newest migration), for either engine's
 * runner. A database written by newer code is refused rather than guessed at.
 */
export function pendingMigrations(current: number, migrations: Migration[], target?: number): Migration[] {
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new DatabaseTooNewError(
      `Database schema version ${current} is newer than this code supports (${latest}); upgrade Culture Studio.`,
    );
  }
  const upTo = target ?? latest;
  return migrations.filter((m) => m.version > current && m.version <= upTo);
}

/**
 * Brings the database to `target` (default: the newest migration). Pending steps run in one
 * transaction together with the `user_version` bump, so a crash leaves the old version intact.
 * A database written by newer code is refused rather than guessed at.
 */
export function migrate(db: Db, options: { target?: number; migrations?: Migration[] } = {}): number {
  const migrations = options.migrations ?? loadMigrations();
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = pendingMigrations(current, migrations, options.target);
  if (pending.length === 0) return current;
  const reached = pending.at(-1)!.version;
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    db.pragma(`user_version = ${reached}`);
  })();
  return reached;
}
