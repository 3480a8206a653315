import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite, types as pgliteTypes, type ParserOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';

/**
 * One PostgreSQL database, whichever engine is behind it: a server through node-postgres's Pool, or PGlite
 * (PostgreSQL compiled to WebAssembly, in-process) for tests and trials with nothing installed. Repositories
 * (server/db/postgres/<group>.ts) talk to this interface only.
 *
 * Values come back converted once, here, so that both engines and SQLite give the API the same bytes:
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

/** The server could not be reached when connecting (start-up): names host, port, database and why; never the password. */
export class DatabaseUnreachableError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * The connection was lost (or refused) while in use: the server stopped, restarted, or the network dropped.
 * One error for every such cause so that the HTTP layer can answer 503 with a retry hint; the Pool opens new
 * connections by itself once the server is back.
 */
export class DatabaseUnavailableError extends Error {
  /** Seconds a client should wait before trying again (Retry-After). */
  readonly retryAfterSeconds = 5;
  constructor(
    readonly location: string,
    readonly reason: string,
  ) {
    super(`The database at ${location} is unavailable (${reason}); try again shortly.`);
    this.name = 'DatabaseUnavailableError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Value conversions (type OIDs from pg_type)

const OID = {
  bool: 16,
  int8: 20,
  json: 114,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
  date: 1082,
  int8Array: 1016,
  numericArray: 1231,
  timestamptzArray: 1185,
} as const;

const TIMESTAMP =
  /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/;

/**
 * A timestamptz in PostgreSQL's ISO output ('2026-11-30 00:19:29.123+00', any session time zone) as
 * `Date#toISOString()` writes it ('2026-11-30T00:19:29.123Z'): what SQLite stores. Microseconds are cut to
 * milliseconds (values written by this app have none). Infinity and other forms stay as PostgreSQL wrote them.
 */
export function timestamptzToIso(value: string): string {
  const m = TIMESTAMP.exec(value);
  if (!m || m[12]) return value;
  const [, y, mo, d, h, mi, s, fraction = '', sign, oh = '0', om = '0', os = '0'] = m;
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const offsetSeconds = (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const date = new Date(utc - offsetSeconds * 1000);
  // Date.UTC maps years 0–99 to 1900–1999.
  if (Number(y) < 100) date.setUTCFullYear(date.getUTCFullYear() - 1900);
  return date.toISOString();
}

/** Elements of a one-dimensional array literal ('{1,2,NULL}', '{"2026-01-01 00:00:00+00",…}'). */
function arrayElements(value: string): (string | null)[] {
  const inner = value.slice(1, -1);
  if (inner === '') return [];
  return inner.split(',').map((e) => (e === 'NULL' ? null : e.replace(/^"(.*)"$/, '$1')));
}

const toNumber = (value: string) => Number(value);
const parsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: toNumber,
  [OID.numeric]: toNumber,
  [OID.timestamptz]: timestamptzToIso,
  [OID.timestamp]: (value) => timestamptzToIso(`${value}+00`),
  [OID.date]: (value) => value,
  [OID.int8Array]: (value) => arrayElements(value).map((e) => (e === null ? null : Number(e))),
  [OID.numericArray]: (value) => arrayElements(value).map((e) => (e === null ? null : Number(e))),
  [OID.timestamptzArray]: (value) =>
    arrayElements(value).map((e) => (e === null ? null : timestamptzToIso(e))),
};

/** node-postgres: set on the Pool's own `types`, never on the global pg.types other code may rely on. */
const poolTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const ours = (format ?? 'text') === 'text' ? parsers[oid] : undefined;
    return ours ?? (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * PGlite: arrays are parsed by PGlite itself, element by element with the element type's parser, which then also
 * receives the NULL elements: a number or a time is never the text 'NULL', so that is an array's NULL.
 */
const orNull =
  (parse: (value: string) => unknown) =>
  (value: string | null | undefined): unknown =>
    value === null || value === undefined || value === 'NULL' ? null : parse(value);
const pgliteParsers: ParserOptions = {
  [OID.int8]: orNull(toNumber),
  [OID.numeric]: orNull(toNumber),
  [OID.timestamptz]: orNull(timestamptzToIso),
  [OID.timestamp]: orNull(parsers[OID.timestamp]),
  [OID.date]: (value) => value,
  [OID.bool]: (value) => value === 't',
  [OID.json]: (value) => JSON.parse(value) as unknown,
  [OID.jsonb]: (value) => JSON.parse(value) as unknown,
};
// PGlite serialises a Date through its own timestamp format; ISO strings are what this app passes anyway.
const pgliteSerializers = {
  [pgliteTypes.TIMESTAMPTZ]: (value: unknown) =>
    value instanceof Date ? value.toISOString() : String(value),
};

// ---------------------------------------------------------------------------------------------------------
// Connection errors

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);
// node-postgres and PGlite report some losses without a code.
const CONNECTION_ERROR_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client was closed|Cannot use a pool after calling end|PGlite is closed/i;

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True for an error meaning "the database is not there" rather than "this statement is wrong". */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = errorCode(error);
  if (code && (CONNECTION_ERROR_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return CONNECTION_ERROR_MESSAGES.test(error.message);
}

/** Runs `fn`, giving any connection error as one DatabaseUnavailableError. */
async function guarded<T>(location: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError || !isConnectionError(error)) throw error;
    const code = errorCode(error);
    throw new DatabaseUnavailableError(location, code ?? (error as Error).message);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Transactions: which connection code on this async path belongs to

/** The transaction a piece of code runs in, if any. `owner` is the database (a thread may hold several). */
interface OpenTransaction {
  owner: object;
  open: boolean;
  run(text: string, params?: readonly unknown[]): Promise<{ rows: unknown[]; rowCount: number }>;
  exec(text: string): Promise<void>;
}
const currentTransaction = new AsyncLocalStorage<OpenTransaction>();

function transactionOf(owner: object): OpenTransaction | undefined {
  const tx = currentTransaction.getStore();
  return tx && tx.open && tx.owner === owner ? tx : undefined;
}

let savepoints = 0;
async function inSavepoint<T>(tx: OpenTransaction, fn: () => Promise<T>): Promise<T> {
  const name = `cs_sp_${++savepoints}`;
  await tx.exec(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await tx.exec(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    if (!isConnectionError(error)) {
      await tx.exec(`ROLLBACK TO SAVEPOINT ${name}`);
      await tx.exec(`RELEASE SAVEPOINT ${name}`);
    }
    throw error;
  }
}

const beginStatement = (isolation: Isolation | undefined) =>
  isolation ? `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}` : 'BEGIN';

let cursors = 0;
const cursorName = () => `cs_cursor_${++cursors}`;

// ---------------------------------------------------------------------------------------------------------
// node-postgres

/** The URL as it may be shown: without a password in the user part or in the query string. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1@')
    .replace(/([?&])(?:password|sslpassword)=[^&#]*&?/gi, '$1')
    .replace(/[?&]$/, '');
}

interface Target {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** What node-postgres will connect to, as it reads the URL itself. */
function targetOf(url: string): Target {
  const client = new pg.Client({ connectionString: url });
  const params = client as unknown as Partial<Target>;
  return {
    host: params.host ?? 'localhost',
    port: params.port ?? 5432,
    database: params.database ?? params.user ?? '',
    user: params.user ?? '',
  };
}

function unreachableReason(error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED): no server listens there';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `unknown host (${code})`;
    case '28P01':
    case '28000':
      return `authentication failed (${code})`;
    case '3D000':
      return 'database does not exist (3D000)';
    case '57P03':
      return 'the server is starting up or shutting down (57P03)';
    case 'ETIMEDOUT':
      return 'connection timed out (ETIMEDOUT)';
  }
  if (error instanceof AggregateError && error.errors.length > 0) return unreachableReason(error.errors[0]);
  const message = error instanceof Error ? error.message : String(error);
  if (/timeout/i.test(message)) return 'connection timed out';
  if (/client password must be a string/.test(message)) {
    return 'authentication failed: the server asks for a password and the URL gives none';
  }
  return code ? `${message} (${code})` : message;
}

export interface ConnectOptions {
  /** Most connections open at once (node-postgres's default: 10). */
  max?: number;
  /** Milliseconds an unused connection stays open. */
  idleTimeoutMillis?: number;
  /** Milliseconds to wait for a connection before failing (default 10 s). */
  connectionTimeoutMillis?: number;
}

class PoolDatabase implements PgDatabase {
  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  private async run(text: string, params?: readonly unknown[]) {
    const tx = transactionOf(this);
    if (tx) return tx.run(text, params);
    return guarded(this.location, async () => {
      const result = await this.pool.query(text, params as unknown[] | undefined);
      return { rows: result.rows as unknown[], rowCount: result.rowCount ?? 0 };
    });
  }

  async query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return (await this.run(text, params)).rows as R[];
  }

  async execute(text: string, params?: readonly unknown[]): Promise<number> {
    return (await this.run(text, params)).rowCount;
  }

  async exec(text: string): Promise<void> {
    const tx = transactionOf(this);
    if (tx) return tx.exec(text);
    await guarded(this.location, () => this.pool.query(text));
  }

  /** A connection of the Pool's for `fn`; destroyed rather than given back if it failed. */
  private async withClient<T>(fn: (tx: OpenTransaction) => Promise<T>): Promise<T> {
    const client = await guarded(this.location, () => this.pool.connect());
    // A checked-out connection that dies between statements reports it as an event: noted, not thrown at the
    // process (the next statement fails with DatabaseUnavailableError).
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    const tx: OpenTransaction = {
      owner: this,
      open: true,
      run: (text, params) =>
        guarded(this.location, async () => {
          const result = await client.query(text, params as unknown[] | undefined);
          return { rows: result.rows as unknown[], rowCount: result.rowCount ?? 0 };
        }),
      exec: (text) => guarded(this.location, async () => void (await client.query(text))),
    };
    try {
      return await fn(tx);
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error;
      throw error;
    } finally {
      tx.open = false;
      client.off('error', onError);
      client.release(broken ?? false);
    }
  }

  async transaction<T>(fn: () => Promise<T>, options: { isolation?: Isolation } = {}): Promise<T> {
    const open = transactionOf(this);
    if (open) return inSavepoint(open, fn);
    return this.withClient(async (tx) => {
      await tx.exec(beginStatement(options.isolation));
      try {
        const result = await currentTransaction.run(tx, fn);
        await tx.exec('COMMIT');
        return result;
      } catch (error) {
        if (!isConnectionError(error)) await tx.exec('ROLLBACK');
        throw error;
      }
    });
  }

  cursor<R = Record<string, unknown>>(
    text: string,
    params: readonly unknown[],
    batch: number,
  ): AsyncIterable<R[]> {
    const open = transactionOf(this);
    return open ? fetchBatches<R>(open, text, params, batch, false) : this.ownCursor<R>(text, params, batch);
  }

  /**
   * Outside a transaction: a connection of its own, in a read-only transaction of its own (one snapshot), for as
   * long as the reader reads; other queries meanwhile go to other connections.
   */
  private async *ownCursor<R>(text: string, params: readonly unknown[], batch: number): AsyncGenerator<R[]> {
    const client = await guarded(this.location, () => this.pool.connect());
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    const run = (t: string, p?: readonly unknown[]) =>
      guarded(this.location, async () => {
        const result = await client.query(t, p as unknown[] | undefined);
        return { rows: result.rows as unknown[], rowCount: result.rowCount ?? 0 };
      });
    const tx: OpenTransaction = { owner: this, open: true, run, exec: async (t) => void (await run(t)) };
    let ended = false;
    try {
      await tx.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      yield* fetchBatches<R>(tx, text, params, batch, false);
      await tx.exec('COMMIT');
      ended = true;
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error;
      throw error;
    } finally {
      // Also when the reader stops early: the transaction only read, so it is rolled back.
      if (!ended && !broken) await client.query('ROLLBACK').catch(() => {});
      tx.open = false;
      client.off('error', onError);
      client.release(broken ?? false);
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

/** Rows of `text` through a named cursor on `tx`, `batch` at a time; the cursor is closed however reading ends. */
async function* fetchBatches<R>(
  tx: OpenTransaction,
  text: string,
  params: readonly unknown[],
  batch: number,
  withHold: boolean,
): AsyncGenerator<R[]> {
  if (!Number.isInteger(batch) || batch < 1)
    throw new RangeError(`cursor batch must be a positive integer: ${batch}`);
  const name = cursorName();
  await tx.run(`DECLARE ${name} NO SCROLL CURSOR ${withHold ? 'WITH HOLD ' : ''}FOR ${text}`, params);
  let closed = false;
  try {
    for (;;) {
      const { rows } = await tx.run(`FETCH FORWARD ${batch} FROM ${name}`);
      if (rows.length > 0) yield rows as R[];
      if (rows.length < batch) break;
    }
    closed = true;
    await tx.exec(`CLOSE ${name}`);
  } finally {
    if (!closed && tx.open) await tx.exec(`CLOSE ${name}`).catch(() => {});
  }
}

/**
 * A PostgreSQL server through a node-postgres Pool, checked at once (`SELECT 1`): a wrong or unreachable URL
 * fails here with a DatabaseUnreachableError naming host, port, database and the reason, never the password.
 */
export async function connectPostgres(url: string, options: ConnectOptions = {}): Promise<PgDatabase> {
  const location = redactUrl(url);
  let target: Target;
  try {
    target = targetOf(url);
  } catch {
    throw new DatabaseUnreachableError(
      `Cannot use the PostgreSQL URL ${location}: it is not a valid URL.`,
      'invalid URL',
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    types: poolTypes,
    max: options.max,
    idleTimeoutMillis: options.idleTimeoutMillis,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
  });
  // An idle connection that dies (server restart) must not crash the process: the Pool drops it and opens a
  // new one on the next query; a query on a dead connection fails with DatabaseUnavailableError.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    const password = new pg.Client({ connectionString: url }).password;
    let reason = unreachableReason(error);
    if (typeof password === 'string' && password !== '') reason = reason.split(password).join('***');
    const where = target.host.startsWith('/') ? `socket ${target.host}` : `host ${target.host}`;
    throw new DatabaseUnreachableError(
      `Cannot connect to PostgreSQL (${where}, port ${target.port}, database "${target.database}", user "${target.user}"): ${reason}.`,
      reason,
    );
  }
  return new PoolDatabase(pool, location);
}

// ---------------------------------------------------------------------------------------------------------
// PGlite

/** A FIFO lock: PGlite has one connection, and a transaction on it must keep everyone else out until it ends. */
class Turns {
  private tail: Promise<void> = Promise.resolve();
  async take(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }
}

/**
 * One PGlite instance that may hold several databases as schemas (the test harness: PGlite takes ≈ 2 s to start
 * and ≈ 300 MB; a schema takes milliseconds). Every statement and transaction takes the instance's turn, so that
 * a transaction open on the one connection is never entered by other code, and the `search_path` of the schema
 * whose turn it is is set before it runs.
 */
export class PgliteInstance {
  private readonly turns = new Turns();
  private searchPath: string | undefined;

  private constructor(
    readonly pglite: PGlite,
    readonly location: string,
  ) {}

  static async open(dataDir?: string): Promise<PgliteInstance> {
    const pglite = new PGlite({
      dataDir,
      extensions: { pg_trgm },
      parsers: pgliteParsers,
      serializers: pgliteSerializers,
    });
    await pglite.waitReady;
    return new PgliteInstance(pglite, `pglite:${dataDir ?? 'memory'}`);
  }

  /** The database living in `schema` (created when missing). 'public' is the instance's own. */
  async database(schema = 'public', onClose?: () => Promise<void>): Promise<PgDatabase> {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new RangeError(`Not a schema name: ${schema}`);
    const location = schema === 'public' ? this.location : `${this.location}#${schema}`;
    const db = new PgliteDatabase(this, schema, location, onClose);
    if (schema !== 'public') await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    return db;
  }

  get closed(): boolean {
    return this.pglite.closed;
  }

  /** Runs `fn` in this instance's turn, with `schema` first on the search path (public stays: extensions live there). */
  async inTurn<T>(schema: string, location: string, fn: () => Promise<T>): Promise<T> {
    const release = await this.turns.take();
    try {
      return await guarded(location, async () => {
        if (this.pglite.closed) throw new Error('PGlite is closed');
        if (this.searchPath !== schema) {
          await this.pglite.exec(
            `SET search_path TO ${schema === 'public' ? 'public' : `${schema}, public`}`,
          );
          this.searchPath = schema;
        }
        return fn();
      });
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    const release = await this.turns.take();
    try {
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      release();
    }
  }
}

class PgliteDatabase implements PgDatabase {
  private closed = false;

  constructor(
    private readonly instance: PgliteInstance,
    private readonly schema: string,
    readonly location: string,
    private readonly onClose?: () => Promise<void>,
  ) {}

  private get pglite() {
    return this.instance.pglite;
  }

  private direct(): OpenTransaction {
    return {
      owner: this,
      open: true,
      run: (text, params) =>
        guarded(this.location, async () => {
          const result = await this.pglite.query(text, params as unknown[] | undefined);
          return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
        }),
      exec: (text) => guarded(this.location, async () => void (await this.pglite.exec(text))),
    };
  }

  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new DatabaseUnavailableError(this.location, 'closed'));
    return this.instance.inTurn(this.schema, this.location, fn);
  }

  private run(text: string, params?: readonly unknown[]) {
    const tx = transactionOf(this);
    if (tx) return tx.run(text, params);
    return this.inTurn(() => this.direct().run(text, params));
  }

  async query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return (await this.run(text, params)).rows as R[];
  }

  async execute(text: string, params?: readonly unknown[]): Promise<number> {
    return (await this.run(text, params)).rowCount;
  }

  async exec(text: string): Promise<void> {
    const tx = transactionOf(this);
    if (tx) return tx.exec(text);
    await this.inTurn(() => this.direct().exec(text));
  }

  async transaction<T>(fn: () => Promise<T>, options: { isolation?: Isolation } = {}): Promise<T> {
    const open = transactionOf(this);
    if (open) return inSavepoint(open, fn);
    return this.inTurn(async () => {
      const tx = this.direct();
      await tx.exec(beginStatement(options.isolation));
      try {
        const result = await currentTransaction.run(tx, fn);
        await tx.exec('COMMIT');
        return result;
      } catch (error) {
        if (!isConnectionError(error) && !this.pglite.closed) await tx.exec('ROLLBACK');
        throw error;
      } finally {
        tx.open = false;
      }
    });
  }

  cursor<R = Record<string, unknown>>(
    text: string,
    params: readonly unknown[],
    batch: number,
  ): AsyncIterable<R[]> {
    const open = transactionOf(this);
    if (open) return fetchBatches<R>(open, text, params, batch, false);
    // Outside a transaction, holding the one connection while the reader works would stop everyone else (and
    // deadlock a reader that queries between batches): a WITH HOLD cursor keeps its rows past the statement's own
    // transaction, and each FETCH takes a turn of its own.
    const turnTaking: OpenTransaction = {
      owner: this,
      open: true,
      run: (t, p) => this.inTurn(() => this.direct().run(t, p)),
      exec: (t) => this.inTurn(() => this.direct().exec(t)),
    };
    return fetchBatches<R>(turnTaking, text, params, batch, true);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.onClose?.();
  }
}

/**
 * PostgreSQL in-process (PGlite, WebAssembly) with pg_trgm: in memory, or kept in `dataDir`. One connection:
 * transactions take turns, and calls from outside an open transaction wait for it to end.
 */
export async function openPglite(dataDir?: string): Promise<PgDatabase> {
  const instance = await PgliteInstance.open(dataDir);
  return instance.database('public', () => instance.close());
}

/**
 * Opens the database a `location` names (PgDatabase#location, e.g. passed to a job thread): `pglite:DIR`, or a
 * PostgreSQL URL. A location carries no password: when it is CS_DATABASE_URL's without its password, the password
 * comes from there (worker threads share the environment); otherwise node-postgres's own sources apply (PGPASSWORD,
 * ~/.pgpass). `pglite:memory` cannot be opened again: an in-memory database belongs to the instance that made it.
 *
 * Not used by the server yet: the PostgreSQL repositories are being written (issue 12), and
 * server/db/open-repositories.ts will dispatch on the location here.
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
