// Agreement dashboard over N items × 3 validations (default 100k × 3 = 300k validations): every
// question (grounded, correct, category, quality, own answer) × language × category, with α, Fleiss κ,
// pairwise Cohen κ and percent agreement, plus per-annotator figures and coverage. Targets: < 1 s at 100k,
// < 10 s at 1M (issue 10). It times `agreementReport`, the function the reads pool's thread runs for
// GET /api/agreement. Seeding 1M items takes many minutes: `--reuse` keeps the database of a previous run
// of the same size (bench/out/agreement-<items>.sqlite).
// Usage: npx tsx bench/agreement.ts [items] [runs] [--reuse]
import { existsSync } from 'node:fs';
import { openDatabase } from '../server/db/connection.ts';
import { immediateWrite } from '../server/db/write-turns.ts';
import { createRepositories } from '../server/db/repositories.ts';
import { agreementReport } from '../server/domain/agreement-report.ts';
import { BENCH_LANGUAGES, prng } from './lib/generate.ts';
import { seedBenchDb } from './lib/seed-db.ts';
import { ms, summarize } from './lib/stats.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const n = Number(args[0] ?? 100_000);
const runs = Number(args[1] ?? 5);
const path = `bench/out/agreement-${n}.sqlite`;
const datasetId = process.argv.includes('--reuse') && existsSync(path) ? 1 : await seed();

/** A fresh database of `n` items, each with 3 submitted validations; returns the dataset id. */
async function seed(): Promise<number> {
  const bench = await seedBenchDb(path, n);
  const repos = createRepositories(bench.db);

  // Validators: 8 per language, so every item gets 3 of them (never its author).
  const validatorsByLanguage = new Map<string, number[]>();
  await repos.transaction(async () => {
    for (const language of BENCH_LANGUAGES) {
      const ids: number[] = [];
      for (let k = 0; k < 8; k++) {
        ids.push(
          (
            await repos.users.create({
              username: `val-${language}-${k}`,
              displayName: `val ${language} ${k}`,
              role: 'annotator',
              languages: [language],
              passwordHash: 'x',
              uiLocale: 'en',
            })
          ).id,
        );
      }
      validatorsByLanguage.set(language, ids);
    }
  });

  // Seeding is bench tooling, not application code: one bulk INSERT statement, one transaction.
  const rand = prng(11);
  const verdict = () => (rand() < 0.8 ? 'yes' : rand() < 0.5 ? 'no' : 'unsure');
  const insert = bench.db.prepare(
    `INSERT INTO validations (item_id, dataset_id, round, validator_id, gold, item_version, status, leased_at,
     expires_at, own_answer, own_answer_matches, grounded, correct, category, category_path, quality, submitted_at,
     duration_ms)
   VALUES (?, ${bench.datasetId}, 1, ?, 0, 1, 'submitted', ?, ?, '{"variants":["x"]}', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const items = bench.db.prepare('SELECT id, language FROM items ORDER BY id').all() as {
    id: number;
    language: string;
  }[];
  const t0 = performance.now();
  immediateWrite(bench.db, () => {
    for (const item of items) {
      const pool = validatorsByLanguage.get(item.language)!;
      const start = Math.floor(rand() * pool.length);
      for (let k = 0; k < 3; k++) {
        const other = rand() < 0.1;
        const leased = new Date(Date.UTC(2026, 1, 1) + item.id * 1000).toISOString();
        const duration = Math.round(30_000 + rand() * 300_000);
        const submitted = new Date(Date.UTC(2026, 1, 1) + item.id * 1000 + duration).toISOString();
        insert.run(
          item.id,
          pool[(start + k) % pool.length],
          leased,
          leased,
          rand() < 0.7 ? 1 : 0,
          verdict(),
          verdict(),
          other ? 'other' : 'keep',
          other ? 'tradition/holidays' : null,
          1 + Math.floor(rand() * 5),
          submitted,
          duration,
        );
      }
    }
  });
  console.log(`seeded ${items.length * 3} validations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  bench.db.close();
  return bench.datasetId;
}

// Only the validations repository: a reused database may be older than the other repositories' schema.
const db = openDatabase(path);
const validations = createRepositories(db).validations;

console.log(`\nAgreement report over ${n} items × 3 validations (${runs} runs, first is cold)`);
const samples: number[] = [];
let report: Awaited<ReturnType<typeof agreementReport>> | undefined;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  report = await agreementReport(validations, datasetId);
  samples.push(performance.now() - started);
  console.log(`  run ${i + 1}: ${ms(samples[i])}`);
}
const s = summarize(samples);
const core: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  await agreementReport(validations, datasetId, undefined, false);
  core.push(performance.now() - started);
}
const c = summarize(core);
console.log(
  `  full dashboard (5 questions × every language × category, annotators, coverage): cold ${ms(samples[0])}  median ${ms(s.p50)}  max ${ms(s.max)}`,
);
console.log(
  `  all questions overall (+ annotators, coverage), no breakdown: median ${ms(c.p50)}  max ${ms(c.max)}  (target < ${n > 100_000 ? '10,000' : '1,000'} ms)`,
);
const overall = report!.questions.filter((q) => q.language === '*');
for (const q of overall)
  console.log(
    `  ${q.question.padEnd(10)} units ${q.units}  α ${q.alpha?.toFixed(3)}  κF ${q.fleissKappa?.toFixed(3)}  κC ${q.cohenKappa?.toFixed(3)}  %${q.percentAgreement?.toFixed(3)}`,
  );
console.log(
  `  rows: ${report!.questions.length} question rows, ${report!.annotators.length} annotators, ${report!.coverage.length} coverage cells`,
);
db.close();
