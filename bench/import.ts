// Import of a 100k-row CSV (npm run bench:import -- [N]): time and peak RSS of a real import (parse,
// check every row, one transaction with revisions and provenance) against the raw floor measured in the
// same run: papaparse parse of the same file + one-transaction insert of the same rows through the item
// repository. Each phase runs in its own child process on a fresh database, so peak RSS is its own.
// Target: import within 1.5x of the floor.
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { openDatabase } from '../server/db/connection.ts';
import { migrate } from '../server/db/migrate.ts';
import { createRepositories } from '../server/db/repositories.ts';
import { createImportService } from '../server/domain/import/service.ts';
import { syncDefaultTaxonomies } from '../server/domain/taxonomies.ts';
import { newItemUid } from '../server/domain/items.ts';
import { emptyItemFields, type ItemFormat } from '../schema/item.ts';
import { generateItem, prng } from './lib/generate.ts';

const OUT = 'bench/out';
const COLUMNS = [
  'externalId',
  'language',
  'country',
  'kind',
  'format',
  'question',
  'questionEn',
  'referenceAnswer',
  'acceptedAnswers',
  'options',
  'correctIndex',
  'trueFalseAnswer',
  'primaryCategory',
  'difficulty',
] as const;

function writeCsv(path: string, n: number) {
  const rand = prng(11);
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const it = generateItem(i, rand, 1, [1]);
    // The generator may repeat an option; the import (rightly) refuses that, so make them distinct.
    const options = [...new Set(it.options.map((o) => o.trim()))];
    while (it.options.length > 0 && options.length < 4) options.push(`option ${options.length + 1}`);
    rows.push([
      `bench-${i}`,
      it.language,
      it.country ?? '',
      it.kind,
      it.format,
      it.question,
      it.questionEn ?? '',
      it.referenceAnswer ?? '',
      it.acceptedAnswers.join('|'),
      options.length ? JSON.stringify(options) : '',
      it.correctIndex === null ? '' : String(it.correctIndex),
      it.trueFalseAnswer === null ? '' : String(it.trueFalseAnswer),
      it.primaryCategory ?? '',
      it.difficulty ?? '',
    ]);
  }
  writeFileSync(path, Papa.unparse({ fields: [...COLUMNS], data: rows }, { newline: '\n' }) + '\n');
}

function freshDb(path: string) {
  for (const suffix of ['', '-wal', '-shm']) spawnSync('rm', ['-f', path + suffix]);
  const db = openDatabase(path);
  migrate(db);
  const repos = createRepositories(db);
  syncDefaultTaxonomies(repos.taxonomies);
  const dataset = repos.datasets.create({
    slug: 'bench',
    name: 'Bench',
    description: '',
    validatorsPerItem: 3,
    autoAccept: true,
  });
  const user = repos.users.create({
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

/** The floor: parse with papaparse, insert every row in one transaction (no checks, no revisions). */
function floor(file: string) {
  const { db, repos, datasetId, user } = freshDb(`${OUT}/import-floor.sqlite`);
  const started = performance.now();
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  const at = new Date().toISOString();
  repos.transaction(() => {
    for (const r of parsed.data) {
      const format = r.format as ItemFormat;
      repos.items.insert({
        ...emptyItemFields({ language: r.language!, kind: 'culture', format }),
        country: r.country!,
        question: r.question!,
        questionEn: r.questionEn || null,
        referenceAnswer: r.referenceAnswer || null,
        acceptedAnswers: r.acceptedAnswers ? r.acceptedAnswers.split('|') : [],
        options: r.options ? (JSON.parse(r.options) as string[]) : [],
        correctIndex: r.correctIndex ? Number(r.correctIndex) : null,
        trueFalseAnswer: r.trueFalseAnswer ? r.trueFalseAnswer === 'true' : null,
        primaryCategory: r.primaryCategory || null,
        uid: newItemUid(r.language!),
        datasetId,
        externalId: r.externalId!,
        status: 'submitted',
        authorId: user.id,
        version: 1,
        createdAt: at,
        updatedAt: at,
        submittedAt: at,
      });
    }
  });
  const ms = performance.now() - started;
  db.close();
  return { ms, rows: parsed.data.length };
}

async function realImport(file: string) {
  const { db, repos, datasetId, user } = freshDb(`${OUT}/import-real.sqlite`);
  const imports = createImportService(repos);
  const started = performance.now();
  const job = imports.create(user, {
    datasetId,
    format: 'csv',
    dryRun: false,
    status: 'submitted',
    fileName: 'bench.csv',
  });
  const done = await imports.run(
    user,
    job.id,
    createReadStream(file, { highWaterMark: 256 * 1024 }),
    statSync(file).size,
  );
  const ms = performance.now() - started;
  if (done.state !== 'imported')
    throw new Error(`import ${done.state}: ${JSON.stringify(done.errors.slice(0, 3))}`);
  db.close();
  return { ms, rows: done.created };
}

const phase = process.argv[2];
if (phase === 'floor' || phase === 'import') {
  const file = process.argv[3]!;
  const result = phase === 'floor' ? floor(file) : await realImport(file);
  console.log(JSON.stringify({ ...result, maxRssMb: maxRssMb() }));
} else {
  const n = Number(process.argv[2] ?? 100_000);
  mkdirSync(OUT, { recursive: true });
  const file = `${OUT}/import-${n}.csv`;
  writeCsv(file, n);
  const mb = statSync(file).size / 1024 / 1024;
  const run = (p: string) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/import.ts', p, file], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`${p} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; rows: number; maxRssMb: number };
  };
  const f = run('floor');
  const i = run('import');
  console.log(`import of ${n} CSV rows (${mb.toFixed(1)} MB), each phase in a fresh process and database:`);
  console.log(
    `  floor  (papaparse + 1-transaction insert): ${(f.ms / 1000).toFixed(2)} s, peak RSS ${f.maxRssMb.toFixed(0)} MB`,
  );
  console.log(
    `  import (stream, check, revisions, provenance): ${(i.ms / 1000).toFixed(2)} s, peak RSS ${i.maxRssMb.toFixed(0)} MB`,
  );
  console.log(
    `  ratio: time ${(i.ms / f.ms).toFixed(2)}x, peak RSS ${(i.maxRssMb / f.maxRssMb).toFixed(2)}x (target ≤ 1.5x)`,
  );
}
