// The judge run's task, on a judge thread (judge-job.ts) with its own connection.
import type { CalibrationQuery, JudgeCalibration } from '../../../schema/judge.ts';
import type { TaskContext } from '../../jobs/task.ts';
import { judgeCalibration } from './judge-calibration.ts';
import { runJudgeRun, type JudgeRunStart } from './judge-run.ts';

export function judgeTask(ctx: TaskContext, start: JudgeRunStart): Promise<void> {
  return runJudgeRun(ctx.repos, start, { cancelRequested: ctx.cancelRequested });
}

/** A judge run's calibration against the human raters (on the `reads` pool). */
export function calibrationTask(
  ctx: TaskContext,
  input: { judgeRunId: number; query: CalibrationQuery },
): Promise<JudgeCalibration> {
  return judgeCalibration(ctx.repos, input.judgeRunId, input.query);
}
