// Pushes a published release to a Hugging Face Hub dataset repository with @huggingface/hub: every file of the
// release (checked against the hashes recorded at publication) in ONE commit titled with the version, files of
// an earlier push that this release no longer has deleted in the same commit, then a tag equal to the version
// on that commit. The token comes from the server's environment (CS_HF_TOKEN) and goes only into the
// Authorization header of requests to the operator's Hub endpoint (CS_HF_ENDPOINT): never logged, returned or
// stored.
import {
  commit,
  createRepo,
  HubApiError,
  listFiles,
  repoExists,
  type CommitOperation,
} from '@huggingface/hub';
import type { HubPushInput, HubPushResult } from '../../schema/hub.ts';
import type { Release } from '../../schema/release.ts';
import type { User } from '../../schema/user.ts';
import { AppError, conflict } from '../errors.ts';
import type { ReleaseService } from './releases/service.ts';

export interface HubSettings {
  /** The Hub's base URL, set by the operator (CS_HF_ENDPOINT; https://huggingface.co by default). */
  endpoint: string;
  /** A write token (CS_HF_TOKEN), or null when none is configured. */
  token: string | null;
  /** The fetch every request goes through (tests pass one bound to a local stand-in of the Hub). */
  fetch?: typeof fetch;
}

/** A file of the release: its path in the release and its bytes, checked against the recorded SHA-256. */
export interface HubFile {
  path: string;
  read(): Promise<Buffer>;
}

/** Files the Hub keeps in a repository itself: never deleted by a push. */
const HUB_OWN_FILES = new Set(['.gitattributes']);

export const hubCommitTitle = (version: string) => `Release ${version}`;

/** The Hub's answer as an AppError: its status and message, with the token (should it ever echo it) removed. */
function hubFailure(e: unknown, token: string, step: string): AppError {
  const scrub = (s: string) => s.split(token).join('[token]');
  if (e instanceof HubApiError) {
    return new AppError(502, 'hub-push-failed', scrub(`The Hub refused ${step}: ${e.message}`), {
      step,
      hubStatus: e.statusCode,
    });
  }
  const reason = e instanceof Error ? e.message : String(e);
  return new AppError(502, 'hub-push-failed', scrub(`Could not reach the Hub (${step}): ${reason}`), {
    step,
  });
}

export function requireHub(settings: HubSettings): string {
  if (!settings.token)
    throw conflict(
      'hub-not-configured',
      'Pushing to the Hugging Face Hub needs a write token: set CS_HF_TOKEN on the server',
    );
  return settings.token;
}

/**
 * Pushes `release` (published; its `files`) to the dataset repository `input.repo`, creating it (public or
 * private) if it does not exist. Refuses with 409 `hub-tag-exists` when the repository already has a tag equal
 * to the version (nothing is written); any refusal of the Hub is 502 `hub-push-failed` with the Hub's message.
 */
export async function pushReleaseToHub(
  settings: HubSettings,
  release: Release,
  files: readonly HubFile[],
  input: HubPushInput,
): Promise<HubPushResult> {
  const accessToken = requireHub(settings);
  if (release.state !== 'published')
    throw conflict('release-not-published', 'Only a published release can be pushed to the Hub');
  const hubUrl = settings.endpoint.replace(/\/+$/, '');
  const doFetch = settings.fetch ?? fetch;
  const repo = { type: 'dataset' as const, name: input.repo };
  const common = { repo, hubUrl, accessToken, fetch: doFetch };
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      throw e instanceof AppError ? e : hubFailure(e, accessToken, name);
    }
  };

  const exists = await step('the repository lookup', () => repoExists(common));
  const present: string[] = [];
  if (exists) {
    const tags = await step('the tag list', async () => {
      const res = await doFetch(`${hubUrl}/api/datasets/${input.repo}/refs`, {
        headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
      });
      if (!res.ok) throw new HubApiError(res.url, res.status, undefined, `HTTP ${res.status}`);
      const refs = (await res.json()) as { tags?: { name: string }[] };
      return (refs.tags ?? []).map((t) => t.name);
    });
    if (tags.includes(release.version))
      throw conflict(
        'hub-tag-exists',
        `${input.repo} already has a tag ${release.version}: a release is pushed once (a correction is a new version)`,
        { repo: input.repo, tag: release.version },
      );
    await step('the file list', async () => {
      for await (const entry of listFiles({ ...common, recursive: true })) {
        if (entry.type === 'file') present.push(entry.path);
      }
    });
  } else {
    await step('creating the repository', () => createRepo({ ...common, private: input.private }));
  }

  const paths = new Set(files.map((f) => f.path));
  const deleted = present.filter((p) => !paths.has(p) && !HUB_OWN_FILES.has(p)).sort();
  // Read (and checked) before anything is sent: a damaged release file stops the push before the commit.
  const operations: CommitOperation[] = [];
  for (const f of files)
    operations.push({
      operation: 'addOrUpdate',
      path: f.path,
      content: new Blob([new Uint8Array(await f.read())]),
    });
  operations.push(...deleted.map((path): CommitOperation => ({ operation: 'delete', path })));
  const title = hubCommitTitle(release.version);
  const made = await step('the commit', () =>
    commit({
      ...common,
      title,
      description: `${release.title}: ${release.itemCount} items, released ${release.releasedAt}.`,
      operations,
    }),
  );
  const oid = made?.commit.oid;
  if (!oid) throw hubFailure(new Error('the commit answer has no commit id'), accessToken, 'the commit');
  await step('the tag', async () => {
    const res = await doFetch(`${hubUrl}/api/datasets/${input.repo}/tag/${encodeURIComponent(oid)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ tag: release.version, message: title }),
    });
    if (!res.ok) throw new HubApiError(res.url, res.status, undefined, `HTTP ${res.status}`);
  });
  return {
    repo: input.repo,
    url: `${hubUrl}/datasets/${input.repo}`,
    created: !exists,
    commit: { oid, title },
    tag: release.version,
    uploaded: files.length,
    deleted,
  };
}

/** The files of a published release as `reader` may read them, each checked against its recorded SHA-256 when read. */
export function releaseHubFiles(
  releases: Pick<ReleaseService, 'file'>,
  reader: User,
  release: Release,
): HubFile[] {
  return release.files.map((f) => ({ path: f.path, read: () => releases.file(reader, release.id, f.path) }));
}

/** Hub pushes as the API offers them: `settings` default to huggingface.co without a token (refused until one is set). */
export function createHubService(
  releases: Pick<ReleaseService, 'get' | 'file'>,
  settings: HubSettings = { endpoint: 'https://huggingface.co', token: null },
) {
  return {
    /** Pushes release `id` as `user` reads it (maintainers: every published release). */
    async push(user: User, id: number, input: HubPushInput): Promise<HubPushResult> {
      const release = await releases.get(id);
      return pushReleaseToHub(settings, release, releaseHubFiles(releases, user, release), input);
    },
  };
}
export type HubService = ReturnType<typeof createHubService>;
