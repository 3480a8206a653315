// Annotators unaffected by heavy jobs (issue 10, point 4): `npm run bench:mixed -- [N] [--annotators=50]
// [--baseline=20]`. A server (server/main.ts in a child process, its event-loop delay measured by
// bench/lib/loop-monitor.ts) runs on a database of N generated items. Simulated annotators work against it
// in a closed loop with think time: each picks an action — list a page of their language (25 %), open an
// item (25 %), autosave their own draft (40 %), ask for the next validation task (10 %) — then thinks
// 100–500 ms. Phase 1 is that load alone; in phase 2, under the same load, a maintainer commits an import
// of N CSV rows, and in phase 3 cuts a release of the whole dataset, each polled to its end as the UI does.
// Targets: reads p99 < 100 ms, autosave p99 < 250 ms, 0 errors, 0 lost writes, event-loop delay max < 50 ms.
// With --database-url=postgres://… (or CS_DATABASE_URL) the server runs on PostgreSQL: the SQLite seed (drafts and
// validators included) is copied into cs_bench_mixed on that server first (bench/lib/postgres.ts).
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createRepositories } from '../server/db/repositories.ts';
import { createAuthService } from '../server/domain/auth.ts';
import { createItemService } from '../server/domain/items.ts';
import { hashPassword } from '../server/domain/passwords.ts';
import { BENCH_LANGUAGES, prng } from './lib/generate.ts';
import { writeImportCsv } from './lib/import-csv.ts';
import {
  benchPostgresUrl,
  copyToPostgres,
  serverEnv,
  serverSettings,
  withoutDatabaseUrl,
} from './lib/postgres.ts';
import { seedBenchDb } from './lib/seed-db.ts';
import { summarize } from './lib/stats.ts';

const args = withoutDatabaseUrl(process.argv.slice(2));
const postgresUrl = benchPostgresUrl();
const flag = (name: string, fallback: number) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : fallback;
};
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const annotators = flag('annotators', 50);
const baselineSeconds = flag('baseline', 20);
const path = 'bench/out/mixed.sqlite';
const csvPath = `bench/out/mixed-import-${n}.csv`;

// --- Seed: N items, drafts for every simulated annotator, two validators per language. ---
const bench = await seedBenchDb(path, n);
const repos = createRepositories(bench.db);
const auth = createAuthService(repos.users);
const items = createItemService(repos);
const passwordHash = await hashPassword('bench-password');
const validatorTokens = new Map<string, string[]>();
for (const language of BENCH_LANGUAGES) {
  const tokens: string[] = [];
  for (let v = 0; v < 2; v++) {
    const u = await repos.users.create({
      username: `bench-validator-${language}-${v}`,
      displayName: `validator ${language} ${v}`,
      role: 'annotator',
      languages: [language],
      passwordHash,
      uiLocale: 'en',
    });
    tokens.push((await auth.createToken(u.id, 'bench')).token);
  }
  validatorTokens.set(language, tokens);
}
interface Annotator {
  language: string;
  token: string;
  validatorToken: string;
  draftId: number;
  version: number;
  saved: number;
  initialVersion: number;
}
const people: Annotator[] = [];
for (let i = 0; i < annotators; i++) {
  const language = BENCH_LANGUAGES[i % BENCH_LANGUAGES.length];
  const author = bench.annotatorTokens.get(language)!;
  const draft = await items.create((await repos.users.get(author.userId))!, {
    datasetId: bench.datasetId,
    language,
    kind: 'culture',
    format: 'open_ended',
    question: `draft ${i}`,
  });
  people.push({
    language,
    token: author.token,
    validatorToken: validatorTokens.get(language)![i % 2],
    draftId: draft.id,
    version: draft.version,
    saved: 0,
    initialVersion: draft.version,
  });
}
// Items each annotator may open: not drafts, in their language.
const itemIds = new Map<string, number[]>(BENCH_LANGUAGES.map((l) => [l, []]));
for (const r of repos.db
  .prepare("SELECT id, language FROM items WHERE status <> 'draft' ORDER BY random() LIMIT 6000")
  .all() as { id: number; language: string }[])
  itemIds.get(r.language)?.push(r.id);
const pgTarget = postgresUrl ? await copyToPostgres(bench.db, postgresUrl, 'cs_bench_mixed') : null;
bench.db.close();
writeImportCsv(csvPath, n);

// --- Server ---
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--import', './bench/lib/loop-monitor.ts', 'server/main.ts'],
  {
    env: {
      ...serverEnv(pgTarget ? { postgres: pgTarget } : { sqlite: path }),
      CS_RELEASES_DIR: 'bench/out/mixed-releases',
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const loopLines: ((line: string) => void)[] = [];
const base = await new Promise<string>((resolve, reject) => {
  const rl = createInterface({ input: child.stdout });
  rl.on('line', (line) => {
    if (line.startsWith('LOOP ')) loopLines.shift()?.(line.slice(5));
    const m = /(http:\/\/\S+?)\/?$/.exec(line);
    if (m) resolve(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
/** The event-loop delay since the last call (the first call starts the measurement afresh). */
const loopDelay = () =>
  new Promise<{ max: number; p99: number; mean: number }>((resolve) => {
    loopLines.push((json) => resolve(JSON.parse(json) as { max: number; p99: number; mean: number }));
    child.kill('SIGUSR2');
  });

// --- Load ---
type Kind = 'list' | 'open' | 'autosave' | 'next-task';
const samples: Record<Kind, number[]> = { list: [], open: [], autosave: [], 'next-task': [] };
const failures: string[] = [];
// Warm-up samples (JIT, statement caches, the first pages read from disk) are not reported.
const warmup: Record<Kind, number[]> = { list: [], open: [], autosave: [], 'next-task': [] };
let phaseSamples = warmup;

async function call(token: string, method: string, url: string, body?: unknown) {
  const res = await fetch(base + url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function act(p: Annotator, rand: () => number) {
  const r = rand();
  const kind: Kind = r < 0.25 ? 'list' : r < 0.5 ? 'open' : r < 0.9 ? 'autosave' : 'next-task';
  const t0 = performance.now();
  let res;
  if (kind === 'list') {
    const page = 1 + Math.floor(rand() * 20);
    res = await call(p.token, 'GET', `/api/items?language=${p.language}&page=${page}`);
  } else if (kind === 'open') {
    const ids = itemIds.get(p.language)!;
    res = await call(p.token, 'GET', `/api/items/${ids[Math.floor(rand() * ids.length)]}`);
  } else if (kind === 'autosave') {
    res = await call(p.token, 'PATCH', `/api/items/${p.draftId}`, {
      version: p.version,
      changes: { question: `추석에는 가족이 모여 송편을 빚습니다 ${p.saved + 1}` },
    });
    if (res.status === 200) {
      p.version = res.body.version as number;
      p.saved++;
    }
  } else {
    res = await call(p.validatorToken, 'POST', '/api/tasks/next');
  }
  phaseSamples[kind].push(performance.now() - t0);
  if (res.status >= 400) failures.push(`${kind} ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
}

let running = true;
const thinkers = people.map(async (p, i) => {
  const rand = prng(100 + i);
  while (running) {
    try {
      await act(p, rand);
    } catch (e) {
      failures.push(`network: ${(e as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 100 + rand() * 400));
  }
});

const maintainer = bench.maintainerToken;
async function waitFor(url: string, done: (b: Record<string, unknown>) => boolean) {
  for (;;) {
    // A poll that fails on the network is asked again, as the UI's next poll would.
    const res = await call(maintainer, 'GET', url).catch(() => null);
    if (res === null) continue;
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    if (done(res.body)) return res.body;
    await new Promise((r) => setTimeout(r, 250)); // the UI's polling interval
  }
}

function report(title: string, s: Record<Kind, number[]>, loop: { max: number; p99: number }) {
  const reads = summarize([...s.list, ...s.open, ...s['next-task']]);
  const saves = summarize(s.autosave);
  console.log(`\n${title}`);
  for (const kind of Object.keys(s) as Kind[]) {
    const x = summarize(s[kind]);
    console.log(
      `  ${kind.padEnd(9)} n ${String(x.n).padStart(6)}  p50 ${x.p50.toFixed(1)}  p95 ${x.p95.toFixed(1)}  p99 ${x.p99.toFixed(1)}  max ${x.max.toFixed(1)} ms`,
    );
  }
  console.log(
    `  reads p99 ${reads.p99.toFixed(1)} ms (target < 100), autosave p99 ${saves.p99.toFixed(1)} ms (target < 250)`,
  );
  console.log(`  event loop: max ${loop.max} ms, p99 ${loop.p99} ms (target max < 50)`);
}

console.log(`engine: ${postgresUrl ? await serverSettings(postgresUrl) : 'SQLite'}`);
// Warm-up.
await new Promise((r) => setTimeout(r, 3_000));
phaseSamples = samples;

// Phase 1: the load alone.
await loopDelay();
await new Promise((r) => setTimeout(r, baselineSeconds * 1000));
report(`Phase 1: ${annotators} annotators, no jobs, ${baselineSeconds} s`, samples, await loopDelay());

// Phase 2: the same load while a maintainer imports N rows.
const duringImport: Record<Kind, number[]> = { list: [], open: [], autosave: [], 'next-task': [] };
phaseSamples = duringImport;
const t0 = performance.now();
const job = await call(maintainer, 'POST', '/api/imports', {
  datasetId: bench.datasetId,
  format: 'csv',
  dryRun: false,
  status: 'accepted',
  fileName: 'mixed.csv',
});
if (job.status !== 201) throw new Error(`import: ${job.status} ${JSON.stringify(job.body)}`);
const upload = await fetch(`${base}/api/imports/${job.body.id as number}/file`, {
  method: 'PUT',
  headers: { authorization: `Bearer ${maintainer}`, 'content-type': 'text/csv' },
  body: readFileSync(csvPath),
});
if (upload.status >= 400) throw new Error(`import upload: ${upload.status} ${await upload.text()}`);
await upload.text();
const imported = await waitFor(
  `/api/imports/${job.body.id as number}`,
  (b) => b.state === 'imported' || b.state === 'failed',
);
const importSeconds = (performance.now() - t0) / 1000;
if (imported.state !== 'imported')
  throw new Error(`import failed: ${JSON.stringify(imported.errors).slice(0, 500)}`);
report(
  `Phase 2: the same load during an import of ${n} rows (${(statSync(csvPath).size / 1e6).toFixed(1)} MB, ${importSeconds.toFixed(1)} s)`,
  duringImport,
  await loopDelay(),
);

// Phase 3: the same load while the maintainer releases the whole dataset.
const duringRelease: Record<Kind, number[]> = { list: [], open: [], autosave: [], 'next-task': [] };
phaseSamples = duringRelease;
const t1 = performance.now();
const release = await call(maintainer, 'POST', '/api/releases', {
  datasetId: bench.datasetId,
  version: '1.0.0',
  title: 'Mixed-load benchmark',
});
if (release.status >= 400) throw new Error(`release: ${release.status} ${JSON.stringify(release.body)}`);
const published = await waitFor(`/api/releases/${release.body.id as number}`, (b) => b.state !== 'building');
const releaseSeconds = (performance.now() - t1) / 1000;
const loop3 = await loopDelay();
running = false;
await Promise.all(thinkers);
report(
  `Phase 3: the same load during a release of ${String(published.itemCount)} items (${releaseSeconds.toFixed(1)} s, ${String(published.state)})`,
  duringRelease,
  loop3,
);

// Lost writes: every 200 to an autosave must be in the item's version.
let lost = 0;
for (const p of people) {
  const res = await call(p.token, 'GET', `/api/items/${p.draftId}`);
  if ((res.body.version as number) !== p.initialVersion + p.saved) lost++;
}
console.log(
  `\nerrors ${failures.length}${failures.length ? ` (first: ${failures[0]})` : ''}, lost writes ${lost}`,
);
child.kill('SIGTERM');
process.exitCode = failures.length === 0 && lost === 0 ? 0 : 1;
