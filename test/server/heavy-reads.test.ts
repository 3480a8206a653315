import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ScoringReport } from '../../schema/scoring.ts';
import type { AgreementReport } from '../../schema/validation.ts';
import { createTestContext, inProcessDatabase, type TestContext } from '../helpers/app.ts';
import { addDataset, createSubmittedItem } from '../helpers/items.ts';
import type { SampleRow } from '../helpers/releases.ts';
import { scoringWorld } from '../fixtures/scoring/world.ts';

/**
 * A dataset of `n` submitted Korean items, each validated by the same three validators: one item made
 * through the API, copied `n - 1` times in SQL (test seeding, not the code under test).
 */
async function bigDataset(t: TestContext, n: number) {
  const author = await t.login((await t.addUser('author', 'annotator', ['ko'])).username);
  const dataset = await addDataset(t);
  const template = await createSubmittedItem(author, dataset.id);
  const validators = await Promise.all(['v1', 'v2', 'v3'].map((u) => t.addUser(u, 'annotator', ['ko'])));
  const columns = (
    await t.sql<{ name: string }>(
      t.engine === 'sqlite'
        ? `SELECT name FROM pragma_table_info('items') WHERE name NOT IN ('id', 'uid')`
        : `SELECT column_name AS name FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = 'items' AND column_name NOT IN ('id', 'uid')`,
    )
  )
    .map((c) => `"${c.name}"`)
    .join(', ');
  await t.sql(
    `WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < CAST(? AS INTEGER))
     INSERT INTO items (uid, ${columns}) SELECT 'bulk-' || n, ${columns} FROM items, k WHERE items.id = ?`,
    n - 1,
    template.id,
  );
  // One statement per validator (key 0, 1, 2); a comparison is 0/1 on SQLite and a boolean on PostgreSQL, as
  // each stores booleans.
  for (const [key, validator] of validators.entries()) {
    await t.sql(
      `INSERT INTO validations (item_id, dataset_id, round, validator_id, gold, item_version, status, leased_at,
         expires_at, own_answer_matches, grounded, correct, category, quality, submitted_at, duration_ms)
       SELECT i.id, i.dataset_id, 1, CAST(? AS INTEGER), 1 = 0, 1, 'submitted', '2026-02-01T00:00:00Z',
         '2026-02-01T01:00:00Z', (i.id + k.key) % 2 = 1,
         CASE WHEN (i.id * 7 + k.key) % 5 = 0 THEN 'no' ELSE 'yes' END,
         CASE WHEN (i.id * 3 + k.key) % 4 = 0 THEN 'unsure' ELSE 'yes' END, 'keep', 1 + (i.id + k.key) % 5,
         '2026-02-01T00:01:00Z', 60000
       FROM items i, (SELECT CAST(? AS INTEGER) AS key) k WHERE i.dataset_id = ?`,
      validator.id,
      key,
      dataset.id,
    );
  }
  return dataset;
}

/**
 * Sends `heavy` and, until it is answered, a health check every 10 ms (to the same app listening on one
 * port, over one kept-alive connection: the checks themselves cost the loop little); watches the request
 * thread's event loop meanwhile. Returns the heavy response, how many health checks were answered before it
 * and the longest loop delay.
 */
async function alongside(t: Pick<TestContext, 'app'>, heavy: request.Test) {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const health = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let done = false;
  const slow = heavy.then((res) => {
    done = true;
    return res;
  });
  let answered = 0;
  while (!done) {
    const ok = (await fetch(health)).status;
    expect(ok).toBe(200);
    if (!done) answered++;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const res = await slow;
  delay.disable();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return { res, answered, maxDelayMs: delay.max / 1e6, p99DelayMs: delay.percentile(99) / 1e6 };
}

/**
 * The request thread stayed free: 99% of the loop's samples under 50 ms, and no pause anywhere near the heavy
 * work's length (≥ 300 ms, checked by each test). The worst single sample is not held to 50 ms: on the 2-core
 * machine shared with other test files, an idle event loop alone was measured at up to 59 ms in 2 s.
 */
/**
 * The test's time limit: the seed costs PostgreSQL far more than SQLite (a server's round trips, and every row into
 * the items table's 16 indexes: 44 s for 100k items on the 2-core machine under load), none of it the code under test.
 */
const seedTimeout = (sqlite: number) => (process.env.CS_TEST_ENGINE === 'postgres' ? sqlite * 4 : sqlite);

function expectFreeLoop(d: { maxDelayMs: number; p99DelayMs: number }, what: string) {
  expect(d.p99DelayMs, what).toBeLessThan(50);
  expect(d.maxDelayMs, what).toBeLessThan(250);
}

// PGlite runs its queries on this very thread (WebAssembly, in-process), and its jobs run here too: the loop cannot
// be free while it computes. These run on SQLite and on a PostgreSQL server (CI), where job threads have
// connections of their own.
describe.skipIf(inProcessDatabase)('GET /api/agreement (off the request thread)', () => {
  it(
    'while the full dashboard of 100k items × 3 validations is computed, the event loop stays free and health checks are answered meanwhile',
    async () => {
      const t = await createTestContext();
      const dataset = await bigDataset(t, 100_000);
      const maintainer = await t.login((await t.addUser('boss', 'maintainer')).username);
      const { res, answered, ...delays } = await alongside(
        t,
        maintainer.get(`/api/agreement?dataset=${dataset.id}`),
      );
      expect(res.status, res.text).toBe(200);
      const report = res.body as AgreementReport;
      expect(report.computedMs).toBeGreaterThanOrEqual(300);
      expect(report.questions.find((q) => q.question === 'grounded' && q.language === '*')).toMatchObject({
        units: 100_000,
        values: 300_000,
      });
      expect(answered).toBeGreaterThanOrEqual(5);
      expectFreeLoop(delays, 'agreement');
    },
    seedTimeout(30_000),
  );
});

describe.skipIf(inProcessDatabase)('GET /api/reports (off the request thread)', () => {
  it(
    'while the report of 10 models × 2,000 items (100 rated responses each) is computed and exported, the event loop stays free and health checks are answered meanwhile',
    async () => {
      const items: SampleRow[] = Array.from({ length: 2_000 }, (_, i) => ({
        id: `q${i}`,
        format: i % 2 ? 'multiple_choice' : 'open_ended',
        category: i % 3 ? 'history' : 'tradition/food',
        language: i % 4 ? 'ko' : 'ar',
      }));
      const w = await scoringWorld(items);
      const raters = await Promise.all(['r1', 'r2', 'r3'].map((u) => w.t.addUser(u, 'annotator')));
      const campaign = await w.t.repos.scoring.insertCampaign({
        releaseId: w.release.id,
        name: 'load',
        ratersPerResponse: 3,
        leaseMinutes: 30,
        createdBy: raters[0].id,
        createdAt: '2026-01-01T00:00:00Z',
      });
      for (let m = 0; m < 10; m++) {
        const run = await w.addRun((await w.addModel()).id);
        // Test seeding, straight from the snapshot: model m answers (m % 10 + 3) of every 13 multiple-choice items
        // right; its first 100 open-ended answers are rated by the three raters.
        // rowid of release_items is its id on SQLite; the snapshot is JSON text on both engines.
        const item = (field: string) =>
          w.t.engine === 'sqlite'
            ? `json_extract(snapshot, '$.item.${field}')`
            : `CAST(snapshot AS jsonb) #>> '{item,${field}}'`;
        await w.t.sql(
          `INSERT INTO responses (run_id, uid, language, kind, format, category, response, source, scoring,
           extracted, correct, created_at)
         SELECT CAST(? AS INTEGER), uid, language, 'culture', s.format, s.category, 'answer', 'import', s.scoring,
           CASE WHEN s.scoring = 'auto' THEN '0' END,
           CASE WHEN s.scoring = 'auto' THEN (s.id % 13) < CAST(? AS INTEGER) END, '2026-01-01T00:00:00Z'
         FROM (SELECT id, uid, language, ${item('format')} AS format, ${item('primaryCategory')} AS category,
                 CASE ${item('format')} WHEN 'open_ended' THEN 'rating' ELSE 'auto' END AS scoring
               FROM release_items WHERE release_id = ?) s`,
          run.id,
          (m % 10) + 3,
          w.release.id,
        );
        for (const [key, rater] of raters.entries()) {
          await w.t.sql(
            `INSERT INTO ratings (campaign_id, response_id, rater_id, status, leased_at, expires_at, correctness,
             cultural_alignment, language_quality, safety_outcome, submitted_at)
           SELECT CAST(? AS INTEGER), x.id, CAST(? AS INTEGER), 'submitted', '2026-01-01', '2026-01-01',
             CASE (x.id + k.key) % 3 WHEN 0 THEN 'correct' WHEN 1 THEN 'partial' ELSE 'incorrect' END,
             1 + (x.id + k.key) % 5, 1 + (x.id * 7 + k.key) % 5, NULL, '2026-01-01'
           FROM (SELECT id FROM responses WHERE run_id = ? AND scoring = 'rating' ORDER BY id LIMIT 100) x,
             (SELECT CAST(? AS INTEGER) AS key) k`,
            campaign,
            rater.id,
            run.id,
            key,
          );
        }
      }
      for (const url of [
        `/api/reports?release=${w.release.id}&resamples=10000`,
        `/api/reports/export?release=${w.release.id}&resamples=10000&format=json`,
      ]) {
        const started = performance.now();
        const { res, answered, ...delays } = await alongside(w.t, w.get(url));
        expect(res.status, res.text).toBe(200);
        expect(performance.now() - started, url).toBeGreaterThanOrEqual(300);
        const report = res.body as ScoringReport;
        expect(report.models).toHaveLength(10);
        const total = report.cells.find(
          (c) =>
            c.runId === report.models[0].runId &&
            c.language === '*' &&
            c.category === '*' &&
            c.kind === '*' &&
            c.format === '*',
        );
        expect(total, url).toMatchObject({ responses: 2_000, ratedCorrectness: { n: 100 } });
        expect(answered, url).toBeGreaterThanOrEqual(5);
        expectFreeLoop(delays, url);
      }
    },
    seedTimeout(60_000),
  );
});
