import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Isolation, PgDatabase } from './database.ts';
import { DatabaseUnavailableError, guarded, isConnectionError } from './errors.ts';
import {
  beginStatement,
  currentTransaction,
  fetchBatches,
  inSavepoint,
  transactionOf,
  type OpenTransaction,
} from './transactions.ts';
import { pgliteParsers, pgliteSerializers } from './values.ts';

// PGlite: PostgreSQL compiled to WebAssembly, in-process, one connection.

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
