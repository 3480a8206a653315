import compareSemver from 'semver/functions/compare.js';
import incSemver from 'semver/functions/inc.js';
import parseSemver from 'semver/functions/parse.js';
import type {
  CreateReleaseRequest,
  Release,
  ReleaseChanges,
  ReleaseCounts,
  ReleaseFilter,
} from '../../../schema/release.ts';
import { ApiError, get, post, withQuery, type RequestOptions } from './api.ts';

export const listReleases = (datasetId?: number, options?: RequestOptions) =>
  get<Release[]>(withQuery('/api/releases', { dataset: datasetId }), options);
export const previewRelease = (datasetId: number, filter: ReleaseFilter) =>
  post<ReleaseCounts>('/api/releases/preview', { datasetId, filter });
/**
 * Added, removed and changed items against the release `version` would follow (the latest one without it), with
 * the licence the new release would carry (the previous release's without it).
 */
export const previewReleaseChanges = (
  datasetId: number,
  filter: ReleaseFilter,
  options: { version?: string; license?: string } = {},
) => post<ReleaseChanges>('/api/releases/preview/changes', { datasetId, filter, ...options });
export const getRelease = (id: number) => get<Release>(`/api/releases/${id}`);
/** Starts the build (a job on the server): the release comes back `building`; poll it with getRelease. */
export const createRelease = (input: CreateReleaseRequest) => post<Release>('/api/releases', input);
export const buildRelease = (id: number) => post<Release>(`/api/releases/${id}/build`);
export const releaseArchiveUrl = (id: number) => `/api/releases/${id}/archive`;

/** CHANGELOG.md of a published release, as Markdown text (rendered through a sanitiser, never as raw HTML). */
export async function releaseChangelog(id: number): Promise<string> {
  const res = await fetch(`/api/releases/${id}/changelog`, { credentials: 'same-origin' });
  if (!res.ok) throw new ApiError(res.status, 'http-error', `HTTP ${res.status}`);
  return res.text();
}

export type VersionStep = 'first' | 'patch' | 'minor' | 'final' | 'prerelease';

/**
 * Versions to offer for the next release, none of them taken: after the greatest existing version (by semver
 * precedence) its minor and patch steps, or after a pre-release its final version and the next pre-release;
 * 1.0.0 for a first release. The first one is the default.
 */
export function nextVersions(existing: readonly string[]): { step: VersionStep; version: string }[] {
  const latest = existing
    .filter((v) => parseSemver(v) !== null)
    .sort(compareSemver)
    .at(-1);
  if (!latest) return [{ step: 'first', version: '1.0.0' }];
  const pre = parseSemver(latest)!.prerelease.length > 0;
  const steps = pre
    ? ([
        ['final', 'patch'],
        ['prerelease', 'prerelease'],
      ] as const)
    : ([
        ['minor', 'minor'],
        ['patch', 'patch'],
      ] as const);
  return steps.map(([step, release]) => ({ step, version: incSemver(latest, release)! }));
}
