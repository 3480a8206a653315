// Published releases never change on disk, whatever happens to their dataset: their files are found through
// the folder frozen in the release row, and their bytes are checked against the hashes recorded at
// publication before they are served.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Release } from '../../schema/release.ts';
import { runCli } from '../../server/cli/run-cli.ts';
import { openDatabase } from '../../server/db/connection.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { finishedImport, importer, type Importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { readArchive, sampleCsv, settled, tempDir } from '../helpers/releases.ts';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('published release files', () => {
  let t: TestContext;
  let dir: string;
  let imp: Importer;
  let logged: string[];
  const bearer = () => ({ Authorization: `Bearer ${imp.token}` });
  const get = (path: string) =>
    request(t.app)
      .get(path)
      .set(bearer())
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const json = (res: { body: unknown }) => JSON.parse((res.body as Buffer).toString('utf8')) as unknown;
  const api = (method: 'post' | 'patch', path: string, body: object) =>
    request(t.app)[method](path).set(bearer()).send(body);
  const newDataset = async (slug: string, name: string) => {
    const res = await api('post', '/api/datasets', { slug, name });
    expect(res.status, res.text).toBe(201);
    return (res.body as { id: number }).id;
  };
  const upload = async (datasetId: number, question: string) => {
    const res = await request(t.app)
      .post('/api/imports')
      .set(bearer())
      .send({ datasetId, format: 'csv', preset: 'native', dryRun: false, status: 'accepted' });
    expect(res.status, res.text).toBe(201);
    const id = (res.body as { id: number }).id;
    const put = await request(t.app)
      .put(`/api/imports/${id}/file`)
      .set(bearer())
      .set('Content-Type', 'text/csv')
      .send(Buffer.from(sampleCsv([{ id: 'q1', question }, { id: 'q2' }])));
    expect(put.status, put.text).toBe(202);
    expect((await finishedImport(t, imp.token, id)).state).toBe('imported');
  };
  const cut = async (datasetId: number, version: string) => {
    const res = await settled(
      t.app,
      bearer(),
      api('post', '/api/releases', { datasetId, version, title: `Release ${version}` }),
    );
    expect(res.body.state, res.text).toBe('published');
    return res.body as Release;
  };
  /** The release's archive as served, checked against the hash recorded with the release. */
  const servedArchive = async (r: Release) => {
    const res = await get(`/api/releases/${r.id}/archive`);
    expect(res.status).toBe(200);
    const bytes = res.body as Buffer;
    expect(sha256(bytes)).toBe(r.archive!.sha256);
    return bytes;
  };
  const questionsIn = async (archive: Buffer) =>
    (await readArchive(archive))
      .filter((e) => e.name.endsWith('data/ko/test.jsonl'))
      .flatMap((e) =>
        e.bytes
          .toString('utf8')
          .trimEnd()
          .split('\n')
          .map((l) => (JSON.parse(l) as { question: string }).question),
      )
      .sort();

  beforeEach(async () => {
    dir = tempDir();
    logged = [];
    t = await createTestContext({ releasesDir: dir, log: (message) => logged.push(message) });
    // A maintainer with an API token (its importer's own dataset is not used here).
    imp = await importer(t, (await addDataset(t)).id, 'boss');
  });

  it('when a dataset is renamed, another takes its old slug and cuts the same version, and the name comes back, then each release serves exactly its own bytes', async () => {
    const a = await newDataset('alpha', 'Dataset A');
    await upload(a, 'question of A');
    const releaseA = await cut(a, '1.0.0');
    const archiveA = await servedArchive(releaseA);
    expect(await questionsIn(archiveA)).toEqual(['ko question q2', 'question of A']);

    expect((await api('patch', `/api/datasets/${a}`, { slug: 'alpha-renamed' })).status).toBe(200);
    expect((await servedArchive(releaseA)).equals(archiveA)).toBe(true);

    const b = await newDataset('alpha', 'Dataset B');
    await upload(b, 'question of B');
    const releaseB = await cut(b, '1.0.0');
    expect(releaseB.archive!.sha256).not.toBe(releaseA.archive!.sha256);
    expect(await questionsIn(await servedArchive(releaseB))).toEqual(['ko question q2', 'question of B']);
    expect((await servedArchive(releaseA)).equals(archiveA)).toBe(true);

    expect((await api('patch', `/api/datasets/${b}`, { slug: 'beta' })).status).toBe(200);
    expect((await api('patch', `/api/datasets/${a}`, { slug: 'alpha' })).status).toBe(200);
    expect((await servedArchive(releaseA)).equals(archiveA)).toBe(true);
    expect(await questionsIn(await servedArchive(releaseB))).toEqual(['ko question q2', 'question of B']);
    const cardA = (await get(`/api/releases/${releaseA.id}/card`)).body as Buffer;
    const cardB = (await get(`/api/releases/${releaseB.id}/card`)).body as Buffer;
    expect(sha256(cardA)).toBe(releaseA.files.find((f) => f.path === 'README.md')!.sha256);
    expect(sha256(cardB)).toBe(releaseB.files.find((f) => f.path === 'README.md')!.sha256);
    expect(cardA.toString('utf8')).toContain('Dataset A');
    expect(cardB.toString('utf8')).toContain('Dataset B');

    // A third dataset cutting 1.0.0 under the same slug (its clean-up first) leaves the other two alone.
    const c = await newDataset('gamma', 'Dataset C');
    await upload(c, 'question of C');
    expect((await api('patch', `/api/datasets/${a}`, { slug: 'alpha-again' })).status).toBe(200);
    expect((await api('patch', `/api/datasets/${c}`, { slug: 'alpha' })).status).toBe(200);
    await cut(c, '1.0.0');
    expect((await servedArchive(releaseA)).equals(archiveA)).toBe(true);
    expect(readdirSync(join(dir, 'alpha'))).toHaveLength(3);
  });

  it('when an archive on disk differs from its record, then it is a logged 500 release-corrupt and no byte of it is served', async () => {
    const id = await newDataset('alpha', 'Dataset A');
    await upload(id, 'question');
    const release = await cut(id, '1.0.0');
    const [home] = readdirSync(join(dir, 'alpha'));
    writeFileSync(join(dir, 'alpha', home, 'alpha-1.0.0.tar.gz'), 'another archive');

    const res = await get(`/api/releases/${release.id}/archive`);
    expect(res.status).toBe(500);
    expect(json(res)).toEqual({
      error: {
        code: 'release-corrupt',
        message:
          "The archive of release 1.0.0 does not match what was published, so it is not served. An operator must restore the release's files.",
        details: { release: release.id },
      },
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`RELEASE CORRUPT: release ${release.id} (1.0.0) archive`);
    expect(logged[0]).toContain(`published ${release.archive!.sha256}`);

    const target = join(tempDir(), 'out.tar.gz');
    const err: string[] = [];
    const code = await runCli(
      [
        'release',
        'download',
        '--username',
        'boss',
        '--dataset',
        'alpha',
        '--version',
        '1.0.0',
        '--out',
        target,
        '--db',
        t.location ?? t.repos.location,
      ],
      { out: () => {}, err: (l) => err.push(l), env: { CS_RELEASES_DIR: dir } },
    );
    expect(code).toBe(1);
    expect(err[0]).toContain('does not match what was published');
    expect(existsSync(target)).toBe(false);
  });

  it('when the card is changed or the changelog is missing, then each is a 500 release-corrupt, and intact files are still served', async () => {
    const id = await newDataset('alpha', 'Dataset A');
    await upload(id, 'question');
    const release = await cut(id, '1.0.0');
    const [home] = readdirSync(join(dir, 'alpha'));
    const folder = join(dir, 'alpha', home, 'alpha-1.0.0');
    writeFileSync(join(folder, 'README.md'), '# Something else\n');
    const card = await get(`/api/releases/${release.id}/card`);
    expect(card.status).toBe(500);
    expect((json(card) as { error: { code: string } }).error.code).toBe('release-corrupt');
    expect((await get(`/api/releases/${release.id}/changelog`)).status).toBe(200);

    rmSync(join(folder, 'CHANGELOG.md'));
    const changelog = await get(`/api/releases/${release.id}/changelog`);
    expect(changelog.status).toBe(500);
    expect((json(changelog) as { error: { code: string } }).error.code).toBe('release-corrupt');
    expect(logged.map((l) => l.split(' at ')[0])).toEqual([
      `RELEASE CORRUPT: release ${release.id} (1.0.0) README.md`,
      `RELEASE CORRUPT: release ${release.id} (1.0.0) CHANGELOG.md`,
    ]);
  });
});

// SQLite's migration 010 on a SQLite database in both projects (createTestContext({ db }) is SQLite): PostgreSQL's
// schema starts at its baseline, migration 22, with files_dir already there.
describe('migration 010: releases of older databases', () => {
  it('keeps serving a published release from the folder it was built into, even after its dataset was renamed', async () => {
    const dir = tempDir();
    const db = openDatabase(':memory:');
    migrate(db, { target: 9 });
    // A database as the code before 010 left it: release 1.0.0 of dataset "legacy" built into
    // legacy/1.0.0/, the dataset renamed since, and a failed 2.0.0 with no files.
    const card = '# Legacy\n';
    const changelog = '# Changelog\n';
    const archive = Buffer.from('legacy archive bytes');
    const home = join(dir, 'legacy', '1.0.0');
    mkdirSync(join(home, 'legacy-1.0.0'), { recursive: true });
    writeFileSync(join(home, 'legacy-1.0.0', 'README.md'), card);
    writeFileSync(join(home, 'legacy-1.0.0', 'CHANGELOG.md'), changelog);
    writeFileSync(join(home, 'legacy-1.0.0.tar.gz'), archive);
    const at = '2026-01-01T00:00:00.000Z';
    db.prepare(
      `INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
       VALUES (1, 'old', 'Old', 'maintainer', 'x', ?, ?)`,
    ).run(at, at);
    db.prepare(
      `INSERT INTO datasets (id, slug, name, created_at) VALUES (1, 'legacy-renamed', 'Legacy', ?)`,
    ).run(at);
    const meta = JSON.stringify({
      slug: 'legacy',
      name: 'Legacy',
      description: '',
      license: 'cc-by-4.0',
      url: null,
    });
    const counts = JSON.stringify({ total: 1, languages: ['ko'], categories: [], cells: [] });
    const files = JSON.stringify([
      { path: 'CHANGELOG.md', size: changelog.length, sha256: sha256(changelog) },
      { path: 'README.md', size: card.length, sha256: sha256(card) },
    ]);
    db.prepare(
      `INSERT INTO releases (id, dataset_id, version, title, filter, dataset_meta, released_at, item_count, counts,
         state, files, archive_name, archive_size, archive_sha256, created_by, created_at, published_at)
       VALUES (1, 1, '1.0.0', 'Old', '{"languages":[],"kinds":[],"categories":[],"includeSubmitted":false}', ?,
         '2026-01-01', 1, ?, 'published', ?, 'legacy-1.0.0.tar.gz', ?, ?, 1, ?, ?)`,
    ).run(meta, counts, files, archive.length, sha256(archive), at, at);
    db.prepare(
      `INSERT INTO releases (id, dataset_id, version, title, filter, dataset_meta, released_at, item_count, counts,
         state, error, created_by, created_at)
       VALUES (2, 1, '2.0.0', 'Failed', '{"languages":[],"kinds":[],"categories":[],"includeSubmitted":false}', ?,
         '2026-01-02', 0, '{}', 'failed', 'killed', 1, ?)`,
    ).run(meta, at);

    migrate(db);
    expect(db.prepare('SELECT id, files_dir AS dir FROM releases ORDER BY id').all()).toEqual([
      { id: 1, dir: 'legacy/1.0.0' },
      { id: 2, dir: expect.stringMatching(/^legacy\/2\.0\.0~[0-9a-f]{12}$/) },
    ]);
    // Published rows stay frozen after the backfill.
    expect(() => db.prepare("UPDATE releases SET title = 'x' WHERE id = 1").run()).toThrow(
      /cannot be changed/,
    );

    const t = await createTestContext({ db, releasesDir: dir });
    await t.addUser('boss', 'maintainer');
    const boss = await t.login('boss');
    const served = await boss
      .get('/api/releases/1/archive')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(served.status).toBe(200);
    expect((served.body as Buffer).equals(archive)).toBe(true);
    expect((await boss.get('/api/releases/1/card')).text).toBe(card);
    expect((await boss.get('/api/releases/1/changelog')).text).toBe(changelog);
  });
});
