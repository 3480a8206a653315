// A benchmark database with a published release of N accepted items, made through the release repository's
// snapshot statement (no release files: scoring reads the snapshot only).
import { openDatabase, type Db } from '../../server/db/connection.ts';
import { createRepositories } from '../../server/db/repositories.ts';
import { seedBenchDb } from './seed-db.ts';

export async function benchRelease(
  path: string,
  n: number,
): Promise<{ db: Db; releaseId: number; userId: number }> {
  const seeded = await seedBenchDb(path, n);
  seeded.db.close();
  const db = openDatabase(path);
  db.prepare("UPDATE items SET status = 'accepted'").run();
  const repos = createRepositories(db);
  const userId = (await repos.users.list()).find((u) => u.role === 'maintainer')!.id;
  const releaseId = await repos.transaction(async () => {
    const at = new Date().toISOString();
    const id = await repos.releases.insert({
      datasetId: seeded.datasetId,
      version: '1.0.0',
      title: 'bench',
      notes: '',
      filter: { languages: [], kinds: [], categories: [], includeSubmitted: false },
      datasetMeta: { slug: 'bench', name: 'Benchmark', description: '', license: 'cc-by-4.0', url: null },
      releasedAt: at.slice(0, 10),
      previousId: null,
      createdBy: userId,
      createdAt: at,
      // A release with no files: only its snapshot is used.
      filesDir: 'bench/1.0.0~nofiles',
      builder: 'fixture',
    });
    const count = await repos.releases.insertSnapshot(id, {
      datasetId: seeded.datasetId,
      statuses: ['accepted'],
      languages: [],
      kinds: [],
      categories: [],
      includeSubmitted: false,
    });
    await repos.releases.setCounts(id, count, { total: count, languages: [], categories: [], cells: [] });
    await repos.releases.publish(id, {
      builder: 'fixture',
      files: [],
      archiveName: 'none',
      archiveSize: 0,
      archiveSha256: '',
      publishedAt: at,
    });
    return id;
  });
  return { db, releaseId, userId };
}
