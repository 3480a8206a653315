/**
 * Judges (a registered model + a rubric) as the API offers them: registering, judge runs (jobs; judge-job.ts),
 * their stored outputs, their calibration against the human raters (on the `reads` pool's thread), and the
 * per-dataset settings that make a calibrated slice judge-trusted.
 */
import type {
  CalibrationQuery,
  CreateJudgeInput,
  Judge,
  JudgeCalibration,
  JudgeRun,
  JudgeSettings,
  JudgeSettingsInput,
  Judgment,
  StartJudgeRunInput,
  UpdateJudgeInput,
} from '../../../schema/judge.ts';
import type { Repositories } from '../../db/repositories.ts';
import { conflict, notFound } from '../../errors.ts';
import { sharedPools } from '../../jobs/pool.ts';
import { taskRef } from '../../jobs/task.ts';
import { cancelJudgeRun, startJudgeRun } from './judge-job.ts';
import type { JudgeRunOptions } from './judge-run.ts';
import type * as tasks from './judge-tasks.ts';

const calibrationTask = taskRef<typeof tasks.calibrationTask>(
  new URL('./judge-tasks.ts', import.meta.url),
  'calibrationTask',
);

export function createJudgeService(
  repos: Repositories,
  options: JudgeRunOptions & { log?: (message: string, err: unknown) => void; now?: () => Date } = {},
) {
  const s = repos.scoring;
  const now = options.now ?? (() => new Date());

  function judge(id: number): Judge {
    const j = s.getJudge(id);
    if (!j) throw notFound('Judge');
    return j;
  }
  function judgeRun(id: number): JudgeRun {
    const r = s.getJudgeRun(id);
    if (!r) throw notFound('Judge run');
    return r;
  }
  function nameFree(name: string, except?: number) {
    const other = s.judgeByName(name.trim());
    if (other && other.id !== except) throw conflict('judge-exists', `A judge named "${name.trim()}" exists`);
  }
  function modelExists(id: number) {
    if (!s.getModel(id)) throw notFound('Model');
  }
  function settings(datasetId: number): JudgeSettings {
    if (!repos.datasets.get(datasetId)) throw notFound('Dataset');
    return s.judgeSettings(datasetId);
  }

  return {
    judge,
    listJudges: (): Judge[] => s.listJudges(),

    createJudge(userId: number, input: CreateJudgeInput): Judge {
      nameFree(input.name);
      modelExists(input.modelId);
      const id = s.insertJudge({
        ...input,
        name: input.name.trim(),
        createdBy: userId,
        createdAt: now().toISOString(),
      });
      return judge(id);
    },

    updateJudge(id: number, changes: UpdateJudgeInput): Judge {
      const j = judge(id);
      if (changes.name !== undefined) nameFree(changes.name, id);
      if (changes.modelId !== undefined) modelExists(changes.modelId);
      s.updateJudge(id, {
        name: (changes.name ?? j.name).trim(),
        modelId: changes.modelId ?? j.modelId,
        rubric: changes.rubric ?? j.rubric,
        temperature: changes.temperature ?? j.temperature,
        maxTokens: changes.maxTokens ?? j.maxTokens,
      });
      return judge(id);
    },

    judgeRun,
    listJudgeRuns: (filter: { judge?: number; run?: number }): JudgeRun[] => s.listJudgeRuns(filter),
    /** Starts the judge run (made on first start) or resumes it; answers with it running (a job). */
    startRun: (userId: number, input: StartJudgeRunInput): Promise<JudgeRun> =>
      startJudgeRun(repos, userId, input, options),
    cancelRun: (id: number): JudgeRun => cancelJudgeRun(repos, id),
    judgments(id: number, q: { after: number; limit: number; unparseable: boolean }): Judgment[] {
      judgeRun(id);
      return s.listJudgments(id, q);
    },
    calibration(id: number, query: CalibrationQuery): Promise<JudgeCalibration> {
      judgeRun(id);
      return sharedPools().reads.run(calibrationTask, repos.db.name, { judgeRunId: id, query });
    },

    settings,
    updateSettings(datasetId: number, input: JudgeSettingsInput): JudgeSettings {
      const current = settings(datasetId);
      s.saveJudgeSettings({
        datasetId,
        alphaThreshold: input.alphaThreshold ?? current.alphaThreshold,
        minAnswers: input.minAnswers ?? current.minAnswers,
        at: now().toISOString(),
      });
      return s.judgeSettings(datasetId);
    },
  };
}
export type JudgeService = ReturnType<typeof createJudgeService>;
