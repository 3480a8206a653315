// Import of a 100k-row CSV (npm run bench:import -- [N] [--runs=R] [--reuse]): time and peak RSS of a real
// import (parse, check every row, items with revisions and provenance, full-text indexes) against the
// physical floor measured in the same run: papaparse parse of the same file + plain INSERT of the same
// columns into one STRICT table in one transaction + one bulk FTS5 trigram rebuild of the same text.
// Each phase runs in its own child process on a fresh database, so peak RSS is its own; with --runs the
// phases alternate and the medians are printed. Target (issue 10): import within 2x of the floor.
//
// With --database-url=postgres://… (or CS_DATABASE_URL) both phases run on PostgreSQL, each in a database of its
// own on that server (cs_bench_import, cs_bench_import_floor; bench/lib/postgres.ts): the import through the
// PostgreSQL repositories, and the floor with PostgreSQL's raw calls — the same parse, plain multi-row INSERTs of
// the same columns into one table in one transaction, then one pg_trgm GIN index over the same text columns.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { openDatabase } from '../server/db/connection.ts';
import { migrate } from '../server/db/migrate.ts';
import { openMigratedRepositories } from '../server/db/open-repositories.ts';
import { connectPostgres } from '../server/db/postgres/database.ts';
import { createRepositories, type Repositories } from '../server/db/repositories.ts';
import { runImportJob } from '../server/domain/import/job.ts';
import { createImportService } from '../server/domain/import/service.ts';
import { syncDefaultTaxonomies } from '../server/domain/taxonomies.ts';
import { IMPORT_CSV_COLUMNS, writeImportCsv } from './lib/import-csv.ts';
import { benchPostgresUrl, recreateDatabase, serverSettings, withoutDatabaseUrl } from './lib/postgres.ts';
import { median } from './lib/stats.ts';

const OUT = 'bench/out';
const COLUMNS = IMPORT_CSV_COLUMNS;

/** A fresh migrated database (SQLite at `path`, or cs_bench_import on the PostgreSQL server) with a dataset and a maintainer. */
async function freshDb(path: string, postgresUrl: string | undefined) {
  if (postgresUrl) {
    const { repos } = await openMigratedRepositories(await recreateDatabase(postgresUrl, 'cs_bench_import'));
    return { ...(await datasetAndUser(repos)), close: () => repos.close() };
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = openDatabase(path);
  migrate(db);
  const repos = createRepositories(db);
  return {
    ...(await datasetAndUser(repos)),
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

async function datasetAndUser(repos: Repositories) {
  await syncDefaultTaxonomies(repos.taxonomies);
  const dataset = await repos.datasets.create({
    slug: 'bench',
    name: 'Bench',
    description: '',
    validatorsPerItem: 3,
    autoAccept: true,
  });
  const user = await repos.users.create({
    username: 'bench-admin',
    displayName: 'Bench admin',
    role: 'maintainer',
    languages: [],
    passwordHash: 'x',
    uiLocale: 'en',
  });
  return { repos, datasetId: dataset.id, user };
}

const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

/** The text columns the items' trigram index covers, as they appear in the file. */
const TEXT_COLUMNS = ['question', 'questionEn', 'referenceAnswer', 'acceptedAnswers', 'options'] as const;

/**
 * The physical floor, raw library calls only: papaparse parse of the whole file; plain INSERT of its
 * columns into one STRICT table with no index besides the rowid, in one transaction; one bulk FTS5
 * trigram `rebuild` (external content: that table) over its text columns. Same pragmas as the server.
 */
function floor(file: string) {
  const path = `${OUT}/import-floor.sqlite`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE rows (${COLUMNS.map((c) => `${c} TEXT`).join(', ')}) STRICT`);
  db.exec(
    `CREATE VIRTUAL TABLE rows_fts USING fts5(${TEXT_COLUMNS.join(', ')}, content = 'rows', ` +
      `tokenize = 'trigram remove_diacritics 1')`,
  );

  let t = performance.now();
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  const parseMs = performance.now() - t;

  t = performance.now();
  const insert = db.prepare(
    `INSERT INTO rows (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  db.transaction(() => {
    for (const r of parsed.data) insert.run(r);
  })();
  const insertMs = performance.now() - t;

  t = performance.now();
  db.exec(`INSERT INTO rows_fts (rows_fts) VALUES ('rebuild')`);
  const ftsMs = performance.now() - t;
  db.close();
  return { parseMs, insertMs, ftsMs, ms: parseMs + insertMs + ftsMs, rows: parsed.data.length };
}

/**
 * The floor on PostgreSQL, raw node-postgres calls only: the same parse; plain multi-row INSERTs of the same columns
 * (all text) into one table with no index, in one transaction; one pg_trgm GIN index over the same text columns
 * (what the items' search reads on PostgreSQL, built in one pass).
 */
async function floorPostgres(file: string, postgresUrl: string) {
  const db = await connectPostgres(await recreateDatabase(postgresUrl, 'cs_bench_import_floor'), { max: 1 });
  const q = (c: string) => `"${c}"`;
  await db.exec(`CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE TABLE rows (${COLUMNS.map((c) => `${q(c)} text`).join(', ')})`);

  let t = performance.now();
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  const parseMs = performance.now() - t;

  t = performance.now();
  const batch = 1_000; // rows per INSERT: 1,000 × columns stays under PostgreSQL's 65,535 parameters
  await db.transaction(async () => {
    for (let at = 0; at < parsed.data.length; at += batch) {
      const rows = parsed.data.slice(at, at + batch);
      const values = rows.map(
        (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`,
      );
      await db.execute(
        `INSERT INTO rows (${COLUMNS.map(q).join(', ')}) VALUES ${values.join(', ')}`,
        rows.flatMap((r) => COLUMNS.map((c) => r[c] ?? null)),
      );
    }
  });
  const insertMs = performance.now() - t;

  t = performance.now();
  const text = TEXT_COLUMNS.map((c) => `coalesce(${q(c)}, '')`).join(` || ' ' || `);
  await db.exec(`CREATE INDEX rows_trgm ON rows USING gin ((${text}) gin_trgm_ops)`);
  const ftsMs = performance.now() - t;
  await db.close();
  return { parseMs, insertMs, ftsMs, ms: parseMs + insertMs + ftsMs, rows: parsed.data.length };
}

async function realImport(file: string, postgresUrl: string | undefined) {
  const { repos, datasetId, user, close } = await freshDb(`${OUT}/import-real.sqlite`, postgresUrl);
  const imports = createImportService(repos);
  const started = performance.now();
  const job = await imports.create(user, {
    datasetId,
    format: 'csv',
    dryRun: false,
    status: 'submitted',
    fileName: 'bench.csv',
  });
  // As the server runs it: claimed here, checked and written on a job thread with its own connection.
  await imports.claim(job.id, statSync(file).size);
  const done = await runImportJob(repos, user.id, job.id, file);
  const committedMs = performance.now() - started;
  if (done.state !== 'imported')
    throw new Error(`import ${done.state}: ${JSON.stringify(done.errors.slice(0, 3))}`);
  // The items are searchable once committed (a search scans the queue); the server's catch-up thread then
  // indexes them in batches. Here the whole queue is indexed at once, so the time compares with the floor's.
  const indexStarted = performance.now();
  await repos.items.catchUpSearchIndex(Number.MAX_SAFE_INTEGER);
  const indexMs = performance.now() - indexStarted;
  await close();
  return { ms: committedMs + indexMs, committedMs, indexMs, rows: done.created };
}

interface FloorResult {
  parseMs: number;
  insertMs: number;
  ftsMs: number;
  ms: number;
  rows: number;
  maxRssMb: number;
}
interface ImportResult {
  ms: number;
  committedMs: number;
  indexMs: number;
  rows: number;
  maxRssMb: number;
}

const phase = process.argv[2];
const postgresUrl = benchPostgresUrl();
if (phase === 'floor' || phase === 'import') {
  const file = process.argv[3];
  const result =
    phase === 'import'
      ? await realImport(file, postgresUrl)
      : postgresUrl
        ? await floorPostgres(file, postgresUrl)
        : floor(file);
  console.log(JSON.stringify({ ...result, maxRssMb: maxRssMb() }));
} else {
  const args = withoutDatabaseUrl(process.argv.slice(2));
  const n = Number(args.find((a) => !a.startsWith('--')) ?? 100_000);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 1);
  mkdirSync(OUT, { recursive: true });
  const file = `${OUT}/import-${n}.csv`;
  if (!args.includes('--reuse') || !existsSync(file)) writeImportCsv(file, n);
  const mb = statSync(file).size / 1024 / 1024;
  const run = <T>(p: string): T => {
    // The phase reads the PostgreSQL URL, if any, from CS_DATABASE_URL (never on a command line).
    const env = { ...process.env };
    delete env.CS_DATABASE_URL;
    if (postgresUrl) env.CS_DATABASE_URL = postgresUrl;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/import.ts', p, file], {
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`${p} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
  };
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const floors: FloorResult[] = [];
  const imports: ImportResult[] = [];
  for (let k = 0; k < runs; k++) {
    const f = run<FloorResult>('floor');
    const i = run<ImportResult>('import');
    floors.push(f);
    imports.push(i);
    console.log(
      `run ${k + 1}: floor ${s(f.ms)} (parse ${s(f.parseMs)} + insert ${s(f.insertMs)} + ${postgresUrl ? 'trigram GIN index' : 'FTS rebuild'} ${s(f.ftsMs)}), ` +
        `peak RSS ${f.maxRssMb.toFixed(0)} MB; import ${s(i.ms)} (committed ${s(i.committedMs)} + index ${s(i.indexMs)}), peak RSS ${i.maxRssMb.toFixed(0)} MB; ` +
        `ratio ${(i.ms / f.ms).toFixed(2)}x`,
    );
  }
  const m = (xs: number[]) => median(xs);
  const f = {
    parseMs: m(floors.map((x) => x.parseMs)),
    insertMs: m(floors.map((x) => x.insertMs)),
    ftsMs: m(floors.map((x) => x.ftsMs)),
    ms: m(floors.map((x) => x.ms)),
    maxRssMb: m(floors.map((x) => x.maxRssMb)),
  };
  const i = {
    ms: m(imports.map((x) => x.ms)),
    committedMs: m(imports.map((x) => x.committedMs)),
    indexMs: m(imports.map((x) => x.indexMs)),
    maxRssMb: m(imports.map((x) => x.maxRssMb)),
  };
  const ratios = floors.map((x, k) => imports[k].ms / x.ms);
  console.log(
    `import of ${n} CSV rows (${mb.toFixed(1)} MB), each phase in a fresh process and database` +
      (runs > 1 ? `, median of ${runs} runs:` : ':'),
  );
  console.log(`  engine: ${postgresUrl ? await serverSettings(postgresUrl) : 'SQLite'}`);
  console.log(`  floor, papaparse parse:                     ${s(f.parseMs)}`);
  if (postgresUrl) {
    console.log(`  floor, multi-row INSERTs into one table:    ${s(f.insertMs)}`);
    console.log(`  floor, pg_trgm GIN index over the text:     ${s(f.ftsMs)}`);
  } else {
    console.log(`  floor, INSERT into one STRICT table:        ${s(f.insertMs)}`);
    console.log(`  floor, FTS5 trigram rebuild:                ${s(f.ftsMs)}`);
  }
  console.log(
    `  floor, sum:                                 ${s(f.ms)}, peak RSS ${f.maxRssMb.toFixed(0)} MB`,
  );
  console.log(`  import, checked and committed:              ${s(i.committedMs)}`);
  console.log(`  import, search index catch-up:              ${s(i.indexMs)}`);
  console.log(
    `  import, total:                              ${s(i.ms)}, peak RSS ${i.maxRssMb.toFixed(0)} MB`,
  );
  console.log(
    `  ratio: time ${(i.ms / f.ms).toFixed(2)}x (per run: ${ratios.map((r) => r.toFixed(2)).join(', ')}; ` +
      `target ≤ 2x), peak RSS ${(i.maxRssMb / f.maxRssMb).toFixed(2)}x`,
  );
}
