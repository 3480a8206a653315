import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './connection.ts';
import { announcedWriteAsync } from './write-turns.ts';

/**
 * The repository contract: every method asynchronous, so that one interface has two engines behind it —
 * SQLite (synchronous inside, wrapped here) and PostgreSQL (server/db/postgres/, asynchronous by nature).
 * Routes and domain code see only this shape.
 */
export type AsyncRepository<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/** The transaction a piece of code runs in, if any (per connection: a thread may hold two, e.g. a job's reader and writer). */
interface OpenTransaction {
  db: Db;
  open: boolean;
  /** The transaction this one was opened in (on another connection), still open around it. */
  outer: OpenTransaction | undefined;
}
const current = new AsyncLocalStorage<OpenTransaction>();

/**
 * One SQLite connection shared by every request of a thread, with asynchronous transactions.
 *
 * A transaction's body awaits repository calls, and between two awaits another request's code may run on
 * the same connection: it would see the uncommitted rows, or start a transaction that SQLite would nest into
 * this one. So while a transaction is open on the connection, calls from outside it wait for it to end
 * (FIFO); calls inside it (recognised through AsyncLocalStorage) go straight through. A transaction body
 * awaits only repository calls, which resolve at once on SQLite, so the wait is microtasks, not I/O.
 */
export class SqliteGate {
  private busy: Promise<void> | undefined;
  private release: (() => void) | undefined;

  constructor(readonly db: Db) {}

  /** True when code on this async path runs inside an open transaction of this connection. */
  private inside(): boolean {
    for (let tx = current.getStore(); tx; tx = tx.outer) if (tx.open && tx.db === this.db) return true;
    return false;
  }

  /**
   * `fn` in one write transaction, its lock taken at BEGIN (IMMEDIATE) so that a read-then-write never fails
   * on a snapshot another process moved on; announced (write-turns.ts) so that background writers let it go
   * first. Nested calls become savepoints.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside()) return this.savepoint(fn);
    return this.alone('BEGIN IMMEDIATE', fn, announcedWriteAsync);
  }

  /**
   * `fn` on one consistent snapshot: a read transaction (deferred BEGIN … COMMIT) across all the reads it
   * awaits, holding the gate like a transaction so that no other request's call runs on the connection
   * meanwhile. Inside an open transaction it simply runs (that transaction is already one snapshot).
   */
  async readSnapshot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside()) return fn();
    return this.alone('BEGIN', fn);
  }

  /**
   * `fn` in a transaction of its own that `begin` opens (inside `around`), holding the gate: calls from outside
   * wait until it has committed or rolled back.
   */
  private async alone<T>(
    begin: string,
    fn: () => Promise<T>,
    around: (run: () => Promise<T>) => Promise<T> = (run) => run(),
  ): Promise<T> {
    while (this.busy) await this.busy;
    this.busy = new Promise<void>((resolve) => (this.release = resolve));
    const tx: OpenTransaction = { db: this.db, open: true, outer: current.getStore() };
    try {
      return await around(async () => {
        this.db.exec(begin);
        try {
          const result = await current.run(tx, fn);
          this.db.exec('COMMIT');
          return result;
        } catch (error) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw error;
        }
      });
    } finally {
      tx.open = false;
      const release = this.release;
      this.busy = undefined;
      this.release = undefined;
      release?.();
    }
  }

  private async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const name = `cs_sp_${++savepoints}`;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn();
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.db.exec(`ROLLBACK TO ${name}`);
      this.db.exec(`RELEASE ${name}`);
      throw error;
    }
  }

  /** The repository's methods made asynchronous, each waiting for a transaction it is not part of. */
  wrap<T extends object>(repository: T): AsyncRepository<T> {
    const wrapped: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(repository)) {
      wrapped[name] =
        typeof value === 'function'
          ? async (...args: unknown[]) => {
              while (this.busy && !this.inside()) await this.busy;
              return (value as (...a: unknown[]) => unknown).apply(repository, args);
            }
          : value;
    }
    return wrapped as AsyncRepository<T>;
  }
}
let savepoints = 0;

const gates = new WeakMap<Db, SqliteGate>();
/** The one gate of a connection: every `createRepositories(db)` on it must share it. */
export function gateOf(db: Db): SqliteGate {
  let gate = gates.get(db);
  if (!gate) gates.set(db, (gate = new SqliteGate(db)));
  return gate;
}
