import type { CreateReleaseRequest, Release, ReleaseCounts, ReleaseFilter } from '../../../schema/release.ts';
import { ApiError, get, post, withQuery } from './api.ts';

export const listReleases = (datasetId?: number) => get<Release[]>(withQuery('/api/releases', { dataset: datasetId }));
export const previewRelease = (datasetId: number, filter: ReleaseFilter) =>
  post<ReleaseCounts>('/api/releases/preview', { datasetId, filter });
export const getRelease = (id: number) => get<Release>(`/api/releases/${id}`);
/** Starts the build (a job on the server): the release comes back `building`; poll it with getRelease. */
export const createRelease = (input: CreateReleaseRequest) => post<Release>('/api/releases', input);
export const buildRelease = (id: number) => post<Release>(`/api/releases/${id}/build`);
export const releaseArchiveUrl = (id: number) => `/api/releases/${id}/archive`;

/** CHANGELOG.md of a published release, as text (shown as text, never as HTML). */
export async function releaseChangelog(id: number): Promise<string> {
  const res = await fetch(`/api/releases/${id}/changelog`, { credentials: 'same-origin' });
  if (!res.ok) throw new ApiError(res.status, 'http-error', `HTTP ${res.status}`);
  return res.text();
}
