// A judge run (npm run bench:judge [-- N] [--kill]): a judge over N rated answers (default 10k, open-ended items of
// a seeded release) against a local OpenAI-compatible endpoint at concurrency 16. The judge runs as the server
// runs it (startJudgeRun: a job thread with its own connection) in a child process, which is stopped after a third
// of the requests — with SIGTERM, as a restart does (stopJudgeRuns: the requests in flight are answered and stored
// first), or with --kill by SIGKILL (a crash) — and started again to resume. Every answer must end with exactly one
// stored output; the endpoint counts the requests per answer: after SIGTERM none may be repeated, after SIGKILL only
// those in flight (reported as `resent` by the judge run). Prints throughput.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReleaseItem } from '../schema/release.ts';
import { openDatabase } from '../server/db/connection.ts';
import { createRepositories } from '../server/db/repositories.ts';
import { reconcileJudgeRuns, startJudgeRun, stopJudgeRuns } from '../server/domain/scoring/judge-job.ts';
import { createScoringService, responseRow } from '../server/domain/scoring/service.ts';
import { createOutboundClient } from '../server/outbound/client.ts';
import { benchRelease } from './lib/scoring.ts';

const DB = 'bench/out/judge.sqlite';
const CONCURRENCY = 16;

/** The child: a server's start-up clean-up, then the judge run started (or resumed) as the API starts it. */
async function worker(judgeId: number, runId: number, userId: number) {
  const db = openDatabase(DB);
  const repos = createRepositories(db);
  await reconcileJudgeRuns(repos);
  const started = performance.now();
  const run = await startJudgeRun(
    repos,
    userId,
    { judgeId, runId, concurrency: CONCURRENCY, timeoutMs: 10_000, maxAttempts: 4, backoffMs: 50 },
    { outbound: createOutboundClient({ allowPrivate: true }), allowPrivate: true },
  );
  // As main.ts on SIGTERM: stop launching, store the answers in flight, then exit.
  process.on('SIGTERM', () => void stopJudgeRuns().then(() => report()));
  const report = async () => {
    const r = (await repos.scoring.getJudgeRun(run.id))!;
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ ...r, seconds }));
    process.exit(0);
  };
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if ((await repos.scoring.getJudgeRun(run.id))!.state !== 'running') return report();
  }
}

interface ChildReport {
  state: string;
  total: number;
  judged: number;
  skipped: number;
  resent: number;
  requests: number;
  seconds: number;
}

async function main(n: number, kill: boolean) {
  // Items are a quarter open-ended: seed enough for n of them.
  const { db, releaseId, userId } = await benchRelease(DB, Math.ceil(n * 4.4));
  const repos = createRepositories(db);
  const scoring = createScoringService(repos);
  const user = (await repos.users.get(userId))!;
  const answering = await scoring.createModel(user, {
    name: 'answering',
    developer: 'bench',
    country: null,
    sovereign: false,
    baseUrl: null,
    endpointModel: null,
    apiKeyEnv: null,
  });
  const run = await scoring.createRun(user, {
    modelId: answering.id,
    releaseId,
    promptTemplate: null,
    temperature: 0,
    maxTokens: 16,
  });
  const open = db
    .prepare<[number], string>('SELECT snapshot FROM release_items WHERE release_id = ? ORDER BY uid')
    .pluck()
    .all(releaseId)
    .map((s) => (JSON.parse(s) as ReleaseItem).item)
    .filter((i) => i.format === 'open_ended')
    .slice(0, n);
  if (open.length < n) throw new Error(`only ${open.length} open-ended items`);
  const at = new Date().toISOString();
  await repos.transaction(
    async () =>
      await repos.scoring.insertResponses(
        open.map((i) => responseRow(run.id, i, `resp ${i.uid}`, 'import', at)),
      ),
  );

  // The endpoint: a verdict at once; requests counted per answer (its uid is in the prompt).
  const asked = new Map<string, number>();
  let requests = 0;
  let stopAt = Math.floor(n / 3);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { content: string }[] };
      const uid = /resp (\S+)/.exec(body.messages[0].content)?.[1] ?? '?';
      asked.set(uid, (asked.get(uid) ?? 0) + 1);
      if (++requests === stopAt) stop();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [
            {
              message: {
                role: 'assistant',
                content:
                  '{"correctness": "correct", "culturalAlignment": 4, "languageQuality": 5, "safetyOutcome": null}',
              },
            },
          ],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const judgeModel = await scoring.createModel(user, {
    name: 'judge',
    developer: 'bench',
    country: null,
    sovereign: false,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    endpointModel: 'judge',
    apiKeyEnv: null,
  });
  const judgeId = await repos.scoring.insertJudge({
    name: 'bench judge',
    modelId: judgeModel.id,
    rubric: { language: 'en', criteria: null, templates: [] },
    temperature: 0,
    maxTokens: 64,
    createdBy: userId,
    createdAt: at,
  });

  const startChild = () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/judge.ts', 'worker', String(judgeId), String(run.id), String(userId)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const done = new Promise<ChildReport | null>((resolve) =>
      child.on('exit', () =>
        resolve(out.trim() ? (JSON.parse(out.trim().split('\n').pop()!) as ChildReport) : null),
      ),
    );
    return { child, done };
  };
  let stoppedAt = 0;
  const first = startChild();
  const started = performance.now();
  function stop() {
    stoppedAt = performance.now();
    first.child.kill(kill ? 'SIGKILL' : 'SIGTERM');
  }
  const firstReport = await first.done;
  const firstSeconds = (stoppedAt - started) / 1000;
  const judgedAtStop = db
    .prepare<[], number>(`SELECT count(*) FROM judgments WHERE state = 'answered'`)
    .pluck()
    .get()!;
  stopAt = -1;
  const second = await startChild().done;
  server.close();

  const rows = db
    .prepare<[], { rows: number; distinct: number; answered: number }>(
      `SELECT count(*) AS rows, count(DISTINCT response_id) AS "distinct", sum(state = 'answered') AS answered
       FROM judgments`,
    )
    .get()!;
  const repeated = [...asked.values()].filter((k) => k > 1).length;
  const lost = n - rows.answered;
  console.log(
    `answers: ${n}; concurrency ${CONCURRENCY}; stopped (${kill ? 'SIGKILL' : 'SIGTERM'}) at request ${Math.floor(n / 3)}, ${firstSeconds.toFixed(2)} s in`,
  );
  console.log(
    `first process: ${judgedAtStop} outputs stored${firstReport ? ` (state ${firstReport.state})` : ' (killed)'}; second: ${second?.judged} judged, ${second?.skipped} skipped, ${second?.resent} resent, state ${second?.state}`,
  );
  console.log(
    `throughput (first process, to the stop): ${(judgedAtStop / firstSeconds).toFixed(0)} answers/s`,
  );
  if (second)
    console.log(
      `throughput (second process): ${(second.judged / second.seconds).toFixed(0)} answers/s (${second.seconds.toFixed(2)} s, start-up included)`,
    );
  console.log(
    `judgments: ${rows.rows} rows, ${rows.distinct} distinct answers, ${rows.answered} answered — lost ${lost}; requests ${requests}, answers asked more than once ${repeated}`,
  );
  db.close();
  if (rows.rows !== n || rows.distinct !== n || lost !== 0 || (!kill && repeated !== 0)) process.exit(1);
}

if (process.argv[2] === 'worker')
  await worker(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
else
  await main(
    Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000),
    process.argv.includes('--kill'),
  );
