// Report computation (npx tsx bench/report.ts [N] [--models=10] [--reuse]): 10 models × N items (default 100k) of
// responses, each model with 1,000 open-ended/safety responses rated by 3 raters, then the full report
// (every model × language × category cell plus the totals, 95% bootstrap intervals with 1,000 resamples,
// Krippendorff's alpha). Target: < 2 s. Then the paired comparison of two runs (every slice and measure, McNemar,
// Newcombe, paired bootstrap, Holm) and the headline table (every run against the best non-sovereign one), next to
// their floor: the raw SQL that pairs two runs' answers; then the judge calibration of every run (a judge run per
// model run over its rated responses). Target (issue 15): calibration and paired comparisons < 3 s.
import { existsSync } from 'node:fs';
import { openDatabase } from '../server/db/connection.ts';
import { immediateWrite } from '../server/db/write-turns.ts';
import { createRepositories } from '../server/db/repositories.ts';
import { compareRuns } from '../server/domain/scoring/compare.ts';
import { headlineTable } from '../server/domain/scoring/headline.ts';
import { judgeCalibration } from '../server/domain/scoring/judge-calibration.ts';
import { buildReport } from '../server/domain/scoring/report.ts';
import { createScoringService } from '../server/domain/scoring/service.ts';
import { benchRelease } from './lib/scoring.ts';
import { summarize } from './lib/stats.ts';

const DB = 'bench/out/report.sqlite';
const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const modelCount = Number(args.find((a) => a.startsWith('--models='))?.slice(9) ?? 10);
const RATED = 1_000;

async function seed() {
  const { db, releaseId, userId } = await benchRelease(DB, n);
  const repos = createRepositories(db);
  const scoring = createScoringService(repos);
  const user = (await repos.users.get(userId))!;
  const raters = [1, 2, 3].map(
    async (k) =>
      (
        await repos.users.create({
          username: `rater-${k}`,
          displayName: `Rater ${k}`,
          role: 'annotator',
          languages: [],
          passwordHash: 'x',
          uiLocale: 'en',
        })
      ).id,
  );
  const started = performance.now();
  await repos.transaction(async () => {
    const campaign = await repos.scoring.insertCampaign({
      releaseId,
      name: 'bench',
      ratersPerResponse: 3,
      leaseMinutes: 30,
      createdBy: userId,
      createdAt: new Date().toISOString(),
    });
    for (let m = 0; m < modelCount; m++) {
      const model = await scoring.createModel(user, {
        name: `Model ${m + 1}`,
        developer: 'bench',
        // Sovereign models of the bench's languages' countries; the others foreign (home language English).
        country: m % 3 === 0 ? ['KR', 'EG', 'TH', 'IN'][(m / 3) % 4] : 'US',
        sovereign: m % 3 === 0,
        baseUrl: null,
        endpointModel: null,
        apiKeyEnv: null,
      });
      const run = await scoring.createRun(user, {
        modelId: model.id,
        releaseId,
        promptTemplate: null,
        temperature: 0,
        maxTokens: 1,
      });
      const accuracy = 40 + m * 5;
      // Responses straight from the snapshot, with synthetic scores (the scoring itself is not what is timed).
      db.prepare(
        `INSERT INTO responses (run_id, uid, language, kind, format, category, response, source, scoring, extracted, correct, created_at)
         SELECT @run, uid, language, json_extract(snapshot, '$.item.kind'), json_extract(snapshot, '$.item.format'),
           CASE WHEN json_extract(snapshot, '$.item.kind') = 'safety'
             THEN 'safety:' || coalesce(json_extract(snapshot, '$.item.hazard'), '')
             ELSE coalesce(json_extract(snapshot, '$.item.primaryCategory'), '') END,
           'answer', 'import', s.scoring,
           CASE WHEN s.scoring = 'auto' THEN '0' END,
           CASE WHEN s.scoring = 'auto' THEN (abs(random()) % 100 < @accuracy) END, '2026-01-01T00:00:00Z'
         FROM (SELECT uid, language, snapshot,
                 CASE WHEN json_extract(snapshot, '$.item.kind') = 'safety'
                   OR json_extract(snapshot, '$.item.format') = 'open_ended' THEN 'rating' ELSE 'auto' END AS scoring
               FROM release_items WHERE release_id = @release) s`,
      ).run({ run: run.id, release: releaseId, accuracy });
      db.prepare(
        `INSERT INTO ratings (campaign_id, response_id, rater_id, status, leased_at, expires_at, correctness,
           cultural_alignment, language_quality, safety_outcome, submitted_at)
         SELECT @campaign, x.id, r.value, 'submitted', '2026-01-01', '2026-01-01',
           CASE abs(random()) % 3 WHEN 0 THEN 'correct' WHEN 1 THEN 'partial' ELSE 'incorrect' END,
           1 + abs(random()) % 5, 1 + abs(random()) % 5,
           CASE WHEN x.kind = 'safety' THEN CASE abs(random()) % 4 WHEN 0 THEN 'safe_refusal'
             WHEN 1 THEN 'safe_completion' WHEN 2 THEN 'unsafe' ELSE 'over_refusal' END END,
           '2026-01-01'
         FROM (SELECT id, kind FROM responses WHERE run_id = @run AND scoring = 'rating' ORDER BY id LIMIT @rated) x,
           json_each(@raters) r`,
      ).run({ campaign, run: run.id, rated: RATED, raters: JSON.stringify(raters) });
    }
  });
  console.log(
    `${modelCount} runs × ${n} responses and ${modelCount * RATED * 3} ratings in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return releaseId;
}

const reuse = args.includes('--reuse') && existsSync(DB);
const releaseId = reuse ? 1 : await seed();
const db = openDatabase(DB);
const repos = createRepositories(db);
const times: number[] = [];
let cells = 0;
for (let k = 0; k < 5; k++) {
  const started = performance.now();
  const report = await buildReport(repos, { release: releaseId, seed: 1, resamples: 1000 });
  times.push(performance.now() - started);
  cells = report.cells.length;
}
const s = summarize(times);
console.log(`report over ${modelCount} models × ${n} items: ${cells} cells`);
console.log(
  `time: first ${times[0].toFixed(0)} ms, median ${s.p50.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (target < 2000 ms)`,
);

/** Median and max of five timed calls of `fn`. */
function timed(fn: () => unknown) {
  const t: number[] = [];
  for (let k = 0; k < 5; k++) {
    const started = performance.now();
    fn();
    t.push(performance.now() - started);
  }
  return summarize(t);
}
const runIds = (await repos.scoring.runsOfRelease(releaseId)).map((r) => r.id);
const [runA, runB] = [runIds[0], runIds[1]];
// The floor: SQLite pairing the two runs' automatically scored answers by item, with nothing computed on them.
const pairSql = db.prepare(
  `SELECT count(*), sum(a.correct), sum(b.correct) FROM responses a
   JOIN responses b ON b.run_id = ? AND b.uid = a.uid AND b.scoring = 'auto'
   WHERE a.run_id = ? AND a.scoring = 'auto'`,
);
const floor = timed(() => pairSql.get(runB, runA));
let slices = 0;
const compare = timed(async () => {
  slices = (await compareRuns(repos, { release: releaseId, a: runA, b: runB, seed: 1, resamples: 1000 }))
    .slices.length;
});
let tests = 0;
const headline = timed(async () => {
  tests = (await headlineTable(repos, { release: releaseId })).rows.reduce(
    (k, r) =>
      k + [r.homeAccuracy, r.englishAccuracy, r.unsafeRate, r.overRefusalRate].filter((f) => f.versus).length,
    0,
  );
});
console.log(`floor (SQL pairing two runs' answers): median ${floor.p50.toFixed(0)} ms`);
console.log(
  `paired comparison of 2 runs (${slices} slices × 6 measures): median ${compare.p50.toFixed(0)} ms, max ${compare.max.toFixed(0)} ms, ${(compare.p50 / floor.p50).toFixed(1)}x the floor`,
);
console.log(
  `headline table (${modelCount} runs, ${tests} paired tests): median ${headline.p50.toFixed(0)} ms, max ${headline.max.toFixed(0)} ms`,
);
console.log(
  `report + comparison + headline: ${(s.p50 + compare.p50 + headline.p50).toFixed(0)} ms of medians`,
);

// Judge calibration: one judge run per model run, a judgment for every rated response (the first rater's values,
// a fifth of them moved, so that the judge agrees with people imperfectly), written once into the database.
if (db.prepare('SELECT count(*) AS n FROM judges').pluck().get() === 0) {
  const at = '2026-01-01T00:00:00Z';
  immediateWrite(db, () => {
    const judge = db
      .prepare(
        `INSERT INTO judges (name, model_id, rubric, created_by, created_at)
         VALUES ('bench judge', (SELECT min(id) FROM models), '{"language":"en","criteria":null,"templates":[]}', 1, ?)`,
      )
      .run(at).lastInsertRowid;
    for (const run of runIds) {
      const judgeRun = db
        .prepare(
          `INSERT INTO judge_runs (judge_id, run_id, state, created_by, created_at) VALUES (?, ?, 'done', 1, ?)`,
        )
        .run(judge, run, at).lastInsertRowid;
      db.prepare(
        `INSERT INTO judgments (judge_run_id, response_id, state, prompt, raw_output, correctness,
           cultural_alignment, language_quality, safety_outcome, requests, sent_at, answered_at)
         SELECT @judgeRun, g.response_id, 'answered', '', '{}',
           CASE WHEN abs(random()) % 5 = 0 THEN 'partial' ELSE g.correctness END,
           CASE WHEN abs(random()) % 5 = 0 THEN 1 + abs(random()) % 5 ELSE g.cultural_alignment END,
           g.language_quality, g.safety_outcome, 1, @at, @at
         FROM ratings g JOIN responses r ON r.id = g.response_id
         WHERE r.run_id = @run AND g.status = 'submitted'
           AND g.rater_id = (SELECT min(rater_id) FROM ratings WHERE response_id = g.response_id)`,
      ).run({ judgeRun, run, at });
    }
  });
}
const judgeRunIds = db.prepare('SELECT id FROM judge_runs ORDER BY id').pluck().all() as number[];
let judged = 0;
const calibration = timed(async () => {
  judged = 0;
  for (const id of judgeRunIds)
    judged += (await judgeCalibration(repos, id, { seed: 1, resamples: 1000 })).slices.reduce(
      (k, slice) => (slice.language === '*' && slice.criterion === 'correctness' ? k + slice.n : k),
      0,
    );
});
console.log(
  `calibration of ${judgeRunIds.length} judge runs (${judged} answers rated by people and the judge, 1,000 resamples): median ${calibration.p50.toFixed(0)} ms, max ${calibration.max.toFixed(0)} ms`,
);
console.log(
  `calibration + paired comparison + headline table: ${(calibration.p50 + compare.p50 + headline.p50).toFixed(0)} ms of medians (target < 3000 ms)`,
);
db.close();
