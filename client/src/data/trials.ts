import type { Trial, TrialResult, TrialSettings, TrialSettingsInput } from '../../../schema/trials.ts';
import { get, post, put, type RequestOptions } from './api.ts';

export type { Trial, TrialResult, TrialSettings };

/** The models a dataset offers for "Try on models", and whether a trial is required before submission. */
export const getTrialSettings = (datasetId: number, options?: RequestOptions) =>
  get<TrialSettings>(`/api/trial-settings/${datasetId}`, options);

export const saveTrialSettings = (datasetId: number, input: TrialSettingsInput) =>
  put<TrialSettings>(`/api/trial-settings/${datasetId}`, input);

/** The judges a dataset's safety trials may be read by (maintainers). */
export const listTrialJudges = (options?: RequestOptions) => get<{ id: number; name: string }[]>('/api/judges', options);

/** The item's trials, newest first. */
export const listTrials = (itemId: number, options?: RequestOptions) =>
  get<Trial[]>(`/api/items/${itemId}/trials`, options);

/** Asks the models about the item as saved at `version`. */
export const tryOnModels = (itemId: number, version: number, modelIds: number[]) =>
  post<{ results: TrialResult[] }>(`/api/items/${itemId}/trials`, { version, modelIds });
