/**
 * Judge runs as jobs: the request that starts one answers at once (202, the judge run running), a judge thread
 * does the work (judge-run.ts) and writes its progress into the judge run's row. Judge runs have their own
 * threads (they wait on the network), apart from collections and the shared `jobs` pool. A server shutting down
 * asks its judge runs to stop and waits for the requests in flight (stopJudgeRuns, from main.ts), so a restart
 * repeats none of them.
 */
import type { JudgeRun, StartJudgeRunInput } from '../../../schema/judge.ts';
import type { Repositories } from '../../db/repositories.ts';
import { conflict, notFound } from '../../errors.ts';
import { TaskPool } from '../../jobs/pool.ts';
import { taskRef } from '../../jobs/task.ts';
import { prepareJudgeRun, type JudgeRunOptions } from './judge-run.ts';
import type * as tasks from './judge-tasks.ts';
import { defaultStaleBefore } from '../instances.ts';

const judgeTask = taskRef<typeof tasks.judgeTask>(new URL('./judge-tasks.ts', import.meta.url), 'judgeTask');

const JUDGE_THREADS = 2;
let pool: TaskPool | null = null;

/** The judge runs this process runs: their stop switch, repositories and end. */
const running = new Map<number, { abort: AbortController; repos: Repositories; ended: Promise<void> }>();

/** Starts (or resumes) the judge's run over the model run; answers with it running. */
export async function startJudgeRun(
  repos: Repositories,
  userId: number,
  input: StartJudgeRunInput,
  options: JudgeRunOptions & { log?: (message: string, err: unknown) => void } = {},
): Promise<JudgeRun> {
  const start = await prepareJudgeRun(repos, userId, input, options);
  const id = start.judgeRunId;
  const abort = new AbortController();
  pool ??= new TaskPool(JUDGE_THREADS);
  const ended = pool
    .run(judgeTask, repos.location, start, { signal: abort.signal })
    .catch(async (err: unknown) => {
      // A bug or a thread that died: the judge run must not stay running.
      options.log?.(`Judge run ${id} stopped`, err);
      const r = await repos.scoring.getJudgeRun(id);
      if (r)
        await repos.scoring.finishJudgeRun(id, r, {
          state: 'failed',
          error: 'The judge run stopped unexpectedly; start it again to resume',
          at: new Date().toISOString(),
        });
    })
    .finally(() => {
      if (running.get(id)?.abort === abort) running.delete(id);
    });
  running.set(id, { abort, repos, ended });
  return (await repos.scoring.getJudgeRun(id))!;
}

/** Asks a judge run to stop after the requests in flight (409 judge-run-not-running if it is not running). */
export async function cancelJudgeRun(repos: Repositories, id: number): Promise<JudgeRun> {
  if (!(await repos.scoring.getJudgeRun(id))) throw notFound('Judge run');
  if (!(await repos.scoring.requestJudgeRunStop(id, 'cancel')))
    throw conflict('judge-run-not-running', 'This judge run is not running');
  running.get(id)?.abort.abort();
  return (await repos.scoring.getJudgeRun(id))!;
}

/**
 * For a server shutting down: asks every judge run of this process to stop launching requests and waits (at
 * most `graceMs`) until the requests in flight are answered and stored; they end `interrupted`. Start them
 * again after the restart: nothing is asked twice.
 */
export async function stopJudgeRuns(log: (line: string) => void = () => {}, graceMs = 30_000): Promise<void> {
  const ends: Promise<void>[] = [];
  for (const [id, r] of [...running.entries()]) {
    await r.repos.scoring.requestJudgeRunStop(id, 'shutdown');
    r.abort.abort();
    log(`Judge run ${id}: stopping; storing the answers in flight before exit.`);
    ends.push(r.ended);
  }
  if (ends.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(ends), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
}

/**
 * Start-up clean-up: a judge run left running by an instance that is dead (not seen since `since`, or gone)
 * becomes `interrupted`; a live instance's are left alone. Returns lines to print.
 */
export async function reconcileJudgeRuns(
  repos: Repositories,
  since: string = defaultStaleBefore(),
): Promise<string[]> {
  const ids = await repos.scoring.interruptJudgeRuns(
    new Date().toISOString(),
    'The server stopped while judging; start the judge run again to resume',
    since,
  );
  return ids.map((id) => `Judge run ${id}: interrupted by a server stop; start it again to resume.`);
}
