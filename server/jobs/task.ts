import type { Db } from '../db/connection.ts';
import type { Repositories } from '../db/repositories.ts';
import { moduleUrl } from '../runtime.ts';

/** Progress a task reports: how far it is (`done` of `total`, when known) and in which phase. */
export interface Progress {
  phase: string;
  done: number;
  total: number | null;
}

/**
 * How often, at most, a job writes its progress into its row for clients to poll (tiny transactions, but
 * not one per row or response).
 */
export const PROGRESS_EVERY_MS = 200;

/**
 * `work` with `flush` (a progress write) called every PROGRESS_EVERY_MS while it runs, for jobs whose thread only
 * waits on the network, so the timer fires on time. A failed flush fails the job once `work` has ended (its requests
 * in flight answered), never midway; a failure of `work` itself wins.
 */
export async function withProgressTimer<T>(flush: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  const progressWrite: { failure: Error | null } = { failure: null };
  const timer = setInterval(
    () =>
      void flush().catch(
        (e: unknown) => (progressWrite.failure ??= e instanceof Error ? e : new Error(String(e))),
      ),
    PROGRESS_EVERY_MS,
  );
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(timer);
  }
  if (progressWrite.failure) throw progressWrite.failure;
  return result;
}

/**
 * A gate for those writes: true at most once per PROGRESS_EVERY_MS (always when `force`d, e.g. for the last
 * value of a phase).
 */
export function progressGate(): (force?: boolean) => boolean {
  let last = -Infinity;
  return (force = false) => {
    const now = performance.now();
    if (!force && now - last < PROGRESS_EVERY_MS) return false;
    last = now;
    return true;
  };
}

/** What a task running on a job thread is given. */
export interface TaskContext {
  /** The repositories on its own connection to the server's database, opened for this task and closed after it. */
  repos: Repositories;
  /** Where that database is (`repos.location`): a task that needs a second connection opens it from here. */
  location: string;
  /** The same connection, for SQLite-only work (none of the domain's tasks: they use `repos`). */
  db: Db;
  /** Reports progress (sent to the main thread; cheap, call it as often as convenient). */
  progress: (p: Progress) => void;
  /** Whether cancellation was asked for; long tasks check it between slices and throw `cancelled()`. */
  cancelRequested: () => boolean;
}

/** A task's function: runs on a job thread, never on the request thread. */
export type TaskFn<I, O> = (ctx: TaskContext, input: I) => O | Promise<O>;

/**
 * Names a task function for the pool: the module that exports it and the export's name. The phantom
 * types tie the caller's input and result to the function's.
 */
export interface TaskRef<I, O> {
  module: string;
  name: string;
  /** Never set: carries the types. */
  readonly _types?: (input: I) => O;
}

/** `taskRef<typeof fn>(new URL('./m.ts', import.meta.url), 'fn')`. */
export function taskRef<F extends TaskFn<never, unknown>>(
  module: URL,
  name: string,
): TaskRef<Parameters<F>[1], Awaited<ReturnType<F>>> {
  return { module: moduleUrl(module).href, name };
}

/** A task's failure as it crosses threads. `status` is set for AppErrors (client errors keep their code). */
export interface TaskFailure {
  status: number | null;
  code: string;
  message: string;
  details?: unknown;
}

export type ToJobThread =
  | {
      type: 'run';
      taskId: number;
      module: string;
      name: string;
      dbPath: string;
      input: unknown;
      cancel: SharedArrayBuffer;
      /** The starting thread's write turns (db/write-turns.ts), shared by every thread that writes. */
      writeTurns: SharedArrayBuffer;
    }
  /**
   * Loads `modules` (task modules, as TaskRef.module names them) and runs the `warmUp` each exports, if any, so
   * that the first task does not wait for them; answered with `warmed` (with the modules that failed, and why).
   */
  | { type: 'warm'; modules: string[] }
  | { type: 'stop' };

/** What a task module may export to prepare its thread ahead of its first task (e.g. start a helper thread). */
export type WarmUpFn = () => void | Promise<void>;

export type FromJobThread =
  | { type: 'warmed'; failed: string[] }
  | { type: 'progress'; taskId: number; progress: Progress }
  | { type: 'done'; taskId: number; result: unknown }
  | { type: 'failed'; taskId: number; failure: TaskFailure };
