// Building a 100k-item release (npm run bench:release -- [N]): time and peak RSS of the whole build job, run
// as the server runs it (on a job thread: the snapshot read in one read transaction and staged into
// release_items in slices, streaming writers for every file, deterministic .tar.gz, fsync, rename, publish)
// against the raw floor in the same run: select every item, each row a JSON line into one file and into one
// Parquet file through hyparquet-writer. `--compiled` builds with the compiled server (npm run build).
// Each phase runs in its own child process on the same seeded database. Also prints the request thread's
// event-loop delay during the build. Target: within 1.5x of the floor; RSS growth well under the dataset size.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import type Database from 'better-sqlite3';
import { fileWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import * as checkpointsTs from '../server/db/checkpoints.ts';
import { openDatabase } from '../server/db/connection.ts';
import { migrate } from '../server/db/migrate.ts';
import * as repositoriesTs from '../server/db/repositories.ts';
import * as releaseServiceTs from '../server/domain/releases/service.ts';
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

/** A Parquet column for each column of the items table, typed by SQLite's declared type, all optional. */
function parquetColumnsOf(db: Database.Database, table: string): SchemaElement[] {
  const columns = db
    .prepare<[string], { name: string; type: string }>('SELECT name, type FROM pragma_table_info(?)')
    .all(table);
  return columns.map(({ name, type }) =>
    type === 'INTEGER'
      ? { name, type: 'INT64', repetition_type: 'OPTIONAL' }
      : type === 'REAL'
        ? { name, type: 'DOUBLE', repetition_type: 'OPTIONAL' }
        : { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  );
}

/**
 * The physical floor: every accepted item selected, each row a JSON line written to one file and, with
 * `withParquet`, the same rows written to one Parquet file straight through hyparquet-writer (one column per
 * table column, row groups of 5,000, Snappy, no statistics: what the release's writer asks of it), in one pass.
 */
function floor(withParquet: boolean) {
  const db = openDatabase(DB);
  settleDisk();
  const started = performance.now();
  const fd = openSync(`${OUT}/release-floor.jsonl`, 'w');
  let pending: string[] = [];
  let size = 0;
  let bytes = 0;
  const schema = parquetColumnsOf(db, 'items');
  const parquet = withParquet
    ? new ParquetWriter({
        writer: fileWriter(`${OUT}/release-floor.parquet`),
        schema: [{ name: 'schema', num_children: schema.length }, ...schema],
        codec: 'SNAPPY',
        statistics: false,
      })
    : null;
  let group: unknown[][] = schema.map(() => []);
  let rows = 0;
  const flushGroup = () => {
    if (rows === 0 || !parquet) return;
    void parquet.write({
      columnData: schema.map((c, i) => ({ name: c.name, data: group[i] })),
      rowGroupSize: rows,
    });
    group = schema.map(() => []);
    rows = 0;
  };
  for (const row of db
    .prepare<[], Record<string, unknown>>("SELECT * FROM items WHERE status = 'accepted' ORDER BY uid")
    .iterate()) {
    const line = JSON.stringify(row) + '\n';
    pending.push(line);
    size += line.length;
    if (size > 1 << 20) {
      bytes += writeSync(fd, pending.join(''));
      pending = [];
      size = 0;
    }
    if (parquet) {
      for (let i = 0; i < schema.length; i++) {
        const v = row[schema[i].name];
        // Parquet's INT64 takes bigints.
        group[i].push(schema[i].type === 'INT64' && typeof v === 'number' ? BigInt(v) : v);
      }
      if (++rows === 5_000) flushGroup();
    }
  }
  bytes += writeSync(fd, pending.join(''));
  closeSync(fd);
  if (parquet) {
    flushGroup();
    void parquet.finish();
    bytes += statSync(`${OUT}/release-floor.parquet`).size;
  }
  return { ms: performance.now() - started, bytes };
}

/**
 * The server's modules for the build: with `--compiled`, the compiled server in build/ (`npm run build`), as
 * `npm start` runs it — its job and file writer threads then start without compiling TypeScript, which tsx
 * does on each thread start (≈ 0.3–0.5 s of the first slice here).
 */
async function serverModules(compiled: boolean) {
  if (!compiled) return { ...checkpointsTs, ...repositoriesTs, ...releaseServiceTs, openDatabase };
  const from = (path: string) => new URL(`../build/server/${path}.js`, import.meta.url).href;
  return {
    ...((await import(from('db/checkpoints'))) as typeof checkpointsTs),
    ...((await import(from('db/repositories'))) as typeof repositoriesTs),
    ...((await import(from('domain/releases/service'))) as typeof releaseServiceTs),
    openDatabase: ((await import(from('db/connection'))) as { openDatabase: typeof openDatabase })
      .openDatabase,
  };
}

async function release(compiled: boolean) {
  const { startBackgroundCheckpoints, createRepositories, createReleaseService, openDatabase } =
    await serverModules(compiled);
  // A fresh copy of the seeded database: a published release can never be removed from it.
  for (const suffix of ['-wal', '-shm']) rmSync(RUN_DB + suffix, { force: true });
  copyFileSync(DB, RUN_DB);
  const db = openDatabase(RUN_DB);
  // As the server runs it: WAL checkpoints on their own thread, concurrently with the build.
  const checkpoints = startBackgroundCheckpoints(db);
  const repos = createRepositories(db);
  const dir = `${OUT}/releases`;
  rmSync(dir, { recursive: true, force: true });
  const user = (await repos.users.getByUsername('bench-admin'))!;
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
if (phase === 'floor' || phase === 'floor-parquet')
  console.log(JSON.stringify({ ...floor(phase === 'floor-parquet'), maxRssMb: maxRssMb() }));
else if (phase === 'release' || phase === 'release-compiled')
  console.log(JSON.stringify({ ...(await release(phase === 'release-compiled')), maxRssMb: maxRssMb() }));
else {
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 1);
  mkdirSync(OUT, { recursive: true });
  if (args.includes('--reuse') && seededWith(n)) console.log(`reusing ${DB} (${n} items)`);
  else await seed(n);
  const run = (p: string) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/release.ts', p], { encoding: 'utf8' });
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
