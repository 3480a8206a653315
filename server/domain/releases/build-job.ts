// A release build, run as a job on a job thread (server/jobs): it takes the release's snapshot, writes its
// files, archives them and publishes the release. Started by the release service (service.ts).
//
// Locks: the snapshot is read inside ONE read transaction (readSnapshot) on the job's own connection (WAL: a consistent view
// of the dataset at one moment, taking no lock that blocks writers), while the frozen rows are written into
// release_items on a second connection, one short write transaction per slice of SLICE rows. The release is
// not published meanwhile, so nobody reads those rows; it is published by one tiny UPDATE at the end.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { checkedRecord, releaseProblems } from '../../../exports/index.ts';
import { trialsJsonl, trialsPath } from '../../../exports/trials.ts';
import type { DatasetRecord, ReleaseCounts, ReleaseItem, ReleaseProgress } from '../../../schema/release.ts';
import { openRepositories } from '../../db/open-repositories.ts';
import type { Repositories } from '../../db/repositories.ts';
import { yieldWriteTurn } from '../../db/write-turns.ts';
import type { SelectionFilter } from '../../db/releases.ts';
import { AppError } from '../../errors.ts';
import { remoteHook } from '../../jobs/hook-channel.ts';
import { progressGate, type TaskContext, type WarmUpFn } from '../../jobs/task.ts';
import { fileWriterReady } from './file-writer-client.ts';
import { fsyncDir, releasePaths, tempFolderName, TEMP_NAME } from './paths.ts';
import { counted, releaseSource, removeStagedItems, SLICE } from './snapshot.ts';
import { feed, ReleaseTreeWriter } from './tree-writer.ts';

export interface BuildReleaseInput {
  releaseId: number;
  releasesDir: string;
  /** `snapshot`: take a new snapshot of the selection; `files`: build from the stored (complete) snapshot. */
  mode: 'snapshot' | 'files';
  selection: SelectionFilter;
  /** `<host>:<pid>` that claimed the release: every write checks it still holds it. */
  builder: string;
  /** The channel on which the starting thread runs its ReleaseBuildHook (tests; jobs/hook-channel.ts); null: no hook. */
  hookChannel: string | null;
}

/** The job thread's warm-up (jobs/pool.ts `warm`): the file writer thread started and loaded before the first build. */
export const warmUp: WarmUpFn = fileWriterReady;

/**
 * Removes what a killed build of this release left on disk: its temporary folders, and its own folder (it is
 * not published, so nothing in it was ever served).
 */
function clearLeftovers(home: string) {
  const parent = dirname(home);
  if (existsSync(parent)) {
    for (const entry of readdirSync(parent)) {
      if (TEMP_NAME.exec(entry)?.[1] === basename(home))
        rmSync(join(parent, entry), { recursive: true, force: true });
    }
  }
  rmSync(home, { recursive: true, force: true });
}

/**
 * Reads the selection in ONE read transaction on `reader` and stages it into release_items through `writer`
 * in slices, checking every item (an incomplete one refuses the release) and handing the records to `tree`
 * as they go by, so the snapshot is read once. Returns the counts.
 */
async function takeSnapshot(
  reader: Repositories,
  writer: Repositories,
  input: BuildReleaseInput,
  version: string,
  tree: ReleaseTreeWriter,
  // The job thread's side of the test hook: it blocks until the starting thread's hook ran (or, on that thread,
  // returns the hook's promise).
  hook: (step: string) => void | Promise<void>,
  progress: (p: ReleaseProgress) => void,
): Promise<ReleaseCounts> {
  // Progress of the snapshot is written with each slice; `progress` only tells the starting thread.
  const incomplete: { uid: string; problems: string[] }[] = [];
  const cells = new Map<string, Map<string, number>>(); // language → category → items
  // Records carry the release's licence unless an item has its own (an imported source's).
  const license = (await reader.releases.datasetMeta(input.releaseId)).license;
  let after = '';
  let done = 0;
  await reader.readSnapshot(async () => {
    for (let slice = 1; ; slice++) {
      const page = await reader.releases.selectionPage(input.selection, after, SLICE);
      if (page.length === 0) break;
      const staged = { phase: 'snapshot' as const, done: done + page.length, total: null };
      // The slice and how far the snapshot is, in one short write transaction, after any announced write
      // (a request's) waiting for the lock (db/write-turns.ts).
      yieldWriteTurn();
      await writer.transaction(async () => {
        await writer.releases.stageItems(input.releaseId, page);
        await writer.releases.setProgress(input.releaseId, input.builder, staged);
      });
      const records: DatasetRecord[] = [];
      for (const row of page) {
        const { item, annotation } = JSON.parse(row.snapshot) as ReleaseItem;
        const problems = releaseProblems(item);
        if (problems.length > 0) incomplete.push({ uid: item.uid, problems });
        else if (incomplete.length === 0) records.push(checkedRecord(item, annotation, version, license));
        // The cells of countSelection (the preview), counted from the snapshot itself.
        const category =
          item.kind === 'safety' ? `safety:${item.hazard ?? ''}` : (item.primaryCategory ?? '');
        let row2 = cells.get(item.language);
        if (!row2) cells.set(item.language, (row2 = new Map<string, number>()));
        row2.set(category, (row2.get(category) ?? 0) + 1);
      }
      if (incomplete.length === 0) await tree.addPage(records);
      after = page[page.length - 1].uid;
      done += page.length;
      progress(staged);
      if (input.hookChannel !== null) await hook(`slice:${slice}`);
      if (page.length < SLICE) break;
    }
  });
  if (done === 0) throw new AppError(422, 'empty-release', 'No items match the filter');
  if (incomplete.length > 0) {
    throw new AppError(422, 'incomplete-items', `${incomplete.length} selected items are incomplete`, {
      items: incomplete.slice(0, 100),
      count: incomplete.length,
    });
  }
  const rows = [...cells].flatMap(([language, row]) =>
    [...row].map(([category, n]) => ({ language, category, n })),
  );
  return counted(rows);
}

/**
 * The job: builds release `releaseId` (claimed by `builder` before it was started). Snapshot (or the stored
 * one), files in a temporary folder, archive, rename into place, then publish in one tiny transaction. Any
 * failure removes what it wrote (the staged rows too, unless the snapshot was complete: then the release is
 * built again from it) and marks the release failed with the reason; the error is thrown again.
 */
export async function buildRelease(ctx: TaskContext, input: BuildReleaseInput): Promise<void> {
  const reader = ctx.repos;
  const writer = await openRepositories(ctx.location);
  const remote = remoteHook(input.hookChannel);
  const hook = remote.hook ?? (() => {});
  const id = input.releaseId;
  const due = progressGate();
  const progress = async (p: ReleaseProgress, force = false) => {
    ctx.progress(p);
    if (due(force)) await writer.releases.setProgress(id, input.builder, p);
  };
  const r = (await reader.releases.get(id))!;
  const location = (await reader.releases.location(id))!;
  const paths = releasePaths(
    input.releasesDir,
    location.filesDir,
    (await reader.releases.datasetMeta(id)).slug,
    r.version,
  );
  let temp: string | null = null;
  let tree: ReleaseTreeWriter | null = null;
  let renamed = false;
  let snapshotComplete = input.mode === 'files';
  try {
    clearLeftovers(paths.home);
    if (input.mode === 'snapshot') await removeStagedItems(writer, id);
    temp = join(dirname(paths.home), tempFolderName(paths.home));
    const folder = join(temp, paths.name);
    mkdirSync(folder, { recursive: true });
    const source = await releaseSource(reader, r);
    tree = new ReleaseTreeWriter(folder, source, { archive: true });
    if (input.mode === 'snapshot') {
      await progress({ phase: 'snapshot', done: 0, total: null }, true);
      const counts = await takeSnapshot(reader, writer, input, r.version, tree, hook, ctx.progress);
      if (
        !(await writer.transaction(
          async () => await writer.releases.completeSnapshot(id, input.builder, counts),
        ))
      )
        throw new Error('The release was taken over (marked failed or built) by another process');
      snapshotComplete = true;
      await hook('snapshot');
    } else {
      await progress({ phase: 'files', done: 0, total: r.itemCount }, true);
      let done = 0;
      const pages = source.records();
      await feed(tree, {
        async *[Symbol.asyncIterator]() {
          for await (const page of pages) {
            yield page;
            const before = done;
            done += page.length;
            if (Math.floor(done / SLICE) > Math.floor(before / SLICE))
              await progress({ phase: 'files', done, total: r.itemCount });
          }
        },
      });
    }
    await progress({ phase: 'files', done: r.itemCount, total: r.itemCount }, true);
    // Trials made up to the release's creation, so a rebuild writes the same bytes.
    if (r.includeTrials)
      tree.addFile(trialsPath, trialsJsonl(await reader.trials.forRelease(id, r.createdAt)));
    const files = await tree.finish(hook);
    await hook('files-written');
    await progress({ phase: 'archive', done: 0, total: files.length }, true);
    const archive = await tree.archive(paths.name, files, r.releasedAt, join(temp, paths.archiveName));
    await hook('archived');
    fsyncDir(temp);
    renameSync(temp, paths.home);
    renamed = true;
    fsyncDir(dirname(paths.home));
    await hook('renamed');
    await progress({ phase: 'publish', done: 0, total: null }, true);
    const published = await writer.releases.publish(id, {
      builder: input.builder,
      files,
      archiveName: paths.archiveName,
      archiveSize: archive.size,
      archiveSha256: archive.sha256,
      publishedAt: new Date().toISOString(),
    });
    if (!published) throw new Error('The release was taken over (marked failed or built) by another process');
  } catch (e) {
    tree?.abort();
    if (temp) rmSync(temp, { recursive: true, force: true });
    if (renamed) rmSync(paths.home, { recursive: true, force: true });
    if (!snapshotComplete) await removeStagedItems(writer, id);
    // A refused snapshot (empty, incomplete items) keeps its code and details; anything else is a failed build.
    const refused = e instanceof AppError && e.status === 422;
    const err = refused
      ? e
      : new AppError(
          500,
          'release-build-failed',
          `Building release ${r.version} failed; nothing was published. Build it again.`,
          { release: id },
        );
    const reason = e instanceof Error ? e.message.slice(0, 500) : 'build failed';
    await writer.releases.fail(id, input.builder, reason, err.code, refused ? err.details : null);
    throw err;
  } finally {
    remote.close();
    await writer.close();
  }
}
