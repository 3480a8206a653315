import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../../schema/scoring.ts';
import { startChatServer, type Behaviour } from '../fixtures/scoring/chat-server.ts';
import { collectionEnded, scoringWorld, SCORING_ITEMS } from '../fixtures/scoring/world.ts';
import { inProcessDatabase } from '../helpers/app.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('../fixtures/scoring/server-child.ts', import.meta.url));

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await Promise.all(closers.map(async (c) => c()));
  closers = [];
});

/** A promise and the function that resolves it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const answer = (prompt: string): Behaviour => ({ reply: /question (mc|amc)/.test(prompt) ? 'C' : 'reply' });

/**
 * The release of the 8 sample items and a model on a local chat server; the server answers at once except
 * the third request it gets, which it holds until `third.open()`.
 */
async function world(options: { dbPath?: string } = {}) {
  const third = gate();
  const server = await startChatServer((prompt) =>
    server.requests.length === 3 ? { held: third.opened, then: answer(prompt) } : answer(prompt),
  );
  closers.push(server.close, third.open);
  const w = await scoringWorld(SCORING_ITEMS, { outbound: { allowPrivate: true }, ...options });
  const model = await w.addModel({ baseUrl: server.baseUrl, endpointModel: 'm' });
  const run = await w.addRun(model.id);
  return { w, server, run, third };
}

describe('POST /api/runs/:id/collect (a job)', { timeout: 30_000 }, () => {
  it('answers at once with the run collecting, shows asked/answered/failed while it runs, and refuses a second collection of the run with 409', async () => {
    const { w, server, run, third } = await world();
    const res = await w.post(`/api/runs/${run.id}/collect`, { concurrency: 1 });
    expect(res.status, res.text).toBe(202);
    expect(res.body as Run).toMatchObject({
      id: run.id,
      status: 'collecting',
      collection: { state: 'running' },
    });
    // The third request is held: the run shows two items answered and the third asked.
    const during = await collectionEnded(w, run.id, (r) => (r.collection?.asked ?? 0) >= 3);
    expect(during).toMatchObject({
      status: 'collecting',
      collection: {
        state: 'running',
        total: 8,
        asked: 3,
        answered: 2,
        failed: 0,
        skipped: 0,
        finishedAt: null,
      },
    });
    const second = await w.post(`/api/runs/${run.id}/collect`, { concurrency: 1 });
    expect([second.status, second.body.error.code]).toEqual([409, 'run-collecting']);
    third.open();
    const after = await collectionEnded(w, run.id);
    expect(after).toMatchObject({
      status: 'complete',
      error: null,
      progress: { responses: 8 },
      collection: { state: 'done', total: 8, asked: 8, answered: 8, failed: 0, requests: 8, failures: [] },
    });
    expect(after.collection!.finishedAt).not.toBeNull();
    expect(server.requests).toHaveLength(8);
  });

  it('when cancelled, stops after the requests in flight, and a new collection asks only the items left', async () => {
    const { w, server, run, third } = await world();
    expect((await w.post(`/api/runs/${run.id}/collect`, { concurrency: 1 })).status).toBe(202);
    await collectionEnded(w, run.id, (r) => (r.collection?.asked ?? 0) >= 3);
    const cancel = await w.post(`/api/runs/${run.id}/cancel`);
    expect(cancel.status, cancel.text).toBe(202);
    third.open();
    const cancelled = await collectionEnded(w, run.id);
    expect(cancelled).toMatchObject({
      status: 'pending',
      error: null,
      progress: { responses: 3 },
      collection: { state: 'cancelled', total: 8, asked: 3, answered: 3, failed: 0 },
    });
    expect(server.requests).toHaveLength(3);
    const again = await w.post(`/api/runs/${run.id}/cancel`);
    expect([again.status, again.body.error.code]).toEqual([409, 'run-not-collecting']);

    expect((await w.post(`/api/runs/${run.id}/collect`, { concurrency: 2 })).status).toBe(202);
    const resumed = await collectionEnded(w, run.id);
    expect(resumed).toMatchObject({
      status: 'complete',
      collection: { state: 'done', total: 5, asked: 5, answered: 5, skipped: 3 },
    });
    for (const item of SCORING_ITEMS) expect(server.count(`question ${item.id}`), item.id).toBe(1);
  });

  it('refuses to cancel an unknown run with 404', async () => {
    const { w } = await world();
    const res = await w.post('/api/runs/999/cancel');
    expect([res.status, res.body.error.code]).toEqual([404, 'not-found']);
  });
});

/** Starts the server child on `dbPath` (SQLite file or PostgreSQL URL); resolves with its URL once it listens. */
function startServer(dbPath: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath], {
    cwd: ROOT,
    env: process.env,
  });
  closers.push(() => void (child.exitCode === null && child.kill('SIGKILL')));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const base = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /listening (\d+)/.exec(stdout);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}): ${stdout}\n${stderr}`)));
  });
  return { child, base, stdout: () => stdout };
}

// A child server cannot reach PGlite's in-process database: this runs on SQLite and on a PostgreSQL server (CI).
describe.skipIf(inProcessDatabase)('a collection killed with SIGKILL', { timeout: 60_000 }, () => {
  it('when the server dies mid-collection, then the next start marks the collection interrupted, and collecting again asks only the items without a response', async () => {
    const { w, server, run } = await world();
    // Where another process finds the test's database: its SQLite file, or its PostgreSQL URL.
    const dbPath = w.t.location!;
    const auth = { Authorization: `Bearer ${w.token}`, 'Content-Type': 'application/json' };
    const getRun = async (base: string) =>
      (await (await fetch(`${base}/api/runs/${run.id}`, { headers: auth })).json()) as Run;

    const killed = startServer(dbPath);
    const base = await killed.base;
    const started = await fetch(`${base}/api/runs/${run.id}/collect`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ concurrency: 1 }),
    });
    expect(started.status).toBe(202);
    // Polled over HTTP until the third request is held (each poll a request, bounded).
    let during: Run | null = null;
    for (let poll = 0; poll < 3_000 && (during?.collection?.asked ?? 0) < 3; poll++) {
      during = await getRun(base);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(during).toMatchObject({ status: 'collecting', collection: { asked: 3, answered: 2 } });
    const exited = new Promise((resolve) => killed.child.on('exit', (_code, signal) => resolve(signal)));
    killed.child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const restarted = startServer(dbPath);
    const base2 = await restarted.base;
    expect(restarted.stdout()).toContain(
      `Run ${run.id}: its collection was interrupted by a server stop; collect again to resume.`,
    );
    expect(await getRun(base2)).toMatchObject({
      status: 'pending',
      error: 'The server stopped while collecting; collect again to resume',
      progress: { responses: 2 },
      collection: { state: 'interrupted', answered: 2 },
    });
    const again = await fetch(`${base2}/api/runs/${run.id}/collect`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ concurrency: 2 }),
    });
    expect(again.status).toBe(202);
    let after: Run | null = null;
    for (let poll = 0; poll < 3_000 && (after === null || after.status === 'collecting'); poll++) {
      after = await getRun(base2);
      if (after.status === 'collecting') await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(after).toMatchObject({
      status: 'complete',
      progress: { responses: 8 },
      collection: { state: 'done', skipped: 2, answered: 6 },
    });
    // Answered items were never asked again; only the one held at the kill was asked twice.
    const asked = SCORING_ITEMS.map((item) => server.count(`question ${item.id}`));
    expect(asked.filter((n) => n === 1)).toHaveLength(7);
    expect(asked.filter((n) => n === 2)).toHaveLength(1);
  });
});
