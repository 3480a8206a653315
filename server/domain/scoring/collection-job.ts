/**
 * Response collection as a job: the request that starts it answers at once (202, the run collecting), a
 * collection thread does the work (collect.ts `runCollection`) and writes its progress into the run's row,
 * which GET /api/runs/:id shows. Collections have their own threads, not the shared `jobs` pool: one waits on
 * the network for minutes or hours and must not hold imports and release builds behind it.
 */
import type { CollectInput, Run } from '../../../schema/scoring.ts';
import type { Repositories } from '../../db/repositories.ts';
import { conflict } from '../../errors.ts';
import { TaskPool } from '../../jobs/pool.ts';
import { defaultStaleBefore } from '../instances.ts';
import { taskRef } from '../../jobs/task.ts';
import { prepareCollection, type CollectOptions } from './collect.ts';
import { createScoringService } from './service.ts';
import type * as tasks from './tasks.ts';

const collectTask = taskRef<typeof tasks.collectTask>(new URL('./tasks.ts', import.meta.url), 'collectTask');

/** Collections that run at once in this process (more wait, their runs shown collecting with nothing asked). */
const COLLECTION_THREADS = 2;
let pool: TaskPool | null = null;

/** Cancel switches of the collections this process started, by run id (the row's flag covers the others). */
const running = new Map<number, AbortController>();

/**
 * Checks and claims the run (refusals as prepareCollection's), then starts its collection on a collection
 * thread and returns the run as it is now (collecting). `log` hears of a collection thread that failed.
 */
export async function startCollection(
  repos: Repositories,
  runId: number,
  input: CollectInput,
  options: CollectOptions & { log?: (message: string, err: unknown) => void } = {},
): Promise<Run> {
  const start = await prepareCollection(repos, runId, input, options);
  const abort = new AbortController();
  running.set(runId, abort);
  pool ??= new TaskPool(COLLECTION_THREADS);
  pool
    .run(collectTask, repos.location, start, { signal: abort.signal })
    .catch(async (err: unknown) => {
      // A bug or a thread that died: the run must not stay collecting.
      options.log?.(`Collection of run ${runId} stopped`, err);
      const c = (await repos.scoring.getRun(runId))?.collection;
      await repos.scoring.finishCollection(
        runId,
        {
          total: c?.total ?? 0,
          asked: c?.asked ?? 0,
          answered: c?.answered ?? 0,
          failed: c?.failed ?? 0,
          skipped: c?.skipped ?? 0,
          requests: c?.requests ?? 0,
          failures: c?.failures ?? [],
        },
        {
          state: 'failed',
          status: 'failed',
          error: 'The collection stopped unexpectedly; collect again to resume',
          at: new Date().toISOString(),
        },
      );
    })
    .finally(() => {
      if (running.get(runId) === abort) running.delete(runId);
    });
  return createScoringService(repos).run(runId);
}

/** Asks the run's collection to stop after the requests in flight (409 run-not-collecting if none runs). */
export async function cancelCollection(repos: Repositories, runId: number): Promise<Run> {
  const service = createScoringService(repos);
  await service.run(runId);
  if (!(await repos.scoring.requestCollectionCancel(runId)))
    throw conflict('run-not-collecting', 'This run is not collecting responses');
  running.get(runId)?.abort();
  return service.run(runId);
}

/** Collections as the API starts and stops them, with this server's outbound settings and log. */
export function createCollectionService(
  repos: Repositories,
  options: CollectOptions & { log?: (message: string, err: unknown) => void } = {},
) {
  return {
    start: (runId: number, input: CollectInput): Promise<Run> =>
      startCollection(repos, runId, input, options),
    cancel: (runId: number): Promise<Run> => cancelCollection(repos, runId),
  };
}
export type CollectionService = ReturnType<typeof createCollectionService>;

/**
 * Start-up clean-up: a run left collecting by an instance that is dead (not seen since `since`, or gone:
 * every collection of a process ends with it) has its collection marked `interrupted` and can be collected
 * again; answers stored before the stop are kept and not asked for again. A live instance's collections are
 * left alone. Returns lines to print.
 */
export async function reconcileCollections(
  repos: Repositories,
  since: string = defaultStaleBefore(),
): Promise<string[]> {
  const ids = await repos.scoring.interruptCollections(
    new Date().toISOString(),
    'The server stopped while collecting; collect again to resume',
    since,
  );
  return ids.map(
    (id) => `Run ${id}: its collection was interrupted by a server stop; collect again to resume.`,
  );
}
