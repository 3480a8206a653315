// Paired comparisons of two runs and the headline table, as the API offers them: computed on the `reads`
// pool's thread (each reads every response of the runs compared), never on the request thread.
import type { CompareQuery, HeadlineTable, RunComparison } from '../../../schema/scoring.ts';
import type { Repositories } from '../../db/repositories.ts';
import { sharedPools } from '../../jobs/pool.ts';
import { taskRef } from '../../jobs/task.ts';
import type * as tasks from './tasks.ts';

const at = new URL('./tasks.ts', import.meta.url);
const compareTask = taskRef<typeof tasks.compareTask>(at, 'compareTask');
const compareExportTask = taskRef<typeof tasks.compareExportTask>(at, 'compareExportTask');
const headlineTask = taskRef<typeof tasks.headlineTask>(at, 'headlineTask');

export function createComparisonService(repos: Repositories) {
  return {
    /** Run a against run b on the same release, per slice (404 unknown, 409 runs of another release). */
    compare: (query: CompareQuery): Promise<RunComparison> =>
      sharedPools().reads.run(compareTask, repos.location, query),

    /** The comparison as a file (CSV or JSON): its name without extension, and its text. */
    export: (query: CompareQuery, format: 'csv' | 'json') =>
      sharedPools().reads.run(compareExportTask, repos.location, { query, format }),

    /** Every run of the release against the best non-sovereign model. */
    headline: (query: { release: number }): Promise<HeadlineTable> =>
      sharedPools().reads.run(headlineTask, repos.location, query),
  };
}
export type ComparisonService = ReturnType<typeof createComparisonService>;
