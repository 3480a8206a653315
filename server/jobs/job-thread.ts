// A job thread: runs tasks (imports, release builds, reports…) one at a time, each on its own connection
// to the database file, so that the request thread never waits for them. Started by pool.ts.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { openRepositories, type OpenedRepositories } from '../db/open-repositories.ts';
import { adoptWriteTurns } from '../db/write-turns.ts';
import { AppError } from '../errors.ts';
import type { FromJobThread, TaskFailure, TaskFn, ToJobThread, WarmUpFn } from './task.ts';
import { lowerThisThreadPriority } from './priority.ts';

lowerThisThreadPriority();
const port = parentPort!;
const send = (message: FromJobThread) => port.postMessage(message);

function failureOf(err: unknown): TaskFailure {
  if (err instanceof AppError)
    return { status: err.status, code: err.code, message: err.message, details: err.details };
  return {
    status: null,
    code: 'internal',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  };
}

/**
 * A task's module: TypeScript sources (development, tests) through tsx's require hook, which thread.ts
 * installed for this thread; compiled JavaScript as the ES module it is.
 */
async function loadModule(url: string): Promise<Record<string, TaskFn<unknown, unknown>>> {
  if (url.endsWith('.ts'))
    return createRequire(import.meta.url)(fileURLToPath(url)) as Record<string, TaskFn<unknown, unknown>>;
  return (await import(url)) as Record<string, TaskFn<unknown, unknown>>;
}

async function run(message: Extract<ToJobThread, { type: 'run' }>) {
  const { taskId } = message;
  const flag = new Int32Array(message.cancel);
  adoptWriteTurns(message.writeTurns);
  // A database that cannot be opened fails this task with the reason; the thread stays for the next one.
  let repos: OpenedRepositories | null = null;
  try {
    repos = await openRepositories(message.dbPath);
    const opened = repos;
    const mod = await loadModule(message.module);
    const fn = mod[message.name];
    if (typeof fn !== 'function') throw new Error(`No task ${message.name} in ${message.module}`);
    const result = await fn(
      {
        repos: opened,
        location: opened.location,
        // SQLite's connection, read only by SQLite-only work (it throws on PostgreSQL).
        get db() {
          return opened.db;
        },
        progress: (progress) => send({ type: 'progress', taskId, progress }),
        cancelRequested: () => Atomics.load(flag, 0) !== 0,
      },
      message.input,
    );
    send({ type: 'done', taskId, result });
  } catch (err) {
    send({ type: 'failed', taskId, failure: failureOf(err) });
  } finally {
    await repos?.close();
  }
}

/** Loads the modules and runs their warm-ups; answers with those that failed (module: reason). */
async function warm(modules: string[]) {
  const failed: string[] = [];
  for (const url of modules) {
    try {
      const warmUp = (await loadModule(url)).warmUp as WarmUpFn | undefined;
      if (typeof warmUp === 'function') await warmUp();
    } catch (err) {
      failed.push(`${url}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  send({ type: 'warmed', failed });
}

// Tasks run strictly one after another on this thread: the pool sends the next one only after an answer. A warm-up
// may still be loading when the first task comes: both load modules through the same cache.
port.on('message', (message: ToJobThread) => {
  if (message.type === 'stop') {
    port.close();
    return;
  }
  if (message.type === 'warm') void warm(message.modules);
  else void run(message);
});
