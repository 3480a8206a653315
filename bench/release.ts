// Building a 100k-item release (npm run bench:release -- [N]): time and peak RSS of the whole build job, run
// as the server runs it (on a job thread: the snapshot read in one read transaction and staged into
// release_items in slices, streaming writers for every file, deterministic .tar.gz, fsync, rename, publish)
// against the raw floor in the same run: select every item, each row a JSON line into one file and into one
// Parquet file through hyparquet-writer. `--compiled` builds with the compiled server (npm run build). The job
// threads are warmed first, as server/main.ts does at start (a server that just started has them ready).
// Each phase runs in its own child process on the same seeded database. Also prints the request thread's
// event-loop delay during the build. Target: within 1.5x of the floor; RSS growth well under the dataset size.
//
// With --database-url=postgres://… (or CS_DATABASE_URL) the release is built on PostgreSQL: the SQLite seed is
// copied once into cs_bench_release_seed on that server, and each release phase builds on a fresh copy of it
// (cs_bench_release_run, CREATE DATABASE … TEMPLATE); the floor reads the same rows there through a server-side
// cursor (node-postgres, 1,000 rows a fetch) into the same JSON lines and Parquet file.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import * as checkpointsTs from '../server/db/checkpoints.ts';
import { openDatabase } from '../server/db/connection.ts';
import { migrate } from '../server/db/migrate.ts';
import * as openRepositoriesTs from '../server/db/open-repositories.ts';
import * as repositoriesTs from '../server/db/repositories.ts';
import * as warmUpTs from '../server/domain/job-warm-up.ts';
import * as releaseServiceTs from '../server/domain/releases/service.ts';
import {
  benchPostgresUrl,
  copyToPostgres,
  databaseUrl,
  recreateDatabase,
  serverSettings,
  withoutDatabaseUrl,
} from './lib/postgres.ts';
import { floorPostgres, floorSink, parquetColumnsOf } from './lib/release-floor.ts';
import { seedBenchDb } from './lib/seed-db.ts';

const OUT = 'bench/out';
const DB = `${OUT}/release.sqlite`;
const RUN_DB = `${OUT}/release-run.sqlite`;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;
/**
 * Writes back every dirty page before a phase is timed (sync(1)): otherwise the kernel flushes what the
 * previous phase or this phase's setup (the copied database) wrote, 30 s later, in the middle of a timing.
 */
const settleDisk = () => spawnSync('sync');
const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
const postgresUrl = benchPostgresUrl();
const PG_SEED = 'cs_bench_release_seed';

/**
 * The physical floor: every accepted item selected, each row a JSON line written to one file and, with
 * `withParquet`, the same rows written to one Parquet file straight through hyparquet-writer (one column per
 * table column, row groups of 5,000, Snappy, no statistics: what the release's writer asks of it), in one pass.
 */
function floor(withParquet: boolean) {
  const db = openDatabase(DB);
  settleDisk();
  const started = performance.now();
  const sink = floorSink(parquetColumnsOf(db, 'items'), withParquet);
  for (const row of db
    .prepare<[], Record<string, unknown>>("SELECT * FROM items WHERE status = 'accepted' ORDER BY uid")
    .iterate())
    sink.add(row);
  return { ms: performance.now() - started, bytes: sink.finish() };
}

/**
 * The server's modules for the build: with `--compiled`, the compiled server in build/ (`npm run build`), as
 * `npm start` runs it — its job and file writer threads then start without compiling TypeScript, which tsx
 * does on each thread start (≈ 0.3–0.5 s of the first slice here).
 */
async function serverModules(compiled: boolean) {
  if (!compiled)
    return {
      ...checkpointsTs,
      ...repositoriesTs,
      ...openRepositoriesTs,
      ...releaseServiceTs,
      ...warmUpTs,
      openDatabase,
    };
  const from = (path: string) => new URL(`../build/server/${path}.js`, import.meta.url).href;
  return {
    ...((await import(from('db/checkpoints'))) as typeof checkpointsTs),
    ...((await import(from('db/repositories'))) as typeof repositoriesTs),
    ...((await import(from('db/open-repositories'))) as typeof openRepositoriesTs),
    ...((await import(from('domain/releases/service'))) as typeof releaseServiceTs),
    ...((await import(from('domain/job-warm-up'))) as typeof warmUpTs),
    openDatabase: ((await import(from('db/connection'))) as { openDatabase: typeof openDatabase })
      .openDatabase,
  };
}

async function release(compiled: boolean) {
  const {
    startBackgroundCheckpoints,
    createRepositories,
    openRepositories,
    createReleaseService,
    warmJobThreads,
    openDatabase,
  } = await serverModules(compiled);
  // A fresh copy of the seeded database: a published release can never be removed from it.
  let repos: repositoriesTs.Repositories;
  let checkpoints: { stop(): Promise<void> } | null = null;
  let close: () => Promise<void>;
  if (postgresUrl) {
    const pg = await openRepositories(await recreateDatabase(postgresUrl, 'cs_bench_release_run', PG_SEED));
    close = () => pg.close();
    repos = pg;
  } else {
    for (const suffix of ['-wal', '-shm']) rmSync(RUN_DB + suffix, { force: true });
    copyFileSync(DB, RUN_DB);
    const db = openDatabase(RUN_DB);
    // As the server runs it: WAL checkpoints on their own thread, concurrently with the build.
    checkpoints = startBackgroundCheckpoints(db);
    repos = createRepositories(db);
    close = () => {
      db.close();
      return Promise.resolve();
    };
  }
  const dir = `${OUT}/releases`;
  rmSync(dir, { recursive: true, force: true });
  const user = (await repos.users.getByUsername('bench-admin'))!;
  // As the server does at start (server/main.ts): the job thread, its modules and the file writer thread are ready.
  const failed = await warmJobThreads();
  if (failed.length > 0) throw new Error(`warm-up failed: ${failed.join('; ')}`);
  settleDisk();
  const baseline = rssMb();
  const marks: Record<string, number> = {};
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const service = createReleaseService(repos, {
    releasesDir: dir,
    hook: (step) => {
      if (
        step === 'slice:1' ||
        step === 'snapshot' ||
        step === 'file:csv/test.csv' ||
        step === 'files-written' ||
        step === 'archived'
      )
        marks[step] = performance.now() - started;
    },
  });
  // The same job the server starts on POST /api/releases, waited for.
  const r = await service.createAndWait(user, {
    datasetId: 1,
    version: '1.0.0',
    title: 'Bench',
    notes: '',
    license: 'cc-by-4.0',
    url: null,
    filter: { languages: [], kinds: [], categories: [], includeSubmitted: false },
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  delay.disable();
  await checkpoints?.stop();
  await close();
  const dataBytes = r.files.filter((f) => f.path.startsWith('data/')).reduce((s, f) => s + f.size, 0);
  return {
    ms,
    items: r.itemCount,
    marks,
    dataBytes,
    archiveBytes: r.archive!.size,
    rssGrowthMb: rssMb() - baseline,
    baselineMb: baseline,
    loopDelayMaxMs: delay.max / 1e6,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function seed(n: number) {
  const { db } = await seedBenchDb(DB, n);
  db.pragma('journal_mode = DELETE');
  // A release takes accepted, complete items: accept all, and make generated options distinct.
  db.prepare("UPDATE items SET status = 'accepted'").run();
  db.prepare(
    `UPDATE items SET options = json_array(json_extract(options, '$[0]'), 'option 2', 'option 3', 'option 4')
     WHERE format = 'multiple_choice'`,
  ).run();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The seeded SQLite database copied into PG_SEED on the server (copy-database), the template of every run. */
async function seedPostgres(url: string) {
  const db = openDatabase(DB);
  try {
    await copyToPostgres(db, url, PG_SEED);
  } finally {
    db.close();
  }
}

/** Whether the seeded database exists with n accepted items and no release (`--reuse` skips seeding then). */
function seededWith(n: number): boolean {
  if (!existsSync(DB)) return false;
  const db = openDatabase(DB);
  try {
    migrate(db); // migrations added since the seeding
    db.pragma('wal_checkpoint(TRUNCATE)');
    const { items } = db
      .prepare<[], { items: number }>("SELECT count(*) AS items FROM items WHERE status = 'accepted'")
      .get()!;
    const { releases } = db
      .prepare<[], { releases: number }>('SELECT count(*) AS releases FROM releases')
      .get()!;
    return items === n && releases === 0;
  } finally {
    db.close();
  }
}

const phase = process.argv[2];
if (phase === 'floor' || phase === 'floor-parquet') {
  const result = postgresUrl
    ? await floorPostgres(phase === 'floor-parquet', databaseUrl(postgresUrl, PG_SEED))
    : floor(phase === 'floor-parquet');
  console.log(JSON.stringify({ ...result, maxRssMb: maxRssMb() }));
} else if (phase === 'release' || phase === 'release-compiled')
  console.log(JSON.stringify({ ...(await release(phase === 'release-compiled')), maxRssMb: maxRssMb() }));
else {
  const args = withoutDatabaseUrl(process.argv.slice(2));
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 1);
  mkdirSync(OUT, { recursive: true });
  if (args.includes('--reuse') && seededWith(n)) console.log(`reusing ${DB} (${n} items)`);
  else await seed(n);
  if (postgresUrl) {
    await seedPostgres(postgresUrl);
    console.log(`engine: ${await serverSettings(postgresUrl)}`);
  }
  // Each phase reads the PostgreSQL URL, if any, from CS_DATABASE_URL (never on a command line).
  const env = { ...process.env };
  delete env.CS_DATABASE_URL;
  if (postgresUrl) env.CS_DATABASE_URL = postgresUrl;
  const run = (p: string) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/release.ts', p], {
      env,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`${p} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number> & {
      marks: Record<string, number>;
    };
  };
  const ratios: { time: number; rss: number }[] = [];
  for (let k = 1; k <= runs; k++) {
    if (runs > 1) console.log(`run ${k} of ${runs}:`);
    ratios.push(
      report(
        run('floor'),
        run('floor-parquet'),
        run(args.includes('--compiled') ? 'release-compiled' : 'release'),
      ),
    );
  }
  if (runs > 1) {
    // Each run compares the two phases measured back to back; the median run is the figure to quote.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
    const time = ratios.map((r) => r.time);
    const rss = ratios.map((r) => r.rss);
    console.log(
      `median of ${runs} runs: time ${median([...time]).toFixed(2)}x (${range(time)}), peak RSS ${median([...rss]).toFixed(2)}x (${range(rss)}) (target ≤ 1.5x)`,
    );
  }
}

function report(
  jsonl: Record<string, number>,
  f: Record<string, number>,
  r: Record<string, number> & { marks: Record<string, number> },
): { time: number; rss: number } {
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  console.log(`release of ${r.items} items, each phase in a fresh process on the same database:`);
  console.log(
    `  JSON lines only (select all + JSON.stringify + write one file, ${mb(jsonl.bytes)} MB): ${(jsonl.ms / 1000).toFixed(2)} s, peak RSS ${jsonl.maxRssMb.toFixed(0)} MB`,
  );
  console.log(
    `  floor   (the same + the rows into one Parquet file with hyparquet-writer, ${mb(f.bytes)} MB): ${(f.ms / 1000).toFixed(2)} s, peak RSS ${f.maxRssMb.toFixed(0)} MB`,
  );
  console.log(
    `  release (job: snapshot + all files + .tar.gz + fsync + rename + publish): ${(r.ms / 1000).toFixed(2)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB`,
  );
  console.log(
    `    request thread's event loop delay during the build: max ${r.loopDelayMaxMs.toFixed(1)} ms; CPU used by all threads ${(r.cpuMs / 1000).toFixed(2)} s`,
  );
  console.log(
    `    steps: ${Object.entries(r.marks)
      .map(([k, v]) => `${k} at ${(v / 1000).toFixed(2)} s`)
      .join(', ')}`,
  );
  console.log(
    `    data files ${mb(r.dataBytes)} MB, archive ${mb(r.archiveBytes)} MB; RSS growth during the build ${r.rssGrowthMb.toFixed(0)} MB`,
  );
  const ratio = { time: r.ms / f.ms, rss: r.maxRssMb / f.maxRssMb };
  console.log(`  ratio: time ${ratio.time.toFixed(2)}x, peak RSS ${ratio.rss.toFixed(2)}x (target ≤ 1.5x)`);
  console.log(
    `  against JSON lines only: time ${(r.ms / jsonl.ms).toFixed(2)}x, peak RSS ${(r.maxRssMb / jsonl.maxRssMb).toFixed(2)}x`,
  );
  return ratio;
}
