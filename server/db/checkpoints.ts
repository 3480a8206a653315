import { once } from 'node:events';
import { startThread } from '../jobs/thread.ts';
import type { CheckpointSetup } from './checkpoint-thread.ts';
import type { Db } from './connection.ts';

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
  const workerData: CheckpointSetup = { path: db.name, intervalMs };
  const worker = startThread(new URL('./checkpoint-thread.ts', import.meta.url), {
    // It allocates next to nothing: a small young generation keeps the thread's memory down.
    resourceLimits: { maxYoungGenerationSizeMb: 1 },
    workerData,
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
