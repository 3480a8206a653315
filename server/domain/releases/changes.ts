// What a release would change: the items a filter takes compared with the release the new version would follow,
// counted as CHANGELOG.md counts them (added, removed, changed records). Runs on the `reads` pool's thread: it
// merges two streams in uid order (the selection, frozen as a build would freeze it, and the previous release's
// snapshot), a page at a time, inside one read transaction, so it holds neither release in memory and sees one
// moment of the database.
import { checkedRecord, compareIds, fieldChanges } from '../../../exports/index.ts';
import {
  preReleaseStatuses,
  releasableStatuses,
  type DatasetRecord,
  type ReleaseChanges,
  type ReleaseFilter,
  type ReleaseItem,
} from '../../../schema/release.ts';
import type { SelectionFilter } from '../../db/releases.ts';
import type { Repositories } from '../../db/repositories.ts';
import { notFound } from '../../errors.ts';
import type { TaskContext } from '../../jobs/task.ts';
import { previousRelease } from './previous-release.ts';

const PAGE = 500;

export interface ReleaseChangesInput {
  datasetId: number;
  filter: ReleaseFilter;
  /** The version to be cut, or null to compare with the latest published release. */
  version: string | null;
  /** The licence the new release would carry; null: the previous release's. */
  license: string | null;
}

/** A record for comparison only: `release` is left empty (the diff ignores it), incomplete items are not refused. */
const recordOf = (text: string, license: string): DatasetRecord => {
  const { item, annotation } = JSON.parse(text) as ReleaseItem;
  return checkedRecord(item, annotation, '', license);
};

async function* previousRecords(
  repos: Repositories,
  releaseId: number,
  license: string,
): AsyncGenerator<DatasetRecord> {
  for (let after = ''; ;) {
    const page = await repos.releases.snapshotTexts(releaseId, after, PAGE);
    for (const text of page) {
      const record = recordOf(text, license);
      after = record.id;
      yield record;
    }
    if (page.length < PAGE) return;
  }
}

export async function releaseChanges(
  repos: Repositories,
  input: ReleaseChangesInput,
): Promise<ReleaseChanges> {
  if (!(await repos.datasets.exists(input.datasetId))) throw notFound('Dataset');
  const f: SelectionFilter = {
    ...input.filter,
    datasetId: input.datasetId,
    statuses: input.filter.includeSubmitted ? preReleaseStatuses : releasableStatuses,
  };
  const previous = previousRelease(await repos.releases.list(input.datasetId), input.version);
  if (!previous) {
    const added = (await repos.releases.countSelection(f)).reduce((sum, c) => sum + c.n, 0);
    return { previousVersion: null, added, removed: 0, changed: 0 };
  }
  const counts = { previousVersion: previous.version, added: 0, removed: 0, changed: 0 };
  const license = input.license ?? previous.license;
  const before = previousRecords(repos, previous.id, previous.license);
  let old = await before.next();
  for (let after = ''; ;) {
    const page = await repos.releases.selectionPage(f, after, PAGE);
    for (const row of page) {
      const record = recordOf(row.snapshot, license);
      after = row.uid;
      for (; !old.done && compareIds(old.value.id, record.id) < 0; old = await before.next())
        counts.removed++;
      if (!old.done && old.value.id === record.id) {
        if (fieldChanges(old.value, record).length > 0) counts.changed++;
        old = await before.next();
      } else {
        counts.added++;
      }
    }
    if (page.length < PAGE) break;
  }
  for (; !old.done; old = await before.next()) counts.removed++;
  return counts;
}

/** The task: `releaseChanges` on the task's own connection, in one read transaction (no write lock). */
export function releaseChangesTask(ctx: TaskContext, input: ReleaseChangesInput): Promise<ReleaseChanges> {
  return ctx.repos.readSnapshot(() => releaseChanges(ctx.repos, input));
}
