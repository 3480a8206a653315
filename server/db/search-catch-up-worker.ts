// The search-index catch-up thread (started by search-catch-up.ts): its own connection to the database
// file, indexing the items queued in items_search_pending in batches, each its own short write
// transaction. A full batch is followed at once by the next; otherwise it waits for the next tick.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './connection.ts';
import { createItemRepository } from './items.ts';
import { adoptWriteTurns, yieldWriteTurn } from './write-turns.ts';
import { lowerThisThreadPriority } from '../jobs/priority.ts';

export interface CatchUpSetup {
  path: string;
  intervalMs: number;
  batch: number;
  /** Pages of segment merging per index per idle tick. */
  mergePages: number;
  /** The starting thread's write turns (write-turns.ts): batches let announced writes go first. */
  writeTurns: SharedArrayBuffer;
}

lowerThisThreadPriority();
const setup = workerData as CatchUpSetup;
adoptWriteTurns(setup.writeTurns);
const db = openDatabase(setup.path);
const items = createItemRepository(db);
let timer: NodeJS.Timeout | null = null;
let stopped = false;

function tick() {
  timer = null;
  if (stopped) return;
  let indexed = 0;
  try {
    yieldWriteTurn();
    indexed = items.catchUpSearchIndex(setup.batch);
    // Idle: merge index segments a little at a time, so deletes stay cheap after bulk loads.
    if (indexed === 0) items.mergeSearchIndex(setup.mergePages);
  } catch (e) {
    // Busy past the timeout (a long writer elsewhere): the queue stays, the next tick retries.
    if ((e as { code?: string }).code !== 'SQLITE_BUSY')
      parentPort!.postMessage(String((e as Error).message));
  }
  timer = indexed === setup.batch ? setTimeout(tick, 0) : setTimeout(tick, setup.intervalMs);
}

parentPort!.on('message', () => {
  stopped = true;
  if (timer) clearTimeout(timer);
  db.close();
  parentPort!.close();
});
tick();
