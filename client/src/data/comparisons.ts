import type { HeadlineTable, RunComparison } from '../../../schema/scoring.ts';
import { get, withQuery, type RequestOptions } from './api.ts';

/** Run a against run b on the release: A − B per slice (GET /api/reports/compare). */
export const loadComparison = (releaseId: number, a: number, b: number) =>
  get<RunComparison>(withQuery('/api/reports/compare', { release: releaseId, a, b }));
export const comparisonExportUrl = (releaseId: number, a: number, b: number, format: 'csv' | 'json') =>
  withQuery('/api/reports/compare/export', { release: releaseId, a, b, format });
/** Every model of the release against the best non-sovereign one (GET /api/reports/headline). */
export const loadHeadline = (releaseId: number, options?: RequestOptions) =>
  get<HeadlineTable>(withQuery('/api/reports/headline', { release: releaseId }), options);
