// Tasks of the agreement dashboard: they run on the `reads` pool's thread (server/jobs), never on the
// request thread, because the full breakdown takes seconds at 100k items (docs/agreement.md).
import type { AgreementReport } from '../../schema/validation.ts';
import type { TaskContext } from '../jobs/task.ts';
import { agreementCsv, agreementReport } from './agreement-report.ts';

export interface AgreementInput {
  datasetId: number;
  language?: string;
  breakdown: boolean;
}

/** The dashboard of a dataset, computed on the task's own connection. */
export function agreementReportTask(ctx: TaskContext, input: AgreementInput): Promise<AgreementReport> {
  return agreementReport(ctx.repos.validations, input.datasetId, input.language, input.breakdown);
}

/** One table of the dashboard as CSV text: the report never crosses threads, only the file does. */
export async function agreementCsvTask(
  ctx: TaskContext,
  input: AgreementInput & { table: 'questions' | 'annotators' | 'coverage' },
): Promise<string> {
  return agreementCsv(await agreementReportTask(ctx, input), input.table);
}
