import pg from 'pg';
import type { Isolation, PgDatabase } from './database.ts';
import {
  DatabaseUnreachableError,
  guarded,
  isConnectionError,
  redactUrl,
  targetOf,
  unreachableReason,
  type Target,
} from './errors.ts';
import {
  beginStatement,
  currentTransaction,
  fetchBatches,
  inSavepoint,
  transactionOf,
  type OpenTransaction,
} from './transactions.ts';
import { poolTypes } from './values.ts';

// A PostgreSQL server through node-postgres's Pool.

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
