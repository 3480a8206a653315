// Import of a 100k-row CSV (npm run bench:import -- [N] [--runs=R] [--reuse]): time and peak RSS of a real
// import (parse, check every row, items with revisions and provenance, full-text indexes) against the
// physical floor measured in the same run: papaparse parse of the same file + plain INSERT of the same
// columns into one STRICT table in one transaction + one bulk FTS5 trigram rebuild of the same text.
// Each phase runs in its own child process on a fresh database, so peak RSS is its own; with --runs the
// phases alternate and the medians are printed. Target (issue 10): import within 2x of the floor.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { openDatabase } from '../server/db/connection.ts';
import { migrate } from '../server/db/migrate.ts';
import { createRepositories } from '../server/db/repositories.ts';
import { runImportJob } from '../server/domain/import/job.ts';
import { createImportService } from '../server/domain/import/service.ts';
import { syncDefaultTaxonomies } from '../server/domain/taxonomies.ts';
import { IMPORT_CSV_COLUMNS, writeImportCsv } from './lib/import-csv.ts';
import { median } from './lib/stats.ts';

const OUT = 'bench/out';
const COLUMNS = IMPORT_CSV_COLUMNS;

async function freshDb(path: string) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = openDatabase(path);
  migrate(db);
  const repos = createRepositories(db);
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
  return { db, repos, datasetId: dataset.id, user };
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

async function realImport(file: string) {
  const { db, repos, datasetId, user } = await freshDb(`${OUT}/import-real.sqlite`);
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
  db.close();
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
if (phase === 'floor' || phase === 'import') {
  const file = process.argv[3];
  const result = phase === 'floor' ? floor(file) : await realImport(file);
  console.log(JSON.stringify({ ...result, maxRssMb: maxRssMb() }));
} else {
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => !a.startsWith('--')) ?? 100_000);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 1);
  mkdirSync(OUT, { recursive: true });
  const file = `${OUT}/import-${n}.csv`;
  if (!args.includes('--reuse') || !existsSync(file)) writeImportCsv(file, n);
  const mb = statSync(file).size / 1024 / 1024;
  const run = <T>(p: string): T => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/import.ts', p, file], {
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
      `run ${k + 1}: floor ${s(f.ms)} (parse ${s(f.parseMs)} + insert ${s(f.insertMs)} + FTS rebuild ${s(f.ftsMs)}), ` +
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
  console.log(`  floor, papaparse parse:                     ${s(f.parseMs)}`);
  console.log(`  floor, INSERT into one STRICT table:        ${s(f.insertMs)}`);
  console.log(`  floor, FTS5 trigram rebuild:                ${s(f.ftsMs)}`);
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
