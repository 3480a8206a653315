// A release's snapshot as the writers read it: its frozen items (release_items), a page at a time, and the
// counts and staged rows of a snapshot being taken.
import { compareIds, toRecord } from '../../../exports/index.ts';
import type {
  DatasetRecord,
  Release,
  ReleaseCounts,
  ReleaseItem,
  ReleaseSnapshot,
} from '../../../schema/release.ts';
import type { Repositories } from '../../db/repositories.ts';

/** Frozen items read per query, and records added between two turns of the event loop. */
export const PAGE = 500;
/** Rows per write transaction while a snapshot is staged or removed (a few ms of writing each). */
export const SLICE = 1000;

/** Removes the staged rows of a release whose snapshot is not complete, one short transaction per slice. */
export async function removeStagedItems(repos: Repositories, releaseId: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const n = await repos.transaction(async () => await repos.releases.removeStaged(releaseId, SLICE));
    removed += n;
    if (n < SLICE) return removed;
  }
}

export interface ReleaseSource {
  meta: Omit<ReleaseSnapshot, 'items'>;
  /** Every record, sorted by id, a page (one repository call) at a time. */
  records(): AsyncIterable<DatasetRecord[]>;
  previous: { version: string; records(): AsyncIterable<DatasetRecord[]> } | null;
}

export const counted = (rows: { language: string; category: string; n: number }[]): ReleaseCounts => {
  const cells = rows
    .map((r): [string, string, number] => [r.language, r.category, r.n])
    .sort((a, b) => compareIds(a[0], b[0]) || compareIds(a[1], b[1]));
  return {
    total: cells.reduce((s, c) => s + c[2], 0),
    languages: [...new Set(cells.map((c) => c[0]))].sort(compareIds),
    categories: [...new Set(cells.map((c) => c[1]))].sort(compareIds),
    cells,
  };
};

/** A release's records in uid order, a page at a time. */
async function* recordPages(
  repos: Repositories,
  id: number,
  version: string,
): AsyncGenerator<DatasetRecord[]> {
  const license = (await repos.releases.datasetMeta(id)).license;
  let after = '';
  for (;;) {
    const page = await repos.releases.snapshotTexts(id, after, PAGE);
    const records = page.map((text) => {
      const { item, annotation } = JSON.parse(text) as ReleaseItem;
      after = item.uid;
      return toRecord(item, annotation, version, license);
    });
    if (records.length > 0) yield records;
    if (page.length < PAGE) return;
  }
}

/** The release's snapshot as the writers read it: page by page from release_items (with the previous release's). */
export async function releaseSource(repos: Repositories, r: Release): Promise<ReleaseSource> {
  const prev =
    r.previousVersion === null ? undefined : await repos.releases.byVersion(r.datasetId, r.previousVersion);
  return {
    meta: { dataset: await repos.releases.datasetMeta(r.id), version: r.version, releasedAt: r.releasedAt },
    records: () => recordPages(repos, r.id, r.version),
    previous: prev
      ? { version: prev.version, records: () => recordPages(repos, prev.id, prev.version) }
      : null,
  };
}
