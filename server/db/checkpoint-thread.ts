// The checkpointer thread (started by checkpoints.ts): its own connection to the database file, copying
// committed WAL frames into the database every `intervalMs` (PASSIVE: it never waits for or blocks readers and
// writers). It opens the file with the driver alone: no functions, no migrations.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../jobs/priority.ts';

export interface CheckpointSetup {
  path: string;
  intervalMs: number;
}

lowerThisThreadPriority();
const setup = workerData as CheckpointSetup;
const db = new Database(setup.path, { fileMustExist: true });
db.pragma('synchronous = NORMAL');

function checkpoint() {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    if ((e as { code?: string }).code !== 'SQLITE_BUSY')
      parentPort!.postMessage(String((e as Error).message));
  }
}

const timer = setInterval(checkpoint, setup.intervalMs);
parentPort!.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort!.close();
});
