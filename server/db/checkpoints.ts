import { createRequire } from 'node:module';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Db } from './connection.ts';

/**
 * The checkpointer: its own connection to the database file, copying committed WAL frames into the
 * database every `intervalMs` (PASSIVE: it never waits for or blocks readers and writers).
 */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    if (e.code !== 'SQLITE_BUSY') parentPort.postMessage(String(e.message));
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface BackgroundCheckpoints {
  /** Runs a last checkpoint and ends the thread. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the connection's thread. By default SQLite checkpoints inside the commit that
 * takes the WAL past 1000 pages, so that one request waits for the copy and its fsyncs (about 0.2 s after
 * a 100k-item release snapshot). The server turns that off and checkpoints on a worker thread instead;
 * if the worker ever stops, commits checkpoint again. An in-memory database has no WAL: null.
 */
export function startBackgroundCheckpoints(db: Db, intervalMs = 1_000): BackgroundCheckpoints | null {
  if (db.memory) return null;
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    // It allocates next to nothing: the smallest heap V8 allows keeps the thread's memory down.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path: db.name,
      intervalMs,
    },
  });
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  worker.on('message', (message: string) => console.error(`WAL checkpoint failed: ${message}`));
  worker.on('error', (e) => console.error(`WAL checkpointer stopped: ${e.message}`));
  worker.on('exit', () => {
    if (!stopping && db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  worker.unref();
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      const exited = once(worker, 'exit');
      worker.ref(); // the caller waits for it
      worker.postMessage('stop');
      await exited;
    },
  };
}
