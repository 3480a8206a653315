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

  async function judge(id: number): Promise<Judge> {
    const j = await s.getJudge(id);
    if (!j) throw notFound('Judge');
    return j;
  }
  async function judgeRun(id: number): Promise<JudgeRun> {
    const r = await s.getJudgeRun(id);
    if (!r) throw notFound('Judge run');
    return r;
  }
  async function nameFree(name: string, except?: number) {
    const other = await s.judgeByName(name.trim());
    if (other && other.id !== except) throw conflict('judge-exists', `A judge named "${name.trim()}" exists`);
  }
  async function modelExists(id: number) {
    if (!(await s.getModel(id))) throw notFound('Model');
  }
  async function settings(datasetId: number): Promise<JudgeSettings> {
    if (!(await repos.datasets.get(datasetId))) throw notFound('Dataset');
    return await s.judgeSettings(datasetId);
  }

  return {
    judge,
    listJudges: async (): Promise<Judge[]> => await s.listJudges(),

    async createJudge(userId: number, input: CreateJudgeInput): Promise<Judge> {
      await nameFree(input.name);
      await modelExists(input.modelId);
      const id = await s.insertJudge({
        ...input,
        name: input.name.trim(),
        createdBy: userId,
        createdAt: now().toISOString(),
      });
      return judge(id);
    },

    async updateJudge(id: number, changes: UpdateJudgeInput): Promise<Judge> {
      const j = await judge(id);
      if (changes.name !== undefined) await nameFree(changes.name, id);
      if (changes.modelId !== undefined) await modelExists(changes.modelId);
      await s.updateJudge(id, {
        name: (changes.name ?? j.name).trim(),
        modelId: changes.modelId ?? j.modelId,
        rubric: changes.rubric ?? j.rubric,
        temperature: changes.temperature ?? j.temperature,
        maxTokens: changes.maxTokens ?? j.maxTokens,
      });
      return judge(id);
    },

    judgeRun,
    listJudgeRuns: async (filter: { judge?: number; run?: number }): Promise<JudgeRun[]> =>
      await s.listJudgeRuns(filter),
    /** Starts the judge run (made on first start) or resumes it; answers with it running (a job). */
    startRun: (userId: number, input: StartJudgeRunInput): Promise<JudgeRun> =>
      startJudgeRun(repos, userId, input, options),
    cancelRun: (id: number): Promise<JudgeRun> => cancelJudgeRun(repos, id),
    async judgments(
      id: number,
      q: { after: number; limit: number; unparseable: boolean },
    ): Promise<Judgment[]> {
      await judgeRun(id);
      return await s.listJudgments(id, q);
    },
    async calibration(id: number, query: CalibrationQuery): Promise<JudgeCalibration> {
      await judgeRun(id);
      return sharedPools().reads.run(calibrationTask, repos.location, { judgeRunId: id, query });
    },

    settings,
    async updateSettings(datasetId: number, input: JudgeSettingsInput): Promise<JudgeSettings> {
      const current = await settings(datasetId);
      await s.saveJudgeSettings({
        datasetId,
        alphaThreshold: input.alphaThreshold ?? current.alphaThreshold,
        minAnswers: input.minAnswers ?? current.minAnswers,
        at: now().toISOString(),
      });
      return await s.judgeSettings(datasetId);
    },
  };
}
export type JudgeService = ReturnType<typeof createJudgeService>;
