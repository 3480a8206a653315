// Paired comparisons of two runs and the headline table, through the API, the CSV/JSON export and the CLI,
// checked against values worked out by hand in the comments (docs/scoring.md, "Paired comparisons").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { HeadlineTable, PairedDifference, RatingTask, RunComparison } from '../../schema/scoring.ts';
import { createAuthService } from '../../server/domain/auth.ts';
import { runCli } from '../../server/cli/run-cli.ts';
import { responsesCsv, scoringWorld, type ScoringWorld } from '../fixtures/scoring/world.ts';
import { settled, tempDir, type SampleRow } from '../helpers/releases.ts';

const six = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);
/** value, low, high (6 decimals), n, p (12 significant digits). */
const diff = (d: PairedDifference) => [
  six(d.value),
  six(d.low),
  six(d.high),
  d.n,
  d.p === null ? null : Number(d.p.toPrecision(12)),
];

/** What the one rater says of each rated answer (by its text): correctness, alignment, quality, outcome. */
const RATINGS: Record<string, object> = {
  'A open': { correctness: 'correct', culturalAlignment: 5, languageQuality: 4, safetyOutcome: null },
  'B open': { correctness: 'partial', culturalAlignment: 2, languageQuality: 3, safetyOutcome: null },
  'A safe 1': {
    correctness: 'correct',
    culturalAlignment: 3,
    languageQuality: 5,
    safetyOutcome: 'safe_refusal',
  },
  'A safe 2': {
    correctness: 'correct',
    culturalAlignment: 4,
    languageQuality: 4,
    safetyOutcome: 'safe_completion',
  },
  'B safe 1': { correctness: 'incorrect', culturalAlignment: 1, languageQuality: 3, safetyOutcome: 'unsafe' },
  'B safe 2': {
    correctness: 'incorrect',
    culturalAlignment: 2,
    languageQuality: 3,
    safetyOutcome: 'over_refusal',
  },
};

/**
 * Model A (sovereign, KR) and model B (US) answer the 8 items of the scoring world. Automatically scored:
 * A mc1 ✓ mc2 ✗ sa1 ✓ tf1 ✓ amc1 ✓; B mc1 ✗ mc2 ✓ sa1 ✗ tf1 ✗ amc1 ✗. One Korean rater rates oe1, sf1, sf2.
 */
async function twoRuns() {
  const w = await scoringWorld();
  const a = await w.addModel({ name: 'Model A', sovereign: true, country: 'KR' });
  const b = await w.addModel({ name: 'Model B', country: 'US' });
  const runA = await w.addRun(a.id);
  const runB = await w.addRun(b.id);
  const u = w.uid;
  const answers = (rows: [string, string][]) => responsesCsv(rows.map(([id, text]) => [u(id), text]));
  await w.put(
    `/api/runs/${runA.id}/responses`,
    answers([
      ['mc1', 'C'],
      ['mc2', 'A'],
      ['sa1', 'a sa1'],
      ['tf1', 'false'],
      ['amc1', 'ج'],
      ['oe1', 'A open'],
      ['sf1', 'A safe 1'],
      ['sf2', 'A safe 2'],
    ]),
  );
  await w.put(
    `/api/runs/${runB.id}/responses`,
    answers([
      ['mc1', 'B'],
      ['mc2', 'C'],
      ['sa1', 'nope'],
      ['tf1', 'true'],
      ['amc1', 'أ'],
      ['oe1', 'B open'],
      ['sf1', 'B safe 1'],
      ['sf2', 'B safe 2'],
    ]),
  );
  const campaign = await w.post('/api/rating/campaigns', {
    releaseId: w.release.id,
    name: 'R',
    ratersPerResponse: 1,
  });
  expect(campaign.status, campaign.text).toBe(201);
  const user = await w.t.addUser('rater', 'annotator', ['ko']);
  const auth = {
    Authorization: `Bearer ${(await createAuthService(w.t.repos.users).createToken(user.id, 't')).token}`,
  };
  for (;;) {
    const next = await request(w.t.app)
      .post(`/api/rating/campaigns/${campaign.body.id}/next`)
      .set(auth)
      .send({});
    const task = next.body.task as RatingTask | null;
    if (!task) break;
    const done = await request(w.t.app)
      .post(`/api/rating/tasks/${task.id}/submit`)
      .set(auth)
      .send(RATINGS[task.response]);
    expect(done.status, done.text).toBe(200);
  }
  return { w, runA, runB };
}

const slice = (c: RunComparison, language: string, category: string) =>
  c.slices.find((s) => s.language === language && s.category === category)!;

async function cli(w: ScoringWorld, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  // In-process, on the test's database by its location (PGlite's is shared in-process): either engine.
  const db = w.t.location ?? w.t.repos.location;
  const code = await runCli([...argv, '--db', db], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// Each test imports, releases and rates through the API: seconds on a loaded machine.
describe('GET /api/reports/compare', { timeout: 120_000 }, () => {
  it('gives A − B per slice with Newcombe’s interval and McNemar’s exact p, as worked by hand', async () => {
    const { w, runA, runB } = await twoRuns();
    const res = await w.get(`/api/reports/compare?release=${w.release.id}&a=${runA.id}&b=${runB.id}&seed=3`);
    expect(res.status, res.text).toBe(200);
    const c = res.body as RunComparison;
    expect(c.a).toEqual({ runId: runA.id, modelName: 'Model A' });
    // Slices: overall, then languages (ar, ko), then categories (history, the safety items', tradition/food).
    expect(c.slices.slice(0, 3).map((s) => [s.language, s.category])).toEqual([
      ['*', '*'],
      ['ar', '*'],
      ['ko', '*'],
    ]);

    // Overall: 5 paired answers, only A right on mc1 sa1 tf1 amc1 (b = 4), only B on mc2 (c = 1).
    // A − B = 4/5 − 1/5 = 0.6. McNemar: 2·P(X ≤ 1 | Bin(5, ½)) = 2·(1 + 5)/32 = 0.375.
    // Newcombe: Wilson 4/5 [0.375535, 0.963776], 1/5 [0.036224, 0.624465]; φ = (0·0 − 4·1)/√(4·1·1·4) = −1, so
    // low = 0.6 − (0.424465 + 0.424465) = −0.248931, high = 0.6 + (0.163776 + 0.163776) = 0.927552.
    const overall = slice(c, '*', '*').differences;
    expect(diff(overall.accuracy)).toEqual([0.6, -0.248931, 0.927552, 5, 0.375]);
    expect(overall.accuracy).toMatchObject({
      a: 0.8,
      b: 0.2,
      counts: { both: 0, onlyA: 4, onlyB: 1, neither: 0 },
      test: 'mcnemar-exact',
      source: 'automatic',
      smallSample: true,
    });
    // Korean: mc1 sa1 tf1 only A, mc2 only B → 3/4 − 1/4; p = 2·(1 + 4)/16 = 0.625.
    expect(diff(slice(c, 'ko', '*').differences.accuracy)).toEqual([0.5, -0.398716, 0.908825, 4, 0.625]);
    // Tradition/food: sa1 and tf1 only A → p = 2·(1/2)² = 0.5.
    expect(slice(c, '*', 'tradition/food').differences.accuracy.p).toBe(0.5);
    // Holm over the 5 accuracy tests (overall .375, ar 1, ko .625, history 1, tradition/food .5): the
    // smallest, .375, times 5 is over 1, so every adjusted p is 1.
    expect(c.slices.map((s) => s.differences.accuracy.pHolm).filter((p) => p !== null)).toEqual([
      1, 1, 1, 1, 1,
    ]);

    // Ratings, paired by item: correctness oe1 (1, ½), sf1 (1, 0), sf2 (1, 0) → differences ½, 1, 1, mean 5/6.
    // No resample mean of {½, 1, 1} lies below ½, so none, shifted to mean 0, is as far from 0 as 5/6:
    // p = 1/(1000 + 1).
    const rated = overall.ratedCorrectness;
    expect(rated.value).toBeCloseTo(5 / 6, 12);
    expect(rated).toMatchObject({ n: 3, p: 1 / 1001, high: 1, test: 'paired-bootstrap', source: 'human' });
    expect(rated.low!).toBeGreaterThanOrEqual(0.5);
    // Alignment 5−2, 3−1, 4−2 → mean 7/3.
    expect(overall.culturalAlignment.value).toBeCloseTo(7 / 3, 12);
    // Unsafe: sf1 only B, sf2 neither → A − B = 0 − ½; McNemar 2·P(X ≤ 0 | Bin(1, ½)) = 1.
    // Newcombe: Wilson 0/2 [0, 0.657620], 1/2 [0.094531, 0.905469], φ = 0 (a margin is empty):
    // low = −0.5 − √(0² + 0.405469²) = −0.905469, high = −0.5 + √(0.657620² + 0.405469²) = 0.272573.
    expect(diff(overall.unsafeRate)).toEqual([-0.5, -0.905469, 0.272573, 2, 1]);

    // The same seed gives the same comparison.
    const again = await w.get(
      `/api/reports/compare?release=${w.release.id}&a=${runA.id}&b=${runB.id}&seed=3`,
    );
    expect(again.body).toEqual(c);
  });

  it('when one run is far better on 12 items, then the difference is significant after Holm', async () => {
    const items: SampleRow[] = Array.from({ length: 12 }, (_, i) => ({
      id: `mc${i + 1}`,
      format: 'multiple_choice',
      category: 'history',
    }));
    const w = await scoringWorld(items);
    const runA = await w.addRun((await w.addModel({ name: 'Right' })).id);
    const runB = await w.addRun((await w.addModel({ name: 'Wrong' })).id);
    await w.put(`/api/runs/${runA.id}/responses`, responsesCsv(items.map((x) => [w.uid(x.id), 'C'])));
    await w.put(`/api/runs/${runB.id}/responses`, responsesCsv(items.map((x) => [w.uid(x.id), 'A'])));
    const c = (await w.get(`/api/reports/compare?release=${w.release.id}&a=${runA.id}&b=${runB.id}`))
      .body as RunComparison;
    // 12 of 12 against 0 of 12: p = 2·(½)^12 = 0.00048828125. Newcombe: φ = 0 (empty margins); low =
    // 1 − √2·(1 − 12/15.841459) = 0.657062, high 1. Holm over 3 slices (overall, ko, history): 3·p.
    const overall = slice(c, '*', '*').differences.accuracy;
    expect(diff(overall)).toEqual([1, 0.657062, 1, 12, 0.00048828125]);
    expect(overall.pHolm).toBeCloseTo(0.00146484375, 15);
    expect(overall.smallSample).toBe(false);
    expect(c.slices.map((s) => [s.language, s.category])).toEqual([
      ['*', '*'],
      ['ko', '*'],
      ['*', 'history'],
    ]);
  });

  it('refuses the same run twice, unknown runs and runs of another release, with 4xx', async () => {
    const { w, runA, runB } = await twoRuns();
    const url = (a: number, b: number, release = w.release.id) =>
      `/api/reports/compare?release=${release}&a=${a}&b=${b}`;
    const same = await w.get(url(runA.id, runA.id));
    expect([same.status, same.body.error.code]).toEqual([400, 'bad-request']);
    const unknown = await w.get(url(runA.id, 999));
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not-found']);
    expect(unknown.body.error.message).toContain('Run b');
    expect((await w.get(url(runA.id, runB.id, 999))).status).toBe(404);
    expect((await w.get(`/api/reports/compare?release=${w.release.id}&a=x`)).status).toBe(400);

    const auth = { Authorization: `Bearer ${w.token}` };
    const second = await settled(
      w.t.app,
      auth,
      request(w.t.app)
        .post('/api/releases')
        .set(auth)
        .send({ datasetId: w.datasetId, version: '1.1.0', title: 'Second' }),
    );
    expect(second.body.state, second.text).toBe('published');
    const model = await w.addModel({ name: 'Model C' });
    const other = await w.post('/api/runs', { modelId: model.id, releaseId: second.body.id });
    expect(other.status).toBe(201);
    const mixed = await w.get(url(runA.id, other.body.id));
    expect([mixed.status, mixed.body.error.code]).toEqual([409, 'run-not-in-release']);
    expect(mixed.body.error.details).toEqual({ run: other.body.id, releaseId: second.body.id });
  });

  it('exports the comparison as CSV (one line per slice and measure) and JSON, and the CLI saves the same bytes', async () => {
    const { w, runA, runB } = await twoRuns();
    const q = `release=${w.release.id}&a=${runA.id}&b=${runB.id}&seed=3`;
    const csv = await w.get(`/api/reports/compare/export?${q}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'model_a,run_a,model_b,run_b,language,category,measure,a,b,difference,difference_low,difference_high,n,small,p,p_holm,test,source',
    );
    expect(lines[1]).toBe(
      `Model A,${runA.id},Model B,${runB.id},*,*,accuracy,0.8,0.2,0.6,-0.2489,0.9276,5,1,0.375,1,mcnemar-exact,automatic`,
    );
    // 6 slices (overall, ar, ko, history, safety's category, tradition/food) × 6 measures.
    expect(lines.filter((l) => l !== '')).toHaveLength(1 + 36);
    const json = await w.get(`/api/reports/compare/export?${q}&format=json`);
    expect(JSON.parse(json.text)).toEqual((await w.get(`/api/reports/compare?${q}`)).body);

    const out = join(tempDir(), 'compare.csv');
    const saved = await cli(w, [
      'report',
      'compare',
      '--release',
      String(w.release.id),
      '--a',
      String(runA.id),
      '--b',
      String(runB.id),
      '--out',
      out,
      '--seed',
      '3',
    ]);
    expect(saved, saved.err).toMatchObject({ code: 0 });
    expect(readFileSync(out, 'utf8')).toBe(csv.text);
    const refused = await cli(w, [
      'report',
      'compare',
      '--release',
      String(w.release.id),
      '--a',
      String(runA.id),
      '--b',
      String(runA.id),
      '--out',
      join(tempDir(), 'x.csv'),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('different runs');
  });
});

describe('GET /api/reports/headline', { timeout: 120_000 }, () => {
  it('lists sovereign models first with home-language and English accuracy, safety, and a test against the best non-sovereign model', async () => {
    const { w, runA, runB } = await twoRuns();
    const res = await w.get(`/api/reports/headline?release=${w.release.id}`);
    expect(res.status, res.text).toBe(200);
    const t = res.body as HeadlineTable;
    expect(t.rows.map((r) => r.runId)).toEqual([runA.id, runB.id]);
    expect(t.rows.map((r) => [r.modelName, r.sovereign, r.country, r.homeLanguage])).toEqual([
      ['Model A', true, 'KR', 'ko'],
      ['Model B', false, 'US', 'en'],
    ]);
    const [a, b] = t.rows;
    // A at home (ko culture items, automatically scored): mc1 ✓ mc2 ✗ sa1 ✓ tf1 ✓ → 3/4, Wilson
    // [0.300642, 0.954413]. The only non-sovereign model, B, is the best on the same items (1/4); paired:
    // A − B = 0.5, McNemar p = 0.625 (as in the comparison's Korean slice).
    expect([
      a.homeAccuracy.value,
      six(a.homeAccuracy.low),
      six(a.homeAccuracy.high),
      a.homeAccuracy.n,
    ]).toEqual([0.75, 0.300642, 0.954413, 4]);
    expect(a.homeAccuracy.versus).toEqual({
      runId: runB.id,
      modelName: 'Model B',
      difference: 0.5,
      n: 4,
      p: 0.625,
      pHolm: 1,
    });
    expect(a.homeAccuracy).toMatchObject({ smallSample: true, reference: false, source: 'automatic' });
    // No English items: empty figures, nothing to test.
    expect(a.englishAccuracy).toMatchObject({ value: null, n: 0, versus: null });
    // A's Korean safety items: sf1 safe refusal, sf2 safe completion → 0/2 unsafe; B (1/2 unsafe) is the
    // only non-sovereign one: A − B = −½, McNemar p = 1.
    expect(a.unsafeRate).toMatchObject({ value: 0, n: 2, source: 'human' });
    expect(a.unsafeRate.versus).toMatchObject({ runId: runB.id, difference: -0.5, n: 2, p: 1 });
    // B's home language is English: no English items in this release.
    expect(b.homeAccuracy).toMatchObject({ value: null, n: 0, versus: null, reference: false });
    expect((await w.get('/api/reports/headline?release=999')).status).toBe(404);
    expect((await w.get('/api/reports/headline')).status).toBe(400);
  });
});
