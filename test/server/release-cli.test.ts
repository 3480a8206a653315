import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run-cli.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { addDataset } from '../helpers/items.ts';
import { readArchive, tempDir } from '../helpers/releases.ts';

const fixturePath = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

describe('cli import and release', () => {
  let t: TestContext;
  let slug: string;
  let releasesDir: string;

  const cli = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    // In-process, on the test's database whichever engine it is (PGlite's in-memory one is shared by location).
    const code = await runCli([...argv, '--db', t.location ?? t.repos.location], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { CS_RELEASES_DIR: releasesDir },
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const count = async () => (await t.sql<{ n: number }>('SELECT count(*) AS n FROM items'))[0].n;

  beforeEach(async () => {
    t = await createTestContext();
    slug = (await addDataset(t)).slug;
    releasesDir = tempDir();
    await t.addUser('admin', 'maintainer');
    await t.addUser('ann', 'annotator', ['ko']);
  });

  it('dry-runs an import by default, imports with --commit, and re-imports idempotently', async () => {
    const args = ['import', '--username', 'admin', '--dataset', slug, '--file', fixturePath('native.csv')];
    const dry = await cli(args);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('Would create 5');
    expect(await count()).toBe(0);

    const real = await cli([...args, '--commit', '--status', 'accepted']);
    expect(real.code, real.err).toBe(0);
    expect(real.out).toContain('Created 5');
    expect(await count()).toBe(5);
    expect((await cli([...args, '--commit', '--status', 'accepted'])).out).toContain('unchanged 5');
    expect(await count()).toBe(5);
  });

  it('reads JSONL with a preset, from the file extension', async () => {
    const r = await cli([
      'import',
      '--username',
      'admin',
      '--dataset',
      slug,
      '--file',
      fixturePath('blend.jsonl'),
      '--preset',
      'blend',
      '--commit',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(await count()).toBe(2);
  });

  it('prints every problem of a bad file with row, line and column, exits 1 and writes nothing', async () => {
    const file = join(tempDir(), 'bad.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'externalId,language,kind,format,question\nx,ko_!,culture,open_ended,q\n');
    const r = await cli(['import', '--username', 'admin', '--dataset', slug, '--file', file, '--commit']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('row 1, line 2, column language: invalid-language');
    expect(r.err).toContain('nothing was imported');
    expect(await count()).toBe(0);
  });

  it('refuses an import or a release by someone who is not a maintainer', async () => {
    const r = await cli([
      'import',
      '--username',
      'ann',
      '--dataset',
      slug,
      '--file',
      fixturePath('native.csv'),
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not an active maintainer');
  });

  it('creates, lists and downloads a release', async () => {
    await cli([
      'import',
      '--username',
      'admin',
      '--dataset',
      slug,
      '--file',
      fixturePath('native.csv'),
      '--commit',
      '--status',
      'accepted',
    ]);
    const created = await cli([
      'release',
      'create',
      '--username',
      'admin',
      '--dataset',
      slug,
      '--version',
      '1.0.0',
      '--title',
      'First',
      '--languages',
      'ko',
    ]);
    expect(created.code, created.err).toBe(0);
    expect(created.out).toContain('Published release 1.0.0');
    const [home] = readdirSync(join(releasesDir, slug));
    expect(home).toMatch(/^1\.0\.0~[0-9a-f]{12}$/);
    expect(existsSync(join(releasesDir, slug, home, `${slug}-1.0.0.tar.gz`))).toBe(true);

    const list = await cli(['release', 'list', '--dataset', slug]);
    expect(list.out).toMatch(/^1\.0\.0 {2}published {2}5 items/);

    const target = join(tempDir(), 'out', 'release.tar.gz');
    const download = await cli([
      'release',
      'download',
      '--username',
      'admin',
      '--dataset',
      slug,
      '--version',
      '1.0.0',
      '--out',
      target,
    ]);
    expect(download.code, download.err).toBe(0);
    const bytes = readFileSync(target);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(created.out).toContain(sha);
    const entries = await readArchive(bytes);
    expect(entries.map((e) => e.name)).toContain(`${slug}-1.0.0/data/ko/test.jsonl`);

    const again = await cli([
      'release',
      'create',
      '--username',
      'admin',
      '--dataset',
      slug,
      '--version',
      '1.0.0',
      '--title',
      'Again',
    ]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('exists');
    const bad = await cli([
      'release',
      'create',
      '--username',
      'admin',
      '--dataset',
      slug,
      '--version',
      '../x',
      '--title',
      'x',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--version');
  });
});
