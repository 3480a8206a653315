import { readdirSync } from 'node:fs';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportJob } from '../../schema/import.ts';
import type { Item } from '../../schema/item.ts';
import { uploadsDir } from '../../server/domain/import/reconcile.ts';
import { createTestContext, inProcessDatabase, type TestContext } from '../helpers/app.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { sampleCsv, tempDir } from '../helpers/releases.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('../fixtures/import/server-child.ts', import.meta.url));
const MAIN = join(ROOT, 'server/main.ts');

const running: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts a process and resolves with what its stdout line matching `ready` captured; all its stdout so far. */
function start(args: string[], env: Record<string, string>, ready: RegExp) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const wait = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(stdout);
        if (m) resolve(m[1] ?? m[0]);
      };
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        check();
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}): ${stdout}\n${stderr}`)));
      check();
    });
  return { child, ready: wait(ready), wait, stdout: () => stdout };
}

async function kill(child: ChildProcessWithoutNullStreams, signal: 'SIGKILL' | 'SIGTERM') {
  const exited = new Promise((resolve) => child.on('exit', (_code, s) => resolve(s)));
  child.kill(signal);
  return exited;
}

/**
 * A database (SQLite file, or a database on the PostgreSQL server: a child process must reach it) with a dataset,
 * two accepted items and a maintainer's API token.
 */
async function world() {
  const work = tempDir('cs-import-crash-');
  const t = await createTestContext();
  const dataset = await addDataset(t);
  const imp = await importer(t, dataset.id, 'crash-admin');
  const first = await imp.upload(
    { format: 'csv', dryRun: false, status: 'accepted' },
    sampleCsv([{ id: 'old-1' }, { id: 'old-2' }]),
  );
  expect(first.job.state).toBe('imported');
  // The file the killed imports read: 500 new items, and old-1 with a new question.
  const file = sampleCsv([
    { id: 'old-1', question: 'Changed by the import' },
    ...Array.from({ length: 500 }, (_, i) => ({ id: `new-${i}` })),
  ]);
  // Where the child servers find the database, as an operator names it (CS_DB_PATH or CS_DATABASE_URL).
  const location = t.location!;
  const database: Record<string, string> =
    t.engine === 'postgres' ? { CS_DATABASE_URL: location } : { CS_DB_PATH: location };
  return { t, work, location, database, datasetId: dataset.id, token: imp.token, file };
}

async function counts(t: TestContext) {
  const n = async (sql: string) => Number((await t.sql<{ n: number }>(sql))[0].n);
  return {
    items: await n('SELECT count(*) AS n FROM items'),
    revisions: await n('SELECT count(*) AS n FROM item_revisions'),
    provenance: await n('SELECT count(*) AS n FROM import_items'),
  };
}

/** Polls an import until it is no longer reading or writing (bounded); returns it. */
async function finished(url: string, headers: Record<string, string>): Promise<ImportJob> {
  for (let polls = 0; polls < 2000; polls++) {
    const job = (await (await fetch(url, { headers })).json()) as ImportJob;
    if (job.state !== 'reading' && job.state !== 'writing') return job;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} did not end`);
}

const INTERRUPTED = {
  row: null,
  line: null,
  column: null,
  field: null,
  code: 'interrupted',
  message: 'The server stopped while this import ran; nothing was imported. Upload the file again.',
};

// A child server needs the test's database from another process: a SQLite file or a PostgreSQL server, not PGlite.
describe.skipIf(inProcessDatabase)('an import killed with SIGKILL', () => {
  for (const step of ['reading', 'written'] as const) {
    it(`when the server dies ${step === 'reading' ? 'while reading the file' : 'after writing its new items hidden, before the final transaction'}, then the next start marks the job failed, removes what it wrote, and sending the file again imports it`, async () => {
      const w = await world();
      const before = await counts(w.t);
      const oldItemId = (await w.t.sql<{ id: number }>("SELECT id FROM items WHERE external_id = 'old-1'"))[0]
        .id;
      const auth = { Authorization: `Bearer ${w.token}` };

      const killed = start([CHILD, w.location, step], {}, /listening (\d+)/);
      const base = `http://127.0.0.1:${await killed.ready}`;
      const created = await fetch(`${base}/api/imports`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ datasetId: w.datasetId, format: 'csv', dryRun: false, status: 'accepted' }),
      });
      expect(created.status).toBe(201);
      const jobId = ((await created.json()) as ImportJob).id;
      // The upload is answered 202 once the file is saved; the job thread then stops at `step`, and the
      // server is killed there.
      const upload = await fetch(`${base}/api/imports/${jobId}/file`, {
        method: 'PUT',
        headers: { ...auth, 'Content-Type': 'text/csv' },
        body: w.file,
      });
      expect(upload.status).toBe(202);
      expect(readdirSync(uploadsDir(w.t.repos))).toEqual([
        expect.stringMatching(new RegExp(`^import-${jobId}-1-`)),
      ]);
      await killed.wait(new RegExp(`stopped at ${step}`));
      expect(await kill(killed.child, 'SIGKILL')).toBe('SIGKILL');
      expect((await w.t.repos.imports.get(jobId))!.state).toBe(step === 'reading' ? 'reading' : 'writing');
      // Killed after its slices: the 500 new items are in the table, hidden (nobody could see them).
      expect((await counts(w.t)).items).toBe(before.items + (step === 'reading' ? 0 : 500));

      // Restart: the real server on the same database.
      const server = start(
        [MAIN],
        {
          ...w.database,
          CS_RELEASES_DIR: join(w.work, 'releases'),
          PORT: '0',
          HOST: '127.0.0.1',
        },
        /Culture Studio on http:\/\/127\.0\.0\.1:(\d+)\//,
      );
      const url = `http://127.0.0.1:${await server.ready}`;
      await server.wait(/Marked 1 import interrupted by the last stop as failed \(#\d+\)/);
      if (step === 'written')
        await server.wait(new RegExp(`Removed the 500 hidden items of unfinished import #${jobId}\\.`));
      // The killed job's upload, saved next to the database, is gone with it (the folder stays, empty).
      expect(readdirSync(uploadsDir(w.t.repos))).toEqual([]);
      const job = (await (await fetch(`${url}/api/imports/${jobId}`, { headers: auth })).json()) as ImportJob;
      expect(job).toMatchObject({ state: 'failed', errorCount: 1, created: 0, updated: 0, unchanged: 0 });
      expect(job.errors).toEqual([INTERRUPTED]);
      // Not one of the 500 items, revisions or provenance rows is left.
      expect(await counts(w.t)).toEqual(before);
      const old = (await (await fetch(`${url}/api/items/${oldItemId}`, { headers: auth })).json()) as Item;
      expect(old).toMatchObject({ question: 'ko question old-1', version: 1 });

      // Retry: the same job takes the same file again.
      const retry = await fetch(`${url}/api/imports/${jobId}/file`, {
        method: 'PUT',
        headers: { ...auth, 'Content-Type': 'text/csv' },
        body: w.file,
      });
      expect(retry.status).toBe(202);
      expect(await finished(`${url}/api/imports/${jobId}`, auth)).toMatchObject({
        id: jobId,
        state: 'imported',
        errorCount: 0,
        errors: [],
        created: 500,
        updated: 1,
        unchanged: 0,
        rowsTotal: 501,
      });
      expect(await counts(w.t)).toEqual({
        items: before.items + 500,
        revisions: before.revisions + 501,
        provenance: before.provenance + 501,
      });
      const changed = (await (
        await fetch(`${url}/api/items/${oldItemId}`, { headers: auth })
      ).json()) as Item;
      expect(changed).toMatchObject({ question: 'Changed by the import', version: 2 });
      // An import that finished keeps its file: a third upload is refused as before.
      const third = await fetch(`${url}/api/imports/${jobId}/file`, {
        method: 'PUT',
        headers: { ...auth, 'Content-Type': 'text/csv' },
        body: w.file,
      });
      expect(third.status).toBe(409);
      expect(await kill(server.child, 'SIGTERM')).toBe(null);
      if (w.t.engine === 'sqlite') w.t.db.close();
    }, 120_000); // two child servers started and compiled by tsx, on a machine shared by several test runs
  }
});
