import { setPriority } from 'node:os';

/**
 * Background threads (job threads, the search catch-up, the WAL checkpointer, the release file writer) run at
 * a lower CPU priority than the request thread: on a busy machine the scheduler gives the request thread the
 * core first, so annotators' requests are not slowed by an import or a release sharing the cores. On Linux the
 * nice value belongs to each thread, and `setPriority(0, …)` called on a thread sets that thread's alone (the
 * request thread keeps its own). Where the platform refuses, the thread runs at normal priority.
 */
export const BACKGROUND_NICE = 10;

export function lowerThisThreadPriority(): void {
  try {
    setPriority(0, BACKGROUND_NICE);
  } catch {
    // Not permitted here (some containers): normal priority.
  }
}
