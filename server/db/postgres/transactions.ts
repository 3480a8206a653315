import { AsyncLocalStorage } from 'node:async_hooks';
import type { Isolation } from './database.ts';
import { isConnectionError } from './errors.ts';

// Transactions: which connection code on this async path belongs to

/** The transaction a piece of code runs in, if any. `owner` is the database (a thread may hold several). */
export interface OpenTransaction {
  owner: object;
  open: boolean;
  run(text: string, params?: readonly unknown[]): Promise<{ rows: unknown[]; rowCount: number }>;
  exec(text: string): Promise<void>;
}
export const currentTransaction = new AsyncLocalStorage<OpenTransaction>();

export function transactionOf(owner: object): OpenTransaction | undefined {
  const tx = currentTransaction.getStore();
  return tx && tx.open && tx.owner === owner ? tx : undefined;
}

let savepoints = 0;
export async function inSavepoint<T>(tx: OpenTransaction, fn: () => Promise<T>): Promise<T> {
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

export const beginStatement = (isolation: Isolation | undefined) =>
  isolation ? `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}` : 'BEGIN';

let cursors = 0;
export const cursorName = () => `cs_cursor_${++cursors}`;

/** Rows of `text` through a named cursor on `tx`, `batch` at a time; the cursor is closed however reading ends. */
export async function* fetchBatches<R>(
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
