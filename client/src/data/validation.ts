import type { Item, UpdateItemInput } from '../../../schema/item.ts';
import type {
  ReviewView,
  AgreementReport,
  Decision,
  GoldInput,
  GoldItem,
  MyValidationStats,
  NextTaskResult,
  OwnAnswer,
  ReviewDecision,
  ReviewQueuePage,
  ValidationTask,
  ValidationInput,
} from '../../../schema/validation.ts';
import { del, get, patch, post, put, withQuery, type RequestOptions } from './api.ts';

export const nextTask = (dataset?: number) => post<NextTaskResult>(withQuery('/api/tasks/next', { dataset }));

export const answerTask = (id: number, ownAnswer: OwnAnswer) => post<ValidationTask>(`/api/tasks/${id}/answer`, { ownAnswer });

export const submitTask = (id: number, input: ValidationInput) => post<ValidationTask>(`/api/tasks/${id}/submit`, input);

export const giveBackTask = (id: number) => del(`/api/tasks/${id}`);

export const myValidationStats = () => get<MyValidationStats>('/api/tasks/stats');

export const reviewQueue = (
  query: { dataset?: number; language?: string; page?: number; pageSize?: number },
  options?: RequestOptions,
) =>
  get<ReviewQueuePage>(withQuery('/api/review/queue', query), options);

export const getReviewView = (id: number, options?: RequestOptions) =>
  get<ReviewView>(`/api/review/items/${id}`, options);

export const reviseItem = (id: number, input: UpdateItemInput) => patch<Item>(`/api/review/items/${id}`, input);

export const decide = (id: number, version: number, decision: Decision, message: string | null) =>
  post<Item>(`/api/review/items/${id}/decision`, { version, decision, message });

export const itemDecisions = (id: number) => get<ReviewDecision[]>(`/api/items/${id}/decisions`);

export const agreementReport = (dataset: number, language?: string, options?: RequestOptions) =>
  get<AgreementReport>(withQuery('/api/agreement', { dataset, language }), options);

export const agreementCsvUrl = (dataset: number, table: string, language?: string) =>
  withQuery('/api/agreement/export', { dataset, table, language });

/** Gold items of a dataset: known answers mixed into validation to measure validators (maintainers). */
export const listGold = (dataset: number, options?: RequestOptions) =>
  get<GoldItem[]>(withQuery('/api/gold', { dataset }), options);
export const setGold = (itemId: number, input: GoldInput) => put<GoldItem>(`/api/gold/${itemId}`, input);
export const removeGold = (itemId: number) => del(`/api/gold/${itemId}`);
