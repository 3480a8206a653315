// The model report as the API offers it. The report and its files are computed on the `reads` pool's thread
// (seconds for 10 models × 100k items), so the request thread keeps answering everyone else meanwhile.
import type { ReportQuery, ScoringReport } from '../../../schema/scoring.ts';
import type { User } from '../../../schema/user.ts';
import type { Repositories } from '../../db/repositories.ts';
import { sharedPools } from '../../jobs/pool.ts';
import { taskRef } from '../../jobs/task.ts';
import { readableRelease } from '../releases/access.ts';
import { reportItems } from './report.ts';
import type * as tasks from './tasks.ts';

const at = new URL('./tasks.ts', import.meta.url);
const reportTask = taskRef<typeof tasks.reportTask>(at, 'reportTask');
const reportExportTask = taskRef<typeof tasks.reportExportTask>(at, 'reportExportTask');

export function createReportService(repos: Repositories) {
  return {
    /** Scores per model × language × category with bootstrap intervals. */
    report: (query: ReportQuery): Promise<ScoringReport> =>
      sharedPools().reads.run(reportTask, repos.location, query),

    /** The report as a file (CSV or JSON): its name without extension, and its text. */
    export: (query: ReportQuery, format: 'csv' | 'json') =>
      sharedPools().reads.run(reportExportTask, repos.location, { query, format }),

    /**
     * The drill-down: every item's reference answer next to each model's, hence release contents, read under
     * their rule (404 for a release `user` may not read).
     */
    async items(user: User, query: Parameters<typeof reportItems>[1]) {
      await readableRelease(repos, user, query.release);
      return reportItems(repos, query);
    },
  };
}
export type ReportService = ReturnType<typeof createReportService>;
