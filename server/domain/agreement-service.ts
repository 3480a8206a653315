// The agreement dashboard and its CSV export as the API offers them: who may read which language, and the
// computation on the `reads` pool's thread (seconds at 100k items), so the request thread keeps answering
// everyone else meanwhile.
import type { AgreementQuery, AgreementReport, agreementTables } from '../../schema/validation.ts';
import type { User } from '../../schema/user.ts';
import type { Repositories } from '../db/repositories.ts';
import { forbidden, notFound } from '../errors.ts';
import { sharedPools } from '../jobs/pool.ts';
import { taskRef } from '../jobs/task.ts';
import type * as tasks from './agreement-tasks.ts';
import { canUseLanguage } from './auth.ts';

const at = new URL('./agreement-tasks.ts', import.meta.url);
const reportTask = taskRef<typeof tasks.agreementReportTask>(at, 'agreementReportTask');
const csvTask = taskRef<typeof tasks.agreementCsvTask>(at, 'agreementCsvTask');

export function createAgreementService(repos: Repositories) {
  /** Maintainers see every language; reviewers one of theirs at a time (the routes admit only these two roles). */
  async function input(user: User, query: AgreementQuery): Promise<tasks.AgreementInput> {
    if (user.role !== 'maintainer') {
      if (user.role !== 'reviewer' || !query.language || !canUseLanguage(user, query.language))
        throw forbidden('Maintainers see all languages; reviewers choose one of theirs');
    }
    if (!(await repos.datasets.exists(query.dataset))) throw notFound('Dataset');
    return { datasetId: query.dataset, language: query.language, breakdown: query.breakdown };
  }

  return {
    report: async (user: User, query: AgreementQuery): Promise<AgreementReport> =>
      sharedPools().reads.run(reportTask, repos.location, await input(user, query)),

    /** One table of the dashboard as CSV text. */
    csv: async (
      user: User,
      query: AgreementQuery,
      table: (typeof agreementTables)[number],
    ): Promise<string> =>
      sharedPools().reads.run(csvTask, repos.location, { ...(await input(user, query)), table }),
  };
}
export type AgreementService = ReturnType<typeof createAgreementService>;
