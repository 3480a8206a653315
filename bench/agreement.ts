// Agreement dashboard over N items × 3 validations (default 100k × 3 = 300k validations): every
// question (grounded, correct, category, quality, own answer) × language × category, with α, Fleiss κ,
// pairwise Cohen κ and percent agreement, plus per-annotator figures and coverage. Target: < 1 s.
// Usage: npx tsx bench/agreement.ts [items] [runs]
import { createRepositories } from '../server/db/repositories.ts';
import { agreementReport } from '../server/domain/agreement-report.ts';
import { BENCH_LANGUAGES, prng } from './lib/generate.ts';
import { seedBenchDb } from './lib/seed-db.ts';
import { ms, summarize } from './lib/stats.ts';

const n = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 5);
const bench = await seedBenchDb('bench/out/agreement.sqlite', n);
const repos = createRepositories(bench.db);

// Validators: 8 per language, so every item gets 3 of them (never its author).
const validatorsByLanguage = new Map<string, number[]>();
repos.transaction(() => {
  for (const language of BENCH_LANGUAGES) {
    const ids: number[] = [];
    for (let k = 0; k < 8; k++) {
      ids.push(
        repos.users.create({
          username: `val-${language}-${k}`,
          displayName: `val ${language} ${k}`,
          role: 'annotator',
          languages: [language],
          passwordHash: 'x',
          uiLocale: 'en',
        }).id,
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
     expires_at, own_answer, own_answer_match, grounded, correct, category, category_path, quality, submitted_at,
     duration_ms)
   VALUES (?, ${bench.datasetId}, 1, ?, 0, 1, 'submitted', ?, ?, '{"variants":["x"]}', ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const items = bench.db.prepare('SELECT id, language FROM items ORDER BY id').all() as {
  id: number;
  language: string;
}[];
const t0 = performance.now();
repos.transaction(() => {
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

console.log(`\nAgreement report over ${n} items × 3 validations (${runs} runs, first is cold)`);
const samples: number[] = [];
let report: ReturnType<typeof agreementReport> | undefined;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  report = agreementReport(repos.validations, bench.datasetId);
  samples.push(performance.now() - started);
  console.log(`  run ${i + 1}: ${ms(samples[i]!)}`);
}
const s = summarize(samples);
const core: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  agreementReport(repos.validations, bench.datasetId, undefined, false);
  core.push(performance.now() - started);
}
const c = summarize(core);
console.log(
  `  full dashboard (5 questions × every language × category, annotators, coverage): cold ${ms(samples[0]!)}  median ${ms(s.p50)}  max ${ms(s.max)}`,
);
console.log(
  `  all questions overall (+ annotators, coverage), no breakdown: median ${ms(c.p50)}  max ${ms(c.max)}  (target < 1000 ms)`,
);
const overall = report!.questions.filter((q) => q.language === '*');
for (const q of overall)
  console.log(
    `  ${q.question.padEnd(10)} units ${q.units}  α ${q.alpha?.toFixed(3)}  κF ${q.fleissKappa?.toFixed(3)}  κC ${q.cohenKappa?.toFixed(3)}  %${q.percentAgreement?.toFixed(3)}`,
  );
console.log(
  `  rows: ${report!.questions.length} question rows, ${report!.annotators.length} annotators, ${report!.coverage.length} coverage cells`,
);
bench.db.close();
