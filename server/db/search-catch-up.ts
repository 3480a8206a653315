import { once } from 'node:events';
import { startThread } from '../jobs/thread.ts';
import type { Db } from './connection.ts';
import type { CatchUpSetup } from './search-catch-up-worker.ts';
import { writeTurnsBuffer } from './write-turns.ts';

/**
 * Items indexed per batch, one write transaction each: ≈ 0.1–0.25 ms per item once the indexes are
 * merged (measured under load), so an autosave waits at most ≈ 5–12 ms behind a batch.
 */
export const CATCH_UP_BATCH = 50;

/** Segment merging per idle tick: a few milliseconds of write lock. */
const MERGE_PAGES = 16;

export interface SearchCatchUp {
  /** Ends the thread (the queue stays in the database for the next start). */
  stop(): Promise<void>;
}

/**
 * Keeps the search indexes up to date off the request thread (migration 012): a worker thread with
 * its own connection indexes queued items every `intervalMs`, `batch` at a time, and goes on at once
 * while batches come back full; when the queue is empty it merges index segments a little instead. An in-memory database cannot be shared with a thread: null (searches
 * stay exact anyway, by scanning the queued items; repos.items.catchUpSearchIndex indexes them).
 */
export function startSearchCatchUp(db: Db, intervalMs = 250, batch = CATCH_UP_BATCH): SearchCatchUp | null {
  if (db.memory) return null;
  const workerData: CatchUpSetup = {
    path: db.name,
    intervalMs,
    batch,
    mergePages: MERGE_PAGES,
    writeTurns: writeTurnsBuffer(),
  };
  const worker = startThread(new URL('./search-catch-up-worker.ts', import.meta.url), { workerData });
  worker.on('message', (message: string) => console.error(`Search index catch-up failed: ${message}`));
  worker.on('error', (e) => console.error(`Search index catch-up stopped: ${e.message}`));
  worker.unref();
  let stopping = false;
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      const exited = once(worker, 'exit');
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
