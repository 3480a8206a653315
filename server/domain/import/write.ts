// Writing a checked import: its new items in hidden slices, the updates of existing items in the final
// transaction (each planned against the item as it is then), what a dry run would do, and the deletion of
// the hidden rows of an import that ended without its commit.
import type { ImportJob } from '../../../schema/import.ts';
import { itemFieldNames, type Item, type ItemFields, type ItemRevision } from '../../../schema/item.ts';
import type { User } from '../../../schema/user.ts';
import type { ImportOutcome, ImportStage, StagedMatch } from '../../db/imports.ts';
import type { Repositories } from '../../db/repositories.ts';
import { yieldWriteTurn } from '../../db/write-turns.ts';

/** While writing, a cancellation is looked for every this many existing items updated. */
const CANCEL_CHECK_ROWS = 500;
/**
 * New items are written this many at a time, each slice its own short write transaction (≈ 10–40 ms here),
 * hidden from every reader until the import's final transaction; the rows of a failed import are deleted
 * as many at a time.
 */
export const WRITE_SLICE = 500;

type Changes = ItemRevision['changes'];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function diff(item: ItemFields, next: ItemFields): Changes {
  const changes: Changes = {};
  for (const f of itemFieldNames) if (!same(item[f], next[f])) changes[f] = [item[f], next[f]];
  return changes;
}

/** What writing one matched row does: update `existing` with `changes` (none: unchanged). */
interface Plan {
  existing: Item;
  changes: Changes;
}

/** Matched rows read per repository call. */
const MATCH_PAGE = 500;

/** The stage's matched rows (see ImportStage.match) in file order, a page at a time. */
async function* matchedPages(stage: ImportStage): AsyncGenerator<StagedMatch[]> {
  for (let after = 0; ;) {
    const page = await stage.matchedPage(after, MATCH_PAGE);
    if (page.length > 0) yield page;
    if (page.length < MATCH_PAGE) return;
    after = page[page.length - 1].row.row;
  }
}

/** Thrown inside a write transaction to roll it back when the job was marked interrupted meanwhile. */
export class JobInterrupted extends Error {}

/** Thrown between batches when a maintainer asked the job to stop (inside the write: rolls it back). */
export class ImportCancelled extends Error {}

/**
 * Deletes the hidden rows of an import that ended without its commit, a slice at a time (they were never
 * visible); the import's flag is cleared with the last slice. Returns how many items were deleted.
 */
export async function deleteHiddenRows(repos: Pick<Repositories, 'imports'>, id: number): Promise<number> {
  let deleted = 0;
  for (let n = -1; n !== 0; deleted += n) {
    yieldWriteTurn();
    n = await repos.imports.deleteHiddenRows(id, WRITE_SLICE);
  }
  return deleted;
}

/** The writing steps of an import (check.ts runs them in order). */
export function importWriter(repos: Repositories) {
  /** Plans a staged row that names an existing item against that item as it is. */
  async function plan(match: StagedMatch, status: ImportJob['status']): Promise<Plan> {
    const existing = (await repos.items.get(match.itemId))!;
    const changes = diff(existing, match.row.fields);
    if (existing.status !== status) changes.status = [existing.status, status];
    return { existing, changes };
  }

  /** What a real import would do, for a dry run. */
  async function count(
    j: ImportJob,
    stage: ImportStage,
  ): Promise<Pick<ImportOutcome, 'created' | 'updated' | 'unchanged'>> {
    const created = await stage.match(j.datasetId);
    let updated = 0;
    let unchanged = 0;
    for await (const page of matchedPages(stage))
      for (const m of page) {
        if (Object.keys((await plan(m, j.status)).changes).length > 0) updated++;
        else unchanged++;
      }
    return { created, updated, unchanged };
  }

  /**
   * Writes the new items of the staged rows — with their `create` revisions and provenance, set-based —
   * in slices of WRITE_SLICE rows, each its own short write transaction that lets announced writes go first
   * (db/write-turns.ts). Each slice marks the import's rows hidden (and stops if this attempt was interrupted):
   * nobody sees them until the final transaction.
   * Returns how many items were created.
   */
  async function writeNew(
    user: User,
    j: ImportJob,
    attempt: number,
    stage: ImportStage,
    stopping: () => Promise<boolean>,
    at: string,
  ) {
    const o = { datasetId: j.datasetId, status: j.status, authorId: user.id, at };
    let created = 0;
    for (let after = 0; ;) {
      if (await stopping()) throw new ImportCancelled();
      yieldWriteTurn();
      const slice = await repos.transaction(async () => {
        if (!(await repos.imports.hide(j.id, attempt))) throw new JobInterrupted();
        return await stage.createNewSlice(after, WRITE_SLICE, o);
      });
      if (slice.last === null) return created;
      created += slice.created;
      after = slice.last;
    }
  }

  /**
   * The final transaction's work: each staged row naming an existing item is planned against that item as
   * it is now and written with its revision and provenance, and let go before the next.
   */
  async function updateExisting(
    user: User,
    j: ImportJob,
    stage: ImportStage,
    stopping: () => Promise<boolean>,
    at: string,
  ): Promise<Pick<ImportOutcome, 'updated' | 'unchanged'>> {
    let updated = 0;
    let unchanged = 0;
    let seen = 0;
    for await (const page of matchedPages(stage))
      for (const m of page) {
        if (++seen % CANCEL_CHECK_ROWS === 0 && (await stopping())) throw new ImportCancelled();
        const { existing, changes } = await plan(m, j.status);
        if (Object.keys(changes).length === 0) {
          await repos.imports.addProvenance(j.id, existing.id, m.row.row, 'unchanged');
          unchanged++;
          continue;
        }
        const statusChanged = existing.status !== j.status;
        const ok = await repos.items.update(existing.id, existing.version, {
          ...m.row.fields,
          ...(statusChanged ? { status: j.status, submittedAt: at } : {}),
          updatedAt: at,
        });
        if (!ok) throw new Error(`item ${existing.id} changed during the import`);
        const snapshot = (await repos.items.get(existing.id))!;
        await repos.items.insertRevision({
          itemId: existing.id,
          version: snapshot.version,
          userId: user.id,
          action: 'update',
          changes,
          snapshot,
          createdAt: at,
        });
        await repos.imports.addProvenance(j.id, existing.id, m.row.row, 'updated');
        updated++;
      }
    return { updated, unchanged };
  }

  return { count, writeNew, updateExisting };
}
