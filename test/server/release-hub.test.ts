import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Release } from '../../schema/release.ts';
import { createTestContext, inProcessDatabase, type TestContext } from '../helpers/app.ts';
import { startHubStandIn, type HubStandIn } from '../helpers/hub-stand-in.ts';
import { importer, type Importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { readTree, sampleCsv, settled, tempDir } from '../helpers/releases.ts';

const TOKEN = 'hf_StandInWriteToken0123456789';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('POST /api/releases/:id/hub', { timeout: 30_000 }, () => {
  let hub: HubStandIn;
  let t: TestContext;
  let imp: Importer;
  let dir: string;
  let slug: string;
  let datasetId: number;
  const bearer = () => ({ Authorization: `Bearer ${imp.token}` });
  const push = (id: number, body: object) =>
    request(t.app).post(`/api/releases/${id}/hub`).set(bearer()).send(body);
  /** The release's files on disk, path → bytes (its folder `<slug>/<version>~<random>/<slug>-<version>`). */
  const filesOnDisk = (version: string) => {
    const [home] = readdirSync(join(dir, slug)).filter((n) => n.startsWith(`${version}~`));
    return readTree(join(dir, slug, home, `${slug}-${version}`));
  };

  async function setUp(token: string | null) {
    dir = tempDir();
    t = await createTestContext({ releasesDir: dir, hub: { endpoint: hub.url, token, fetch: hub.fetch } });
    const dataset = await addDataset(t);
    datasetId = dataset.id;
    slug = dataset.slug;
    imp = await importer(t, datasetId);
    const csv = sampleCsv([
      { id: 'k1' },
      { id: 'k2', format: 'multiple_choice' },
      { id: 'a1', language: 'ar', format: 'short_answer' },
    ]);
    expect((await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, csv)).status).toBe(202);
  }

  const cut = async (version: string): Promise<Release> => {
    const res = await settled(
      t.app,
      bearer(),
      request(t.app)
        .post('/api/releases')
        .set(bearer())
        .send({ datasetId, version, title: `Release ${version}` }),
    );
    expect(res.body.state, res.text).toBe('published');
    return res.body as Release;
  };

  beforeEach(async () => {
    hub = await startHubStandIn(TOKEN);
  });
  afterEach(async () => {
    await hub.close();
  });

  it('creates the repository, pushes every file of the release in one commit named after the version, and tags it', async () => {
    await setUp(TOKEN);
    const release = await cut('1.0.0');
    const res = await push(release.id, { repo: 'culture-lab/korean-culture', private: true });
    expect(res.status, res.text).toBe(200);

    expect([...hub.repos.keys()]).toEqual(['culture-lab/korean-culture']);
    expect(hub.repos.get('culture-lab/korean-culture')!.private).toBe(true);
    expect(hub.commits).toHaveLength(1);
    const [commit] = hub.commits;
    expect(commit.title).toBe('Release 1.0.0');
    expect(commit.deleted).toEqual([]);
    // Every file of the release, byte for byte: paths, sizes and SHA-256 as read from the release folder.
    const onDisk = filesOnDisk('1.0.0');
    expect(onDisk.size).toBeGreaterThan(5);
    const expected = [...onDisk].map(([path, bytes]) => ({
      path,
      size: bytes.length,
      sha256: sha256(bytes),
    }));
    expect(
      commit.files
        .map(({ path, size, sha256 }) => ({ path, size, sha256 }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    ).toEqual(expected.sort((a, b) => (a.path < b.path ? -1 : 1)));
    expect(commit.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['README.md', 'data/ko/test.jsonl']),
    );
    // Tag 1.0.0 on that very commit.
    expect([...hub.repos.get('culture-lab/korean-culture')!.tags]).toEqual([
      ['1.0.0', { commit: commit.oid, message: 'Release 1.0.0' }],
    ]);
    expect(res.body).toEqual({
      repo: 'culture-lab/korean-culture',
      url: `${hub.url}/datasets/culture-lab/korean-culture`,
      created: true,
      commit: { oid: commit.oid, title: 'Release 1.0.0' },
      tag: '1.0.0',
      uploaded: onDisk.size,
      deleted: [],
    });
    // The token went to the Hub's API in the Authorization header only (never to LFS storage), and never back.
    for (const r of hub.requests) {
      if (r.path.startsWith('/lfs-storage/')) expect(r.authorization).toBeUndefined();
      else expect(r.authorization).toBe(`Bearer ${TOKEN}`);
    }
    expect(res.text).not.toContain(TOKEN);
  });

  it('when the repository holds files of an earlier push that this release lacks, then the same commit deletes them', async () => {
    await setUp(TOKEN);
    const release = await cut('1.1.0');
    const old = Buffer.from('{"id":"x"}\n');
    const attributes = Buffer.from('*.parquet filter=lfs diff=lfs merge=lfs -text\n');
    hub.repos.set('culture-lab/ds', {
      private: false,
      files: new Map([
        [
          '.gitattributes',
          { path: '.gitattributes', size: attributes.length, sha256: sha256(attributes), bytes: attributes },
        ],
        [
          'data/sw/test.jsonl',
          { path: 'data/sw/test.jsonl', size: old.length, sha256: sha256(old), bytes: old },
        ],
      ]),
      tags: new Map([['1.0.0', { commit: 'a'.repeat(40), message: 'Release 1.0.0' }]]),
    });

    const res = await push(release.id, { repo: 'culture-lab/ds' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ created: false, tag: '1.1.0', deleted: ['data/sw/test.jsonl'] });
    expect(hub.commits).toHaveLength(1);
    expect(hub.commits[0].deleted).toEqual(['data/sw/test.jsonl']);
    const repo = hub.repos.get('culture-lab/ds')!;
    expect(repo.files.has('.gitattributes')).toBe(true);
    expect(repo.files.has('data/sw/test.jsonl')).toBe(false);
    expect([...repo.tags.keys()]).toEqual(['1.0.0', '1.1.0']);
  });

  it('when the repository already has a tag equal to the version, then 409 hub-tag-exists and nothing is committed', async () => {
    await setUp(TOKEN);
    const release = await cut('1.0.0');
    hub.repos.set('culture-lab/ds', {
      private: false,
      files: new Map(),
      tags: new Map([['1.0.0', { commit: 'b'.repeat(40), message: undefined }]]),
    });
    const res = await push(release.id, { repo: 'culture-lab/ds' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('hub-tag-exists');
    expect(hub.commits).toEqual([]);
  });

  it('when no token is configured, then 409 hub-not-configured and no request leaves the server', async () => {
    await setUp(null);
    const release = await cut('1.0.0');
    const res = await push(release.id, { repo: 'culture-lab/ds' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('hub-not-configured');
    expect(hub.requests).toEqual([]);
  });

  it('when the Hub refuses the commit, then 502 hub-push-failed with its status, no tag, and no token in the answer', async () => {
    await setUp(TOKEN);
    const release = await cut('1.0.0');
    hub.failNext('/commit/main', 403, 'You have read access only');
    const res = await push(release.id, { repo: 'culture-lab/ds' });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({
      code: 'hub-push-failed',
      details: { step: 'the commit', hubStatus: 403 },
    });
    expect(res.body.error.message).toContain('You have read access only');
    expect(res.text).not.toContain(TOKEN);
    expect(hub.repos.get('culture-lab/ds')!.tags.size).toBe(0);
  });

  it('refuses a repository id that is not <namespace>/<name> with 400, before any request', async () => {
    await setUp(TOKEN);
    const release = await cut('1.0.0');
    for (const repo of [
      'no-namespace',
      'a/b/c',
      '../etc/passwd',
      'org/na--me',
      'org/-name',
      'https://evil.example/x',
    ]) {
      const res = await push(release.id, { repo });
      expect(res.status, repo).toBe(400);
      expect(res.body.error.code).toBe('invalid-input');
    }
    expect(hub.requests).toEqual([]);
  });

  it('answers 404 for an unknown release and 403 to a reviewer', async () => {
    await setUp(TOKEN);
    const release = await cut('1.0.0');
    expect((await push(9999, { repo: 'culture-lab/ds' })).status).toBe(404);
    await t.addUser('rev', 'reviewer', ['ko', 'ar']);
    const reviewer = await t.login('rev');
    expect((await reviewer.post(`/api/releases/${release.id}/hub`, { repo: 'culture-lab/ds' })).status).toBe(
      403,
    );
    expect(hub.requests).toEqual([]);
  });
});

/** Runs a command in a child process; its exit status and output once it ended. */
function runChild(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
}

// A child process on the test's database: not on PGlite's in-memory one (CI runs it on its PostgreSQL server).
describe.skipIf(inProcessDatabase)('CLI release push', () => {
  it('pushes a published release with the token from CS_HF_TOKEN, prints the commit and tag, and never the token', async () => {
    const hub = await startHubStandIn(TOKEN);
    try {
      const dir = tempDir();
      const t = await createTestContext({ releasesDir: dir });
      const dataset = await addDataset(t);
      const imp = await importer(t, dataset.id);
      await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv([{ id: 'k1' }]));
      const auth = { Authorization: `Bearer ${imp.token}` };
      const cut = await settled(
        t.app,
        auth,
        request(t.app)
          .post('/api/releases')
          .set(auth)
          .send({ datasetId: dataset.id, version: '2.0.0', title: 'Two' }),
      );
      expect(cut.body.state).toBe('published');

      // Spawned, not spawnSync: the stand-in answers from this process's event loop.
      const run = await runChild(
        [
          '--import',
          'tsx',
          'server/cli.ts',
          'release',
          'push',
          '--username',
          'importer',
          '--dataset',
          dataset.slug,
          '--version',
          '2.0.0',
          '--repo',
          'culture-lab/from-cli',
          '--db',
          t.location!,
          '--releases-dir',
          dir,
        ],
        { ...process.env, CS_HF_TOKEN: TOKEN, CS_HF_ENDPOINT: hub.url },
      );
      expect(run.status, run.stderr).toBe(0);
      const commit = hub.commits[0];
      expect(commit.title).toBe('Release 2.0.0');
      expect(run.stdout).toContain(`Pushed release 2.0.0 to ${hub.url}/datasets/culture-lab/from-cli`);
      expect(run.stdout).toContain(`commit ${commit.oid}, tag 2.0.0`);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
      expect([...hub.repos.get('culture-lab/from-cli')!.tags.keys()]).toEqual(['2.0.0']);
    } finally {
      await hub.close();
    }
  }, 60_000);
});
