import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildReleaseFiles } from '../../exports/index.ts';
import { openDatabase } from '../../server/db/connection.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createRepositories } from '../../server/db/repositories.ts';
import { createReleaseService } from '../../server/domain/releases.ts';
import { syncDefaultTaxonomies } from '../../server/domain/taxonomies.ts';
import { createTestContext } from '../helpers/app.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { readTree, sampleCsv, tempDir } from '../helpers/releases.ts';

const CHILD = fileURLToPath(new URL('../fixtures/releases/build-child.ts', import.meta.url));

describe('a release build killed with SIGKILL', () => {
  it('leaves no half release, and the next build publishes it', async () => {
    const work = tempDir('cs-crash-');
    const dbPath = join(work, 'db.sqlite');
    const releasesDir = join(work, 'releases');
    const db = openDatabase(dbPath);
    migrate(db);
    syncDefaultTaxonomies(createRepositories(db).taxonomies);
    const t = await createTestContext({ db, releasesDir });
    const dataset = addDataset(t);
    const imp = await importer(t, dataset.id, 'crash-admin');
    const rows = Array.from({ length: 3000 }, (_, i) => ({ id: `r${i}`, language: i % 2 ? 'ko' : 'ar' }));
    expect(
      (await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv(rows))).status,
    ).toBe(200);

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, dbPath, releasesDir, String(dataset.id), 'crash-admin', '1.0.0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        if (c.toString().includes('midway')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // The snapshot was committed with the release row; the files never made it into place.
    const repos = createRepositories(db);
    const release = repos.releases.byVersion(dataset.id, '1.0.0')!;
    expect(release).toMatchObject({ state: 'building', itemCount: 3000 });
    const datasetDir = join(releasesDir, dataset.slug);
    expect(existsSync(join(datasetDir, '1.0.0'))).toBe(false);
    expect(readdirSync(datasetDir).filter((n) => n.startsWith('.building-1.0.0-'))).toHaveLength(1);

    const service = createReleaseService(repos, { releasesDir });
    const published = await service.build(release.id);
    expect(published.state).toBe('published');
    expect(readdirSync(datasetDir)).toEqual(['1.0.0']);
    const expected = buildReleaseFiles(service.snapshotOf(release.id));
    const onDisk = readTree(join(datasetDir, '1.0.0', `${dataset.slug}-1.0.0`));
    for (const f of expected) expect(onDisk.get(f.path)!.equals(Buffer.from(f.bytes)), f.path).toBe(true);
    db.close();
  }, 30_000);
});
