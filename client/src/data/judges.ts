import type {
  CreateJudgeRequest,
  Judge,
  JudgeCalibration,
  JudgeRun,
  JudgeSettings,
  JudgeSettingsInput,
  Judgment,
} from '../../../schema/judge.ts';
import { get, patch, post, withQuery } from './api.ts';

export const listJudges = () => get<Judge[]>('/api/judges');
export const createJudge = (input: CreateJudgeRequest) => post<Judge>('/api/judges', input);
export const listJudgeRuns = () => get<JudgeRun[]>('/api/judge-runs');
export const getJudgeRun = (id: number) => get<JudgeRun>(`/api/judge-runs/${id}`);
/** Starts (or resumes) a judge's run over a model run: a job, answered at once with it running. */
export const startJudgeRun = (judgeId: number, runId: number) =>
  post<JudgeRun>('/api/judge-runs', { judgeId, runId });
export const cancelJudgeRun = (id: number) => post<JudgeRun>(`/api/judge-runs/${id}/cancel`, {});
/** The outputs that could not be read, for audit. */
export const unparseableJudgments = (id: number) =>
  get<Judgment[]>(withQuery(`/api/judge-runs/${id}/judgments`, { unparseable: 1, limit: 50 }));
export const judgeCalibration = (id: number) => get<JudgeCalibration>(`/api/judge-runs/${id}/calibration`);
export const judgeSettings = (datasetId: number) => get<JudgeSettings>(`/api/judge-settings/${datasetId}`);
export const saveJudgeSettings = (datasetId: number, input: JudgeSettingsInput) =>
  patch<JudgeSettings>(`/api/judge-settings/${datasetId}`, input);
