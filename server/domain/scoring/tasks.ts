// Scoring tasks that run on job threads (server/jobs), never on the request thread: the model report
// (≈ 1.3 s for 10 models × 100k responses, on the `reads` pool), its exports, and response collection.
import type {
  CompareQuery,
  HeadlineTable,
  ReportQuery,
  RunComparison,
  ScoringReport,
} from '../../../schema/scoring.ts';
import type { TaskContext } from '../../jobs/task.ts';
import { runCollection, type CollectionStart } from './collect.ts';
import { compareRuns, comparisonCsv } from './compare.ts';
import { headlineTable } from './headline.ts';
import { buildReport, reportCsv } from './report.ts';

export function reportTask(ctx: TaskContext, query: ReportQuery): Promise<ScoringReport> {
  return buildReport(ctx.repos, query);
}

/** The report as a file: its name (without extension) and its text, both made on the job thread. */
export async function reportExportTask(
  ctx: TaskContext,
  input: { query: ReportQuery; format: 'csv' | 'json' },
): Promise<{ name: string; body: string }> {
  const report = await reportTask(ctx, input.query);
  const name = `scores-${report.releaseVersion.replace(/[^0-9A-Za-z.-]/g, '_')}`;
  const body = input.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : reportCsv(report);
  return { name, body };
}

/** A run's collection of responses from its model's endpoint (on a collection thread; see collection-job.ts). */
export function collectTask(ctx: TaskContext, start: CollectionStart): Promise<void> {
  return runCollection(ctx.repos, start, { cancelRequested: ctx.cancelRequested });
}

/** The paired comparison of two runs (on the `reads` pool). */
export function compareTask(ctx: TaskContext, query: CompareQuery): Promise<RunComparison> {
  return compareRuns(ctx.repos, query);
}

/** The comparison as a file: its name (without extension) and its text, both made on the job thread. */
export async function compareExportTask(
  ctx: TaskContext,
  input: { query: CompareQuery; format: 'csv' | 'json' },
): Promise<{ name: string; body: string }> {
  const c = await compareTask(ctx, input.query);
  const name = `compare-${c.releaseVersion}-run${c.a.runId}-run${c.b.runId}`.replace(/[^0-9A-Za-z.-]/g, '_');
  const body = input.format === 'json' ? JSON.stringify(c, null, 2) + '\n' : comparisonCsv(c);
  return { name, body };
}

/** The headline table of a release (on the `reads` pool). */
export function headlineTask(ctx: TaskContext, query: { release: number }): Promise<HeadlineTable> {
  return headlineTable(ctx.repos, query);
}
