import { openPglite } from './pglite.ts';
import { connectPostgres } from './pool.ts';
import { redactUrl } from './errors.ts';

/**
 * One PostgreSQL database, whichever engine is behind it: a server through node-postgres's Pool, or PGlite
 * (PostgreSQL compiled to WebAssembly, in-process) for tests and trials with nothing installed. Repositories
 * (server/db/postgres/<group>.ts) talk to this interface only.
 *
 * Values come back converted once (values.ts), so that both engines and SQLite give the API the same bytes:
 * int8 and numeric as JS numbers, timestamptz as `Date#toISOString()` writes it, json/jsonb parsed,
 * boolean as boolean. Parameters: pass JSON as a string (`JSON.stringify`), times as ISO strings; a JS array
 * is a PostgreSQL array on both engines only for array-typed parameters.
 */
export interface PgDatabase {
  /** Where it is, for messages and job threads: the URL without its password, or 'pglite:…'. */
  readonly location: string;
  /** Rows of one statement ($1, $2 … parameters). */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Rows changed by one statement. */
  execute(text: string, params?: readonly unknown[]): Promise<number>;
  /** Several statements without parameters (DDL). */
  exec(text: string): Promise<void>;
  /** `fn` in one transaction (AsyncLocalStorage: every query/execute inside goes to its connection;
   *  nested calls become savepoints). READ COMMITTED unless `isolation` says otherwise. */
  transaction<T>(
    fn: () => Promise<T>,
    options?: { isolation?: 'repeatable read' | 'serializable' },
  ): Promise<T>;
  /** A server-side cursor (inside a transaction it opens if needed), `batch` rows at a time. */
  cursor<R = Record<string, unknown>>(
    text: string,
    params: readonly unknown[],
    batch: number,
  ): AsyncIterable<R[]>;
  close(): Promise<void>;
}

export type Isolation = 'repeatable read' | 'serializable';

// The engines and what callers need of them, from here (server/db/postgres/<part>.ts hold them):
// errors.ts the errors and the URL/reason redaction, values.ts the value conversions, transactions.ts which
// connection code on an async path belongs to (transactions, savepoints, cursors), pool.ts node-postgres,
// pglite.ts PGlite.
export {
  DatabaseUnavailableError,
  DatabaseUnreachableError,
  isConnectionError,
  redactUrl,
} from './errors.ts';
export { timestamptzToIso } from './values.ts';
export { connectPostgres, type ConnectOptions } from './pool.ts';
export { openPglite, PgliteInstance } from './pglite.ts';

/**
 * Opens the database a `location` names (PgDatabase#location, e.g. passed to a job thread): `pglite:DIR`, or a
 * PostgreSQL URL. A location carries no password: when it is CS_DATABASE_URL's without its password, the password
 * comes from there (worker threads share the environment); otherwise node-postgres's own sources apply (PGPASSWORD,
 * ~/.pgpass). `pglite:memory` cannot be opened again: an in-memory database belongs to the instance that made it.
 *
 * server/db/open-repositories.ts opens every PostgreSQL location through here.
 */
export async function openPostgres(
  location: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PgDatabase> {
  if (location.startsWith('pglite:')) {
    const dir = location.slice('pglite:'.length);
    if (dir === 'memory' || dir === '') {
      throw new RangeError(
        'An in-memory PGlite database cannot be opened again: give it a folder (pglite:DIR).',
      );
    }
    return openPglite(dir);
  }
  const configured = env.CS_DATABASE_URL;
  const url = configured && redactUrl(configured) === location ? configured : location;
  return connectPostgres(url);
}
