import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run-cli.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { addDataset } from '../helpers/items.ts';
import { tempDir } from '../helpers/releases.ts';

const benchmarkPath = (name: string) =>
  fileURLToPath(new URL(`../fixtures/benchmarks/${name}`, import.meta.url));

describe('cli import of a benchmark file and release of its share-alike items', { timeout: 30_000 }, () => {
  let t: TestContext;
  let slug: string;
  let releasesDir: string;
  const cli = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    // In-process on the test's database: SQLite's open connection, or PostgreSQL's location (PGlite's is shared
    // on this thread).
    const code = await runCli(
      t.engine === 'sqlite' ? argv : [...argv, '--db', t.location ?? t.repos.location],
      {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        ...(t.engine === 'sqlite' ? { db: t.db } : {}),
        env: { CS_RELEASES_DIR: releasesDir },
      },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeEach(async () => {
    t = await createTestContext();
    slug = (await addDataset(t)).slug;
    releasesDir = tempDir();
    await t.addUser('admin', 'maintainer');
  });

  it('reads a .json file as one JSON document, and publishes under another licence only with --confirm-license', async () => {
    const imported = await cli([
      'import',
      '--username',
      'admin',
      '--dataset',
      slug,
      '--file',
      benchmarkPath('blend-KR.json'),
      '--preset',
      'blend',
      '--defaults',
      '{"language":"Korean","country":"South Korea","primaryCategory":"tradition/food"}',
      '--status',
      'accepted',
      '--commit',
    ]);
    expect(imported.code, imported.err).toBe(0);
    expect(await t.sql('SELECT format FROM imports')).toEqual([{ format: 'json' }]);
    expect(await t.sql('SELECT license FROM items')).toEqual([
      { license: 'cc-by-sa-4.0' },
      { license: 'cc-by-sa-4.0' },
    ]);

    const release = ['release', 'create', '--username', 'admin', '--dataset', slug, '--title', 'BLEnD KR'];
    const refused = await cli([...release, '--version', '1.0.0', '--license', 'cc-by-4.0']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('error: Items under cc-by-sa-4.0 (share-alike)');
    const confirmed = await cli([
      ...release,
      '--version',
      '1.0.0',
      '--license',
      'cc-by-4.0',
      '--confirm-license',
    ]);
    expect(confirmed.code, confirmed.err).toBe(0);
    expect(await t.sql('SELECT state FROM releases')).toEqual([{ state: 'published' }]);
  });
});
