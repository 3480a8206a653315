// Tasks of the agreement dashboard: they run on the `reads` pool's thread (server/jobs), never on the
// request thread, because the full breakdown takes seconds at 100k items (docs/agreement.md).
import type { AgreementReport } from '../../schema/validation.ts';
import { createRepositories } from '../db/repositories.ts';
import type { TaskContext } from '../jobs/task.ts';
import { agreementCsv, agreementReport } from './agreement-report.ts';

export interface AgreementInput {
  datasetId: number;
  language?: string;
  breakdown: boolean;
}

/** The dashboard of a dataset, computed on the task's own connection. */
export function agreementReportTask(ctx: TaskContext, input: AgreementInput): AgreementReport {
  const repos = createRepositories(ctx.db);
  return agreementReport(repos.validations, input.datasetId, input.language, input.breakdown);
}

/** One table of the dashboard as CSV text: the report never crosses threads, only the file does. */
export function agreementCsvTask(
  ctx: TaskContext,
  input: AgreementInput & { table: 'questions' | 'annotators' | 'coverage' },
): string {
  return agreementCsv(agreementReportTask(ctx, input), input.table);
}
