import { createHash, type Hash } from 'node:crypto';
import type { PgColumn } from './tables.ts';

const TIMESTAMP = 'timestamp with time zone';
const JSON_TYPES = new Set(['json', 'jsonb']);
const ZONED = /(?:Z|[+-]\d\d(?::?\d\d)?)$/i;

/** A SQLite timestamp as PostgreSQL must read it: our ISO strings as they are; one written without a zone is UTC. */
const utc = (text: string) => (ZONED.test(text) ? text : `${text.replace(' ', 'T')}Z`);

/** A SQLite value as the parameter of its PostgreSQL column (cast in the INSERT to the column's type). */
export function toPostgres(column: PgColumn, value: unknown, table: string): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === 'boolean') {
    if (value === 0 || value === 1) return value === 1;
    throw new Error(`${table}.${column.name}: ${JSON.stringify(value)} is not a SQLite boolean (0 or 1)`);
  }
  if (column.type === TIMESTAMP && typeof value === 'string') return utc(value);
  return value;
}

/** JSON with object keys sorted, at every depth: jsonb's own key order and spacing are not the data. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * One value in the canonical form both sides are hashed over, by the PostgreSQL column's type: booleans as
 * true/false (SQLite's 0/1), timestamps as toISOString (milliseconds, UTC), JSON columns as their value with
 * keys sorted (from SQLite's text, or the value the PostgreSQL layer parsed), numbers and text as they are.
 * Text columns that hold JSON (revisions' changes, release records) stay text: their bytes are the data.
 */
export function canonical(column: PgColumn, value: unknown, engine: 'sqlite' | 'postgres'): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === 'boolean') return engine === 'sqlite' ? value === 1 : value === true;
  if (column.type === TIMESTAMP) {
    if (typeof value !== 'string') throw new Error(`${column.name}: a timestamp that is not text`);
    return new Date(utc(value)).toISOString();
  }
  if (JSON_TYPES.has(column.type)) {
    return sortedJson(engine === 'sqlite' && typeof value === 'string' ? JSON.parse(value) : value);
  }
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}

/** Row count and SHA-256 of a table's rows in canonical form, one JSON line each, in primary key order. */
export class TableDigest {
  rows = 0;
  private readonly hash: Hash = createHash('sha256');
  constructor(
    private readonly columns: PgColumn[],
    private readonly engine: 'sqlite' | 'postgres',
  ) {}

  add(row: Record<string, unknown>) {
    this.rows++;
    this.hash.update(`${JSON.stringify(this.columns.map((c) => canonical(c, row[c.name], this.engine)))}\n`);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
