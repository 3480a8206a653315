import { isMainThread } from 'node:worker_threads';
import type { Db } from './connection.ts';

/**
 * Write turns: fairness for SQLite's one writer lock across the threads of one process.
 *
 * A connection that finds the lock taken sleeps and retries (busy_timeout) with no queue, so a background
 * writer that takes the lock again right after each of its short transactions (an import's slices, the
 * search-index catch-up, a release's staging) can keep a request waiting for seconds — and the request
 * thread waits synchronously, inside better-sqlite3, with the whole event loop stopped. So every transaction
 * that goes through `repos.transaction` announces itself in a counter shared by every thread of the
 * process, and background writers call `yieldWriteTurn()` between their transactions: it waits (bounded)
 * while anyone has announced a write, so a waiting request gets the lock as soon as the current slice ends.
 */
const SLOTS = 1;
let turns = new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));

/** The counter's memory, handed to every thread that writes (job threads, the search catch-up). */
export const writeTurnsBuffer = (): SharedArrayBuffer => turns.buffer;

/** Called on a thread with the buffer its starter handed over, so that it shares the starter's counter. */
export function adoptWriteTurns(buffer: SharedArrayBuffer): void {
  turns = new Int32Array(buffer);
}

/** Runs `fn` (a write transaction) announced: background writers let it go first. */
export function announcedWrite<T>(fn: () => T): T {
  Atomics.add(turns, 0, 1);
  try {
    return fn();
  } finally {
    Atomics.sub(turns, 0, 1);
    Atomics.notify(turns, 0);
  }
}

/** `announcedWrite` for a transaction whose body awaits (async-repository.ts). */
export async function announcedWriteAsync<T>(fn: () => Promise<T>): Promise<T> {
  Atomics.add(turns, 0, 1);
  try {
    return await fn();
  } finally {
    Atomics.sub(turns, 0, 1);
    Atomics.notify(turns, 0);
  }
}

/**
 * `fn` in one write transaction on `db`, its lock taken at BEGIN (IMMEDIATE), announced: every write transaction
 * of the repositories goes through here. Nested calls become savepoints.
 */
export const immediateWrite = <T>(db: Db, fn: () => T): T =>
  announcedWrite(() => db.transaction(fn).immediate());

/** How many writes are announced right now (tests and benchmarks). */
export const announcedWrites = (): number => Atomics.load(turns, 0);

/**
 * Between two transactions of a background writer: waits while another write is announced, at most `maxMs`
 * in all (a request's transaction takes milliseconds; the bound keeps a stuck one from stopping the job).
 * Returns the milliseconds waited. Never waits on the main thread (Atomics.wait would stop its event loop).
 */
export function yieldWriteTurn(maxMs = 250): number {
  if (isMainThread) return 0;
  const start = performance.now();
  for (;;) {
    const announced = Atomics.load(turns, 0);
    const left = maxMs - (performance.now() - start);
    if (announced === 0 || left <= 0) return performance.now() - start;
    Atomics.wait(turns, 0, announced, left);
  }
}
