// Collecting responses (npx tsx bench/collect.ts [N]): a run over an N-item release (default 10k) against a
// local OpenAI-compatible endpoint at concurrency 16. The collector runs in a child process that is killed
// (SIGKILL) after a third of the items were asked, then started again: every item must end with exactly one
// response, and no item that had a stored response may be asked again. Reports throughput.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase, type Db } from '../server/db/connection.ts';
import { createRepositories } from '../server/db/repositories.ts';
import { prepareCollection, runCollection } from '../server/domain/scoring/collect.ts';
import { reconcileCollections } from '../server/domain/scoring/collection-job.ts';
import { createScoringService } from '../server/domain/scoring/service.ts';
import { createOutboundClient } from '../server/outbound/client.ts';
import { benchRelease } from './lib/scoring.ts';

const DB = 'bench/out/collect.sqlite';

/**
 * The child: clean up after a killed predecessor as a starting server does, collect the run's missing
 * responses (the collection job's two halves, in this process), then print what happened.
 */
async function worker(runId: number) {
  const db = openDatabase(DB);
  const repos = createRepositories(db);
  await reconcileCollections(repos);
  const started = performance.now();
  const start = await prepareCollection(
    repos,
    runId,
    { concurrency: 16, timeoutMs: 10_000, maxAttempts: 4, backoffMs: 50 },
    // The endpoint is a local server on 127.0.0.1.
    { outbound: createOutboundClient({ allowPrivate: true }), allowPrivate: true },
  );
  await runCollection(repos, start, { cancelRequested: () => false });
  const seconds = (performance.now() - started) / 1000;
  const c = (await repos.scoring.getRun(runId))!.collection!;
  console.log(JSON.stringify({ collected: c.answered, skipped: c.skipped, seconds, failed: c.failed }));
}

const storedUids = (db: Db, runId: number) =>
  new Set(db.prepare<[number], string>('SELECT uid FROM responses WHERE run_id = ?').pluck().all(runId));

async function main(n: number) {
  const { db, releaseId, userId } = await benchRelease(DB, n);
  // The endpoint: answers at once, echoing the first option label so multiple-choice items get scored.
  const asked = new Map<string, number>();
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { content: string }[] };
      const prompt = body.messages[0].content;
      asked.set(prompt, (asked.get(prompt) ?? 0) + 1);
      requests++;
      if (requests === killAt) kill();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'A' } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const scoring = createScoringService(createRepositories(db));
  const user = (await createRepositories(db).users.get(userId))!;
  const model = await scoring.createModel(user, {
    name: `bench-${Date.now()}`,
    developer: 'bench',
    country: null,
    sovereign: false,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    endpointModel: 'bench',
    apiKeyEnv: null,
  });
  const run = await scoring.createRun(user, {
    modelId: model.id,
    releaseId,
    promptTemplate: '{question}\n{options}',
    temperature: 0,
    maxTokens: 16,
  });

  const killAt = Math.floor(n / 3);
  let child = spawn(process.execPath, ['--import', 'tsx', 'bench/collect.ts', 'worker', String(run.id)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let killedAt = 0;
  const kill = () => {
    killedAt = performance.now();
    child.kill('SIGKILL');
  };
  const started = performance.now();
  await new Promise((resolve) => child.on('exit', resolve));
  const firstSeconds = (killedAt - started) / 1000;
  const storedAtKill = storedUids(db, run.id);
  const askedBefore = new Map(asked);

  child = spawn(process.execPath, ['--import', 'tsx', 'bench/collect.ts', 'worker', String(run.id)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  const second = JSON.parse(out.trim().split('\n').pop()!) as {
    collected: number;
    skipped: number;
    seconds: number;
  };
  server.close();

  const { rows, distinct } = db
    .prepare<[number], { rows: number; distinct: number }>(
      'SELECT count(*) AS rows, count(DISTINCT uid) AS "distinct" FROM responses WHERE run_id = ?',
    )
    .get(run.id)!;
  // A prompt identifies its item here (every generated question differs); count the re-asked ones.
  const reasked = [...asked.values()].filter((k) => k > 1).length;
  const prompts = new Map<string, string>();
  const items = db
    .prepare<[number], { uid: string; snapshot: string }>(
      'SELECT uid, snapshot FROM release_items WHERE release_id = ?',
    )
    .all(releaseId);
  for (const it of items) {
    const item = (JSON.parse(it.snapshot) as { item: { question: string; options: string[] } }).item;
    prompts.set(it.uid, item.question);
  }
  let reaskedWithResponse = 0;
  for (const [prompt, k] of asked) {
    const before = askedBefore.get(prompt) ?? 0;
    if (k > before && before > 0) {
      const uid = [...prompts].find(([, q]) => prompt.startsWith(q))?.[0];
      if (uid && storedAtKill.has(uid)) reaskedWithResponse++;
    }
  }
  console.log(`items: ${n}; concurrency 16; killed after ${killAt} requests (${firstSeconds.toFixed(2)} s)`);
  console.log(
    `stored before the kill: ${storedAtKill.size}; second run collected ${second.collected}, skipped ${second.skipped}`,
  );
  console.log(`throughput (second run): ${(second.collected / second.seconds).toFixed(0)} responses/s`);
  console.log(
    `throughput (first run, to the kill): ${(storedAtKill.size / firstSeconds).toFixed(0)} responses/s`,
  );
  console.log(
    `responses: ${rows} rows, ${distinct} distinct items — lost ${n - distinct}, duplicated ${rows - distinct}`,
  );
  console.log(
    `requests: ${requests}; re-asked items (in flight at the kill): ${reasked}; re-asked with a stored response: ${reaskedWithResponse}`,
  );
  db.close();
  if (distinct !== n || rows !== n || reaskedWithResponse > 0) process.exit(1);
}

if (process.argv[2] === 'worker') await worker(Number(process.argv[3]));
else await main(Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000));
