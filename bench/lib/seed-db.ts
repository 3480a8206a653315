// Builds a benchmark database: migrated, default taxonomies, one dataset, an annotator per language,
// a maintainer, and N generated items inserted through the item repository in one transaction.
import { rmSync } from 'node:fs';
import { openDatabase, type Db } from '../../server/db/connection.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createRepositories } from '../../server/db/repositories.ts';
import { createAuthService } from '../../server/domain/auth.ts';
import { hashPassword } from '../../server/domain/passwords.ts';
import { syncDefaultTaxonomies } from '../../server/domain/taxonomies.ts';
import { BENCH_LANGUAGES, generateItem, prng, type BenchCorpus } from './generate.ts';

export interface BenchDb {
  db: Db;
  path: string;
  datasetId: number;
  /** Bearer tokens: the maintainer's, and one annotator's per language. */
  maintainerToken: string;
  annotatorTokens: Map<string, { userId: number; token: string }>;
}

export async function seedBenchDb(path: string, n: number, corpus: BenchCorpus = 'varied'): Promise<BenchDb> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = openDatabase(path);
  migrate(db);
  const repos = createRepositories(db);
  await syncDefaultTaxonomies(repos.taxonomies);
  const auth = createAuthService(repos.users);
  const passwordHash = await hashPassword('bench-password');
  const dataset = await repos.datasets.create({
    slug: 'bench',
    name: 'Benchmark',
    description: '',
    validatorsPerItem: 3,
    autoAccept: true,
  });
  const maintainer = await repos.users.create({
    username: 'bench-admin',
    displayName: 'Bench admin',
    role: 'maintainer',
    languages: [],
    passwordHash,
    uiLocale: 'en',
  });
  const annotatorTokens = new Map<string, { userId: number; token: string }>();
  const authorIds: number[] = [];
  for (const language of BENCH_LANGUAGES) {
    const u = await repos.users.create({
      username: `bench-${language}`,
      displayName: language,
      role: 'annotator',
      languages: [language],
      passwordHash,
      uiLocale: 'en',
    });
    authorIds.push(u.id);
    annotatorTokens.set(language, { userId: u.id, token: (await auth.createToken(u.id, 'bench')).token });
  }
  const rand = prng(7);
  const started = performance.now();
  await repos.transaction(async () => {
    // Languages rotate with i, so author i % languages writes in its own language.
    for (let i = 0; i < n; i++) {
      await repos.items.insert(generateItem(i, rand, dataset.id, authorIds, corpus), { deferIndex: true });
    }
  });
  // The search indexes built set-based once the rows are in, as a bulk load does, then merged as the
  // server's catch-up thread merges them while idle.
  await repos.items.catchUpSearchIndex(n);
  while (await repos.items.mergeSearchIndex(2_000));
  db.pragma('optimize');
  const seconds = (performance.now() - started) / 1000;
  console.log(`seeded ${n} items in ${seconds.toFixed(1)} s into ${path}`);
  return {
    db,
    path,
    datasetId: dataset.id,
    maintainerToken: (await auth.createToken(maintainer.id, 'bench')).token,
    annotatorTokens,
  };
}
