// The job threads started at server start (server/main.ts), so that the first import or release build after a start
// does not wait for a thread, its modules and the release file writer (≈ 0.6 s compiled, 0.7–0.9 s under tsx;
// docs/benchmarks.md, "With the job threads warmed at start").
// The read pool (dashboards, reports) starts with its first request: its thread would cost every server ≈ 30 MB
// for a wait of ≈ 0.3 s, once.
import { sharedPools } from '../jobs/pool.ts';
import { moduleUrl } from '../runtime.ts';

const moduleOf = (path: string) => moduleUrl(new URL(path, import.meta.url)).href;

/** The task modules the job threads load ahead of their first task: the work users start and watch. */
const JOB_MODULES = [moduleOf('./releases/build-job.ts'), moduleOf('./import/tasks.ts')];

/**
 * Starts the process's job threads and loads their task modules; resolves once they are ready, with what failed to
 * load and why (the first task that needs it fails with that error); never rejects.
 */
export function warmJobThreads(): Promise<string[]> {
  return sharedPools().jobs.warm(JOB_MODULES);
}
