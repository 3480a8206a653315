// Test-only ways to write a release and to read its snapshot whole, over the same code the build uses.
import { closeSync, openSync, readSync } from 'node:fs';
import { assembleArchive, ArchiveMembers, MEMBER } from '../../server/domain/releases/archive.ts';
import { insideDir } from '../../server/domain/releases/paths.ts';
import { feed, ReleaseTreeWriter, type ReleaseBuildHook } from '../../server/domain/releases/tree-writer.ts';
import { PAGE, type ReleaseSource } from '../../server/domain/releases/snapshot.ts';
import type { Repositories } from '../../server/db/repositories.ts';
import type { DatasetRecord, ReleaseFileEntry, ReleaseItem, ReleaseSnapshot } from '../../schema/release.ts';

/** `records` as a release source gives them: pages of `size` (the build's page), one after the other. */
export function recordPages(records: readonly DatasetRecord[], size = PAGE): AsyncIterable<DatasetRecord[]> {
  const pages: DatasetRecord[][] = [];
  for (let i = 0; i < records.length; i += size) pages.push(records.slice(i, i + size));
  return {
    [Symbol.asyncIterator]: () => {
      const each = pages[Symbol.iterator]();
      return { next: () => Promise.resolve(each.next()) };
    },
  };
}

/**
 * Writes every release file under `root` in one pass over the records; returns the files with sizes and
 * hashes, sorted by path. Yields to the event loop every page of records so the server keeps answering.
 */
export async function writeReleaseTree(
  root: string,
  src: ReleaseSource,
  hook: ReleaseBuildHook = () => {},
): Promise<ReleaseFileEntry[]> {
  const tree = new ReleaseTreeWriter(root, src);
  try {
    await feed(tree, src.records());
    return await tree.finish(hook);
  } catch (e) {
    tree.abort();
    throw e;
  }
}

/** A file's archive members, read back from the folder (what the file writer makes as it writes it). */
function compressFile(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const members = new ArchiveMembers();
    const chunk = Buffer.allocUnsafe(MEMBER);
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) members.add(chunk.subarray(0, n));
    return members.finish();
  } finally {
    closeSync(fd);
  }
}

/**
 * A deterministic .tar.gz of the release folder: entries in path order under `<name>/`, fixed mtime (the
 * release date), mode, owner and no user names, so the same release always gives the same archive.
 * Returns its size and SHA-256, taken as it is written.
 */
export async function writeArchive(
  folder: string,
  name: string,
  files: readonly ReleaseFileEntry[],
  releasedAt: string,
  target: string,
): Promise<{ size: number; sha256: string }> {
  return assembleArchive(name, files, releasedAt, (path) => compressFile(insideDir(folder, path)), target);
}

/** Release `id`'s whole snapshot (small releases): what buildReleaseFiles takes. */
export async function snapshotOf(repos: Repositories, id: number): Promise<ReleaseSnapshot> {
  const r = (await repos.releases.get(id))!;
  const items: ReleaseItem[] = [];
  let after = '';
  for (;;) {
    const page = await repos.releases.snapshotPage(id, after, PAGE);
    items.push(...page);
    if (page.length < PAGE) break;
    after = page[page.length - 1].item.uid;
  }
  return {
    dataset: await repos.releases.datasetMeta(id),
    version: r.version,
    releasedAt: r.releasedAt,
    items,
  };
}
