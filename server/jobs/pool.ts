import type { Worker } from 'node:worker_threads';
import { connectionOf, sharedRepositories } from '../db/open-repositories.ts';
import type { Repositories } from '../db/repositories.ts';
import { writeTurnsBuffer } from '../db/write-turns.ts';
import { AppError } from '../errors.ts';
import type { FromJobThread, Progress, TaskFailure, TaskFn, TaskRef, ToJobThread } from './task.ts';
import { startThread } from './thread.ts';

const ENTRY = new URL('./job-thread.ts', import.meta.url);

export interface RunOptions {
  onProgress?: (progress: Progress) => void;
  /** Aborting asks the task to stop: it sees `cancelRequested()` and ends when it next checks. */
  signal?: AbortSignal;
}

/** A task thrown back from a job thread that is not an AppError: a bug or a stopped thread (500). */
export class TaskError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface Pending {
  taskId: number;
  message: Extract<ToJobThread, { type: 'run' }>;
  options: RunOptions;
  resolve(result: unknown): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker | null;
  task: Pending | null;
  /** Called when the thread answers a warm-up, with the modules that failed (or when it stops). */
  warming: ((failed: string[]) => void)[];
}

function errorOf(failure: TaskFailure): Error {
  return failure.status === null
    ? new TaskError(failure.message, failure.code)
    : new AppError(failure.status, failure.code, failure.message, failure.details);
}

/**
 * A fixed number of job threads and a queue in front of them. Each thread runs one task at a time on its
 * own connection; threads start when first needed and are kept (unreferenced while idle, so they never hold
 * a process open). A thread that dies fails its task and is replaced by the next task.
 */
export class TaskPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(readonly size: number) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ worker: null, task: null, warming: [] }));
  }

  /** Runs `task` on a job thread with its own connection to `dbPath`; resolves with its result. */
  run<I, O>(task: TaskRef<I, O>, dbPath: string, input: I, options: RunOptions = {}): Promise<O> {
    if (dbPath === '' || dbPath === ':memory:') {
      return Promise.reject(
        new TaskError('Jobs need a database file, not an in-memory database', 'no-database-file'),
      );
    }
    // A database only this thread can reach (PGlite in memory, in tests): the task runs here, on its repositories.
    const here = sharedRepositories(dbPath);
    if (here) return runHere(task, here, input, options);
    const cancel = new SharedArrayBuffer(4);
    const taskId = this.nextId++;
    options.signal?.addEventListener('abort', () => Atomics.store(new Int32Array(cancel), 0, 1), {
      once: true,
    });
    if (options.signal?.aborted) Atomics.store(new Int32Array(cancel), 0, 1);
    return new Promise<O>((resolve, reject) => {
      this.queue.push({
        taskId,
        message: {
          type: 'run',
          taskId,
          module: task.module,
          name: task.name,
          // With its password when this thread was given one (never printed).
          dbPath: connectionOf(dbPath),
          input,
          cancel,
          writeTurns: writeTurnsBuffer(),
        },
        options,
        resolve: resolve,
        reject,
      });
      this.dispatch();
    });
  }

  /**
   * Starts every thread now (unreferenced: they never hold the process open) and has each load `modules` and run
   * their warm-ups (`warmUp` exports), so that the first task does not pay for it (≈ 0.3–0.7 s: the thread, its
   * modules and, for a release build, the file writer thread). Resolves once every thread has done so, with the
   * modules that failed to load and why (a task that needs one fails with its own error); never rejects.
   */
  async warm(modules: readonly string[]): Promise<string[]> {
    const failed = await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<string[]>((resolve) => {
            const worker = (slot.worker ??= this.startWorker(slot));
            slot.warming.push(resolve);
            worker.postMessage({ type: 'warm', modules: [...modules] } satisfies ToJobThread);
          }),
      ),
    );
    return [...new Set(failed.flat())];
  }

  /** How many tasks wait for a free thread. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Ends every thread (tasks still running are failed). */
  async stop(): Promise<void> {
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.worker;
        slot.worker = null;
        if (worker) await worker.terminate();
      }),
    );
  }

  private dispatch() {
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      const worker = (slot.worker ??= this.startWorker(slot));
      worker.ref();
      worker.postMessage(task.message);
    }
  }

  private startWorker(slot: Slot): Worker {
    const worker = startThread(ENTRY);
    worker.unref();
    worker.on('message', (message: FromJobThread) => {
      if (message.type === 'warmed') {
        // Unreferenced again: Node holds a thread that is messaged before it is online until it answers.
        if (!slot.task) worker.unref();
        slot.warming.shift()?.(message.failed);
        return;
      }
      const task = slot.task;
      if (!task || task.taskId !== message.taskId) return;
      if (message.type === 'progress') {
        task.options.onProgress?.(message.progress);
        return;
      }
      slot.task = null;
      worker.unref();
      if (message.type === 'done') task.resolve(message.result);
      else task.reject(errorOf(message.failure));
      this.dispatch();
    });
    const lost = (reason: string) => {
      if (slot.worker === worker) slot.worker = null;
      for (const warmed of slot.warming.splice(0)) warmed([`the job thread stopped: ${reason}`]);
      const task = slot.task;
      slot.task = null;
      task?.reject(new TaskError(`The job thread stopped: ${reason}`, 'job-thread-stopped'));
      this.dispatch();
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    return worker;
  }
}

/** `task` on this thread, given `repos` as a job thread would be given its own; failures as a job thread gives them. */
async function runHere<I, O>(
  task: TaskRef<I, O>,
  repos: Repositories,
  input: I,
  options: RunOptions,
): Promise<O> {
  const mod = (await import(task.module)) as Record<string, TaskFn<I, O>>;
  const fn = mod[task.name];
  if (typeof fn !== 'function') throw new Error(`No task ${task.name} in ${task.module}`);
  try {
    return await fn(
      {
        repos,
        location: repos.location,
        get db(): never {
          throw new Error(`${repos.location} has no SQLite connection`);
        },
        progress: (progress) => options.onProgress?.(progress),
        cancelRequested: () => options.signal?.aborted ?? false,
      },
      input,
    );
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new TaskError(err instanceof Error ? (err.stack ?? err.message) : String(err), 'internal');
  }
}

let shared: { jobs: TaskPool; reads: TaskPool } | null = null;

/**
 * The process's two pools: `jobs` for long work that users start and watch (imports, release builds,
 * model runs), `reads` for heavy reads that a request waits for (agreement, reports, exports), so a
 * dashboard never queues behind an hour-long import. Sizes from CS_JOB_THREADS / CS_READ_THREADS (default 1).
 */
export function sharedPools(env: Record<string, string | undefined> = process.env): {
  jobs: TaskPool;
  reads: TaskPool;
} {
  const size = (v: string | undefined) => (v && /^[1-9]\d?$/.test(v) ? Number(v) : 1);
  return (shared ??= {
    jobs: new TaskPool(size(env.CS_JOB_THREADS)),
    reads: new TaskPool(size(env.CS_READ_THREADS)),
  });
}
