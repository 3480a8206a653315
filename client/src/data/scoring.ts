import type {
  CreateModelRequest,
  CreateRunRequest,
  Model,
  RatingCampaign,
  RatingDisagreement,
  RatingInput,
  RatingTask,
  ReportItem,
  ReviewerRatingInput,
  ResponseImportReport,
  Run,
  ScoringReport,
} from '../../../schema/scoring.ts';
import type { QueueProgress } from '../../../schema/validation.ts';
import { ApiError, del, get, getCsrfToken, NetworkError, post, put, withQuery, type RequestOptions } from './api.ts';

export const listModels = () => get<Model[]>('/api/models');
export const createModel = (input: CreateModelRequest) => post<Model>('/api/models', input);
export const listRuns = (releaseId?: number) => get<Run[]>(withQuery('/api/runs', { release: releaseId }));
export const createRun = (input: CreateRunRequest) => post<Run>('/api/runs', input);
export const getRun = (id: number) => get<Run>(`/api/runs/${id}`);
/** Starts collecting from the model's endpoint (a job): answers at once with the run collecting. */
export const collectRun = (id: number, settings: { concurrency?: number; limit?: number } = {}) =>
  post<Run>(`/api/runs/${id}/collect`, settings);
/** Asks the run's collection to stop after the requests in flight. */
export const cancelCollection = (id: number) => post<Run>(`/api/runs/${id}/cancel`, {});

/**
 * PUT a CSV/JSONL file of responses to a run. A file with problems answers 422 with the report in the error
 * details: that report is returned, not thrown.
 */
export async function uploadResponses(runId: number, file: File, dryRun: boolean): Promise<ResponseImportReport> {
  const jsonl = /\.(jsonl|ndjson)$/i.test(file.name);
  let res: Response;
  try {
    res = await fetch(withQuery(`/api/runs/${runId}/responses`, { dryRun: dryRun ? 1 : 0 }), {
      method: 'PUT',
      headers: {
        'Content-Type': jsonl ? 'application/x-ndjson' : 'text/csv',
        Accept: 'application/json',
        'X-CSRF-Token': getCsrfToken() ?? '',
      },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new NetworkError();
  }
  const data = (await res.json().catch(() => null)) as
    | ResponseImportReport
    | { error: { code: string; message: string; details?: { report?: ResponseImportReport } } }
    | null;
  if (res.ok) return data as ResponseImportReport;
  const error = data && 'error' in data ? data.error : null;
  if (error?.details?.report) return error.details.report;
  throw new ApiError(res.status, error?.code ?? 'http-error', error?.message ?? `HTTP ${res.status}`);
}

export const listCampaigns = () => get<RatingCampaign[]>('/api/rating/campaigns');
export const createCampaign = (input: { releaseId: number; name: string; ratersPerResponse: number }) =>
  post<RatingCampaign>('/api/rating/campaigns', input);
export const nextRatingTask = (campaignId: number) =>
  post<{ task: RatingTask | null; progress: QueueProgress }>(`/api/rating/campaigns/${campaignId}/next`);
export const submitRating = (taskId: number, input: RatingInput) =>
  post<RatingTask>(`/api/rating/tasks/${taskId}/submit`, input);
export const giveBackRatingTask = (taskId: number) => del(`/api/rating/tasks/${taskId}`);
/** Answers of a campaign whose raters disagree, not yet resolved, in the caller's languages (reviewers). */
export const ratingDisagreements = (campaignId: number, options?: RequestOptions) =>
  get<RatingDisagreement[]>(`/api/rating/campaigns/${campaignId}/disagreements`, options);
export const setReviewerRating = (responseId: number, input: ReviewerRatingInput) =>
  put<void>(`/api/rating/responses/${responseId}/reviewer-rating`, input);

/** The report; with `judge`, the answers no person rated are scored by that judge in its trusted slices. */
export const loadReport = (releaseId: number, options?: RequestOptions, judge?: number) =>
  get<ScoringReport>(withQuery('/api/reports', { release: releaseId, judge }), options);
export const reportItems = (releaseId: number, after = '') =>
  get<{ items: ReportItem[]; next: string | null }>(withQuery('/api/reports/items', { release: releaseId, after }));
export const reportExportUrl = (releaseId: number, format: 'csv' | 'json', judge?: number) =>
  withQuery('/api/reports/export', { release: releaseId, format, judge });
