// The release service: registers releases, runs their builds as jobs, serves a published release's files.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ReadStream } from 'node:fs';
import {
  preReleaseStatuses,
  releasableStatuses,
  type CreateReleaseInput,
  type Release,
  type ReleaseChanges,
  type ReleaseCounts,
  type ReleaseFilter,
} from '../../../schema/release.ts';
import type { User } from '../../../schema/user.ts';
import type { SelectionFilter } from '../../db/releases.ts';
import type { Repositories } from '../../db/repositories.ts';
import { shareAlikeConflicts } from '../../../exports/licenses.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { openHookChannel } from '../../jobs/hook-channel.ts';
import { sharedPools } from '../../jobs/pool.ts';
import { taskRef } from '../../jobs/task.ts';
import { readableRelease } from './access.ts';
import type * as buildTasks from './build-job.ts';
import type * as changesTasks from './changes.ts';
import { unregisteredInstance, type AppInstance } from '../instances.ts';
import { builderAlive, building } from './builders.ts';
import { insideDir, newFilesDir, releasePaths } from './paths.ts';
import { previousRelease } from './previous-release.ts';
import { counted } from './snapshot.ts';
import type { ReleaseBuildHook } from './tree-writer.ts';

export type { ReleaseBuildHook } from './tree-writer.ts';

export interface ReleaseServiceOptions {
  releasesDir: string;
  /** The app instance that owns this service's builds (default: one never registered, as in tests and tools). */
  instance?: AppInstance;
  hook?: ReleaseBuildHook;
  /** Where damaged release files are reported (the app's log; default console.error). */
  log?: (message: string, err: unknown) => void;
}

/** A file of a published release whose bytes were checked against the SHA-256 recorded at publication. */
export interface VerifiedArchive {
  name: string;
  size: number;
  /** The checked bytes, read from the file handle they were checked on (a later swap on disk cannot reach them). */
  stream: ReadStream;
}

const buildReleaseTask = taskRef<typeof buildTasks.buildRelease>(
  new URL('./build-job.ts', import.meta.url),
  'buildRelease',
);
const changesTask = taskRef<typeof changesTasks.releaseChangesTask>(
  new URL('./changes.ts', import.meta.url),
  'releaseChangesTask',
);

export function createReleaseService(repos: Repositories, options: ReleaseServiceOptions) {
  const log = options.log ?? ((m: string, e: unknown) => console.error(m, e));
  const instance = options.instance ?? unregisteredInstance(repos.instances);
  const builder = instance.id;
  const today = () => new Date().toISOString().slice(0, 10);

  async function release(id: number): Promise<Release> {
    const r = await repos.releases.get(id);
    if (!r) throw notFound('Release');
    return r;
  }

  const selection = (datasetId: number, filter: ReleaseFilter): SelectionFilter => ({
    ...filter,
    datasetId,
    statuses: filter.includeSubmitted ? preReleaseStatuses : releasableStatuses,
  });

  /** A release's paths, from the folder and slug frozen with it (never the dataset's current slug). */
  async function pathsOf(r: Release) {
    const location = await repos.releases.location(r.id);
    if (!location) throw notFound('Release');
    return releasePaths(
      options.releasesDir,
      location.filesDir,
      (await repos.releases.datasetMeta(r.id)).slug,
      r.version,
    );
  }

  /** A published release's file that is missing or differs from its record: logged loudly, never served. */
  function corrupt(r: Release, what: string, path: string, problem: string): AppError {
    const err = new AppError(
      500,
      'release-corrupt',
      `The ${what} of release ${r.version} does not match what was published, so it is not served. An operator must restore the release's files.`,
      { release: r.id },
    );
    log(`RELEASE CORRUPT: release ${r.id} (${r.version}) ${what} at ${path}: ${problem}`, err);
    return err;
  }

  function published(r: Release): NonNullable<Release['archive']> {
    if (r.state !== 'published' || !r.archive)
      throw conflict('release-not-published', 'The release is not published yet');
    return r.archive;
  }

  /**
   * Runs release `id`'s build as a job on the jobs pool (claimed by this process, marked in `building`);
   * settles when the job ends (rejects with its error). A job thread that dies marks the release failed.
   */
  async function runBuild(id: number, mode: 'snapshot' | 'files'): Promise<Release> {
    const r = await release(id);
    building.add(id);
    const channel = openHookChannel('cs-release-build', options.hook);
    const job = sharedPools()
      .jobs.run(buildReleaseTask, repos.location, {
        releaseId: id,
        releasesDir: options.releasesDir,
        mode,
        selection: selection(r.datasetId, r.filter),
        builder,
        hookChannel: channel?.name ?? null,
      })
      .catch(async (e: unknown) => {
        if (!(e instanceof AppError)) {
          const reason = e instanceof Error ? e.message.slice(0, 500) : 'build failed';
          await repos.releases.fail(id, builder, reason, 'release-build-failed');
          log(`Release ${r.version} (id ${id}): the build job failed`, e);
          throw new AppError(
            500,
            'release-build-failed',
            `Building release ${r.version} failed; nothing was published. Build it again.`,
            { release: id },
          );
        }
        throw e;
      })
      .finally(() => {
        building.delete(id);
        channel?.close();
      });
    return job.then(() => release(id));
  }

  /** Started in the background: the caller answers with the release in state `building`; GET polls it. */
  function inBackground(job: Promise<Release>) {
    job.catch(() => {}); // the job marked the release failed, with the reason, for whoever polls it
  }

  /** Claims an unpublished release for a new build (after a failed or killed build). */
  async function claimBuild(id: number): Promise<'snapshot' | 'files'> {
    const r = await release(id);
    if (r.state === 'published')
      throw conflict('release-published', `Release ${r.version} is published and never changes`);
    const { builder: holder, snapshotComplete } = (await repos.releases.location(id))!;
    if (building.has(id) || (r.state === 'building' && (await builderAlive(instance, holder, id))))
      throw conflict('release-building', `Release ${r.version} is being built`);
    // Claimed before anything on disk is touched: a release published meanwhile by another process keeps its files.
    if (!(await repos.releases.claim(id, builder)))
      throw conflict('release-published', `Release ${r.version} is published and never changes`);
    return snapshotComplete ? 'files' : 'snapshot';
  }

  /**
   * Registers the release (state `building`) in one tiny transaction. A version that exists is 409 (a
   * correction is a new version), unless it is a failed release that never had a complete snapshot (refused
   * as incomplete, or killed while staging): nothing of it was ever published, so it gives way.
   */
  async function register(user: User, input: CreateReleaseInput): Promise<number> {
    const dataset = (await repos.datasets.list()).find((d) => d.id === input.datasetId);
    if (!dataset) {
      throw new AppError(400, 'invalid-input', 'Invalid body', {
        issues: [{ path: 'datasetId', code: 'unknown-dataset', message: `No dataset ${input.datasetId}` }],
      });
    }
    const filesDir = newFilesDir(dataset.slug, input.version);
    releasePaths(options.releasesDir, filesDir, dataset.slug, input.version);
    const f = selection(input.datasetId, input.filter);
    const shareAlike = shareAlikeConflicts(input.license, await repos.releases.selectionLicenses(f));
    if (shareAlike.length > 0 && !input.confirmLicense) {
      throw conflict(
        'license-conflict',
        `Items under ${shareAlike.join(', ')} (share-alike) may only be shared under the same licence, not ` +
          `${input.license}. Release under ${shareAlike.join(' or ')}, leave those items out, or confirm ` +
          '(confirmLicense: true) that you may publish them under this licence.',
        { license: input.license, shareAlike },
      );
    }
    return repos.transaction(async () => {
      const existing = await repos.releases.byVersion(input.datasetId, input.version);
      if (existing) {
        const at = (await repos.releases.location(existing.id))!;
        const unfinished = existing.state === 'failed' && !at.snapshotComplete;
        if (!unfinished || !(await repos.releases.removeUnfinished(existing.id))) {
          throw conflict('release-exists', `Release ${input.version} exists; a correction is a new version`, {
            release: existing,
          });
        }
      }
      if (!(await repos.releases.selects(f)))
        throw new AppError(422, 'empty-release', 'No items match the filter');
      const previous = previousRelease(await repos.releases.list(input.datasetId), input.version);
      return await repos.releases.insert({
        datasetId: input.datasetId,
        version: input.version,
        title: input.title,
        notes: input.notes,
        filter: input.filter,
        datasetMeta: {
          slug: dataset.slug,
          name: dataset.name,
          description: dataset.description,
          license: input.license,
          url: input.url,
        },
        releasedAt: today(),
        previousId: previous?.id ?? null,
        includeTrials: input.includeTrials ?? false,
        createdBy: user.id,
        createdAt: new Date().toISOString(),
        filesDir,
        builder,
      });
    });
  }

  return {
    list: async (datasetId?: number): Promise<Release[]> => await repos.releases.list(datasetId),
    get: release,

    async preview(datasetId: number, filter: ReleaseFilter): Promise<ReleaseCounts> {
      if (!(await repos.datasets.exists(datasetId))) throw notFound('Dataset');
      return counted(await repos.releases.countSelection(selection(datasetId, filter)));
    },

    /**
     * What the release would change since the one it follows (CHANGELOG.md's counts), computed on the `reads`
     * pool's thread: it freezes and compares every selected item.
     */
    changes: (input: changesTasks.ReleaseChangesInput): Promise<ReleaseChanges> =>
      sharedPools().reads.run(changesTask, repos.location, input),

    /**
     * Registers the release and starts its build as a job; answers at once with the release in state
     * `building` (its progress and result are polled with `get`).
     */
    async create(user: User, input: CreateReleaseInput): Promise<Release> {
      const id = await register(user, input);
      inBackground(runBuild(id, 'snapshot'));
      return release(id);
    },

    /** The same build, waited for (the CLI, the demo): the published release, or the build's error. */
    async createAndWait(user: User, input: CreateReleaseInput): Promise<Release> {
      return runBuild(await register(user, input), 'snapshot');
    },

    /**
     * Builds an unpublished release again (after a failed or killed build) as a job: from its stored snapshot
     * when it is complete, else from a new one. Answers at once with the release in state `building`.
     */
    async build(id: number): Promise<Release> {
      inBackground(runBuild(id, await claimBuild(id)));
      return release(id);
    },

    /** The same, waited for. */
    buildAndWait: async (id: number): Promise<Release> => runBuild(id, await claimBuild(id)),

    /**
     * The archive of a published release for `reader` (404 if they may not read it), checked against the
     * size and SHA-256 recorded at publication before a byte is served.
     */
    async archive(reader: User, id: number): Promise<VerifiedArchive> {
      const r = await readableRelease(repos, reader, id);
      const recorded = published(r);
      const path = (await pathsOf(r)).archive;
      let handle;
      try {
        handle = await open(path, 'r');
      } catch (e) {
        throw corrupt(
          r,
          'archive',
          path,
          `cannot be opened (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
        );
      }
      try {
        const hash = createHash('sha256');
        const chunk = Buffer.allocUnsafe(1 << 20);
        let size = 0;
        for (;;) {
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, size);
          if (bytesRead === 0) break;
          hash.update(chunk.subarray(0, bytesRead));
          size += bytesRead;
        }
        const sha256 = hash.digest('hex');
        if (sha256 !== recorded.sha256 || size !== recorded.size)
          throw corrupt(
            r,
            'archive',
            path,
            `sha256 ${sha256} (${size} bytes), published ${recorded.sha256} (${recorded.size} bytes)`,
          );
        return { name: recorded.name, size, stream: handle.createReadStream({ start: 0 }) };
      } catch (e) {
        await handle.close();
        throw e;
      }
    },

    /**
     * A file of a published release (CHANGELOG.md, README.md…) for `reader` (404 if they may not read it),
     * by its path in the release, checked against the SHA-256 recorded at publication.
     */
    async file(reader: User, id: number, path: string): Promise<Buffer> {
      const r = await readableRelease(repos, reader, id);
      const entry = r.files.find((f) => f.path === path);
      if (r.state !== 'published' || !entry) throw notFound('Release file');
      const full = insideDir((await pathsOf(r)).folder, path);
      let bytes: Buffer;
      try {
        bytes = readFileSync(full);
      } catch (e) {
        throw corrupt(r, path, full, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (sha256 !== entry.sha256)
        throw corrupt(r, path, full, `sha256 ${sha256}, published ${entry.sha256}`);
      return bytes;
    },
  };
}
export type ReleaseService = ReturnType<typeof createReleaseService>;
