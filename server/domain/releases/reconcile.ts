// Start-up: what builds of stopped processes left behind.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Repositories } from '../../db/repositories.ts';
import { defaultStaleBefore } from '../instances.ts';
import { insideDir, TEMP_NAME, TEMP_PREFIX } from './paths.ts';
import { removeStagedItems } from './snapshot.ts';

/**
 * Called once when the server starts, before it serves anything. A release left `building` by a process
 * that is gone (killed mid-build, or after its files were renamed into place but before the row was marked
 * published) is marked failed, with the reason, and its folder emptied: a maintainer builds it again from
 * its stored snapshot (POST /api/releases/:id/build), nothing is rebuilt behind their back. Temporary build
 * folders (`.building-*`) of stopped builds are removed. Builds that a live app instance is still running (the
 * CLI, another server: its heartbeat seen at or after `since`, server/domain/instances.ts) are left alone.
 * Returns lines to print.
 */
export async function reconcileReleases(
  repos: Repositories,
  releasesDir: string,
  since: string = defaultStaleBefore(),
): Promise<string[]> {
  const lines: string[] = [];
  const live = new Set<string>();
  for (const r of await repos.releases.unpublished()) {
    if (r.state === 'building' && r.builder !== null && (await repos.instances.alive(r.builder, since))) {
      live.add(r.filesDir);
      continue;
    }
    if (r.state === 'building') {
      const reason = `The process building it (${r.builder ?? 'unknown'}) stopped before it was published; build it again`;
      if (await repos.releases.fail(r.id, r.builder, reason, 'release-build-failed'))
        lines.push(
          `Release ${r.version} (id ${r.id}) was left building by a stopped process: marked failed; build it again.`,
        );
    }
    // Rows staged by a build killed before its snapshot was complete: never visible, removed in short slices.
    if (!r.snapshotComplete) {
      const removed = await removeStagedItems(repos, r.id);
      if (removed > 0)
        lines.push(
          `Release ${r.version} (id ${r.id}): removed ${removed} staged item(s) of an unfinished snapshot.`,
        );
    }
    // Not published, so nothing in its folder was ever served: whatever is there, a killed build left.
    rmSync(insideDir(releasesDir, ...r.filesDir.split('/')), { recursive: true, force: true });
  }
  if (!existsSync(releasesDir)) return lines;
  let removed = 0;
  for (const parent of readdirSync(releasesDir, { withFileTypes: true })) {
    if (!parent.isDirectory()) continue;
    for (const entry of readdirSync(join(releasesDir, parent.name))) {
      if (!entry.startsWith(TEMP_PREFIX)) continue;
      const owner = TEMP_NAME.exec(entry)?.[1];
      if (owner !== undefined && live.has(`${parent.name}/${owner}`)) continue;
      rmSync(join(releasesDir, parent.name, entry), { recursive: true, force: true });
      removed++;
    }
  }
  if (removed > 0) lines.push(`Removed ${removed} unfinished release build folder(s) of stopped processes.`);
  return lines;
}
