import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { moduleUrl } from '../runtime.ts';

/**
 * Starts a worker thread running the module at `entry` (named as in the sources: `./x.ts`). The compiled
 * server starts the compiled module as it is; a TypeScript source (development, tests) is loaded through
 * tsx's require hook, as the rest of the server is; its task modules then load the same way (see
 * `loadModule` in job-thread.ts).
 */
export function startThread(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const path = fileURLToPath(moduleUrl(entry));
  if (!path.endsWith('.ts')) return new Worker(path, options);
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const boot = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(path)});`;
  return new Worker(boot, { execArgv: [], ...options, eval: true });
}
