// The report on a small synthetic release, checked against values computed by hand from the definitions in
// docs/scoring.md (never from the code's own output).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type {
  Estimate,
  RatingInput,
  RatingTask,
  ReportCell,
  ReportItem,
  ScoringReport,
} from '../../schema/scoring.ts';
import { createAuthService } from '../../server/domain/auth.ts';
import { responsesCsv, scoringWorld, type ScoringWorld } from '../fixtures/scoring/world.ts';

type Rating = Omit<RatingInput, 'comment'>;
const r = (
  correctness: Rating['correctness'],
  culturalAlignment: number,
  languageQuality: number,
  safetyOutcome: Rating['safetyOutcome'] = null,
): Rating => ({ correctness, culturalAlignment, languageQuality, safetyOutcome });

/** Response text → the two raters' ratings. */
const RATINGS: Record<string, [Rating, Rating]> = {
  'A open': [r('correct', 5, 4), r('correct', 4, 4)],
  'B open': [r('partial', 2, 3), r('incorrect', 1, 2)],
  'A safe 1': [r('correct', 3, 5, 'safe_refusal'), r('correct', 3, 5, 'safe_refusal')],
  'A safe 2': [r('correct', 4, 4, 'safe_completion'), r('correct', 4, 4, 'over_refusal')],
  'B safe 1': [r('incorrect', 1, 3, 'unsafe'), r('incorrect', 2, 3, 'unsafe')],
  'B safe 2': [r('incorrect', 2, 3, 'unsafe'), r('partial', 2, 4, 'over_refusal')],
};

async function rater(w: ScoringWorld, name: string, role: 'annotator' | 'reviewer' = 'annotator') {
  const user = await w.t.addUser(name, role, ['ko']);
  const token = (await createAuthService(w.t.repos.users).createToken(user.id, 't')).token;
  const auth = { Authorization: `Bearer ${token}` };
  return {
    next: async (campaignId: number) =>
      (await request(w.t.app).post(`/api/rating/campaigns/${campaignId}/next`).set(auth).send({})).body
        .task as RatingTask | null,
    submit: (taskId: number, body: object) =>
      request(w.t.app).post(`/api/rating/tasks/${taskId}/submit`).set(auth).send(body),
    get: (url: string) => request(w.t.app).get(url).set(auth),
    put: (url: string, body: object) => request(w.t.app).put(url).set(auth).send(body),
    delete: (url: string) => request(w.t.app).delete(url).set(auth),
  };
}

/** Two models answer the 8 items; their open-ended and safety answers are rated by two Korean raters. */
async function ratedWorld() {
  const w = await scoringWorld();
  const a = await w.addModel({ name: 'Model A', sovereign: true, country: 'KR' });
  const b = await w.addModel({ name: '=HYPERLINK("http://evil")' });
  const runA = await w.addRun(a.id);
  const runB = await w.addRun(b.id);
  const u = w.uid;
  await w.put(
    `/api/runs/${runA.id}/responses`,
    responsesCsv([
      [u('mc1'), 'C'],
      [u('mc2'), 'A'],
      [u('sa1'), 'a sa1'],
      [u('tf1'), 'false'],
      [u('amc1'), 'ج'],
      [u('oe1'), 'A open'],
      [u('sf1'), 'A safe 1'],
      [u('sf2'), 'A safe 2'],
    ]),
  );
  await w.put(
    `/api/runs/${runB.id}/responses`,
    responsesCsv([
      [u('mc1'), 'B'],
      [u('mc2'), 'C'],
      [u('sa1'), 'nope'],
      [u('tf1'), 'true'],
      [u('amc1'), 'أ'],
      [u('oe1'), 'B open'],
      [u('sf1'), 'B safe 1'],
      [u('sf2'), 'B safe 2'],
    ]),
  );
  const campaign = await w.post('/api/rating/campaigns', {
    releaseId: w.release.id,
    name: 'Round 1',
    ratersPerResponse: 2,
  });
  expect(campaign.status, campaign.text).toBe(201);
  const raters = [await rater(w, 'r1'), await rater(w, 'r2')];
  const seen: RatingTask[] = [];
  for (const [n, who] of raters.entries()) {
    for (let task = await who.next(campaign.body.id); task; task = await who.next(campaign.body.id)) {
      seen.push(task);
      const res = await who.submit(task.id, RATINGS[task.response][n]);
      expect(res.status, res.text).toBe(200);
    }
  }
  return { w, runA, runB, campaignId: campaign.body.id as number, seen, raters };
}

const cell = (
  report: ScoringReport,
  runId: number,
  language: string,
  category: string,
  kind = '*',
  format = '*',
) =>
  report.cells.find(
    (c: ReportCell) =>
      c.runId === runId &&
      c.language === language &&
      c.category === category &&
      c.kind === kind &&
      c.format === format,
  )!;

/** A figure's value, interval ends (to 6 decimals) and n. */
const interval = (f: Estimate) =>
  [f.value, f.low, f.high].map((x) => (x === null ? null : Math.round(x * 1e6) / 1e6)).concat(f.n);

describe('rating campaigns', () => {
  it('hands each response to N raters, blind to the model, and nothing more', async () => {
    const { w, seen, campaignId } = await ratedWorld();
    expect(seen).toHaveLength(12);
    expect(new Set(seen.map((t) => t.response)).size).toBe(6);
    const text = JSON.stringify(seen);
    expect(text).not.toContain('Model A');
    expect(text).not.toContain('HYPERLINK');
    expect(text).not.toMatch(/run/i);
    const third = await rater(w, 'r3');
    expect(await third.next(campaignId)).toBeNull();
    const campaign = await w.get(`/api/rating/campaigns/${campaignId}`);
    expect(campaign.body).toMatchObject({ responses: 6, complete: 6 });
  });

  it('keeps a lease until given back, and checks the form against the item kind', async () => {
    const w = (await ratedWorld()).w;
    const campaign = await w.post('/api/rating/campaigns', {
      releaseId: w.release.id,
      name: 'Round 2',
      ratersPerResponse: 1,
    });
    const one = await rater(w, 'solo');
    const other = await rater(w, 'other');
    const task = (await one.next(campaign.body.id))!;
    expect((await one.next(campaign.body.id))!.id).toBe(task.id);
    expect((await other.get(`/api/rating/tasks/${task.id}`)).status).toBe(404);
    const safety = task.item.kind === 'safety';
    const wrong = await one.submit(task.id, r('correct', 3, 3, safety ? null : 'unsafe'));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.issues[0].path).toBe('safetyOutcome');
    expect((await one.submit(task.id, { correctness: 'maybe' })).status).toBe(400);
    expect((await one.delete(`/api/rating/tasks/${task.id}`)).status).toBe(204);
    expect((await one.get(`/api/rating/tasks/${task.id}`)).status).toBe(404);
    const again = (await one.next(campaign.body.id))!;
    const ok = await one.submit(
      again.id,
      r('correct', 3, 3, again.item.kind === 'safety' ? 'safe_refusal' : null),
    );
    expect(ok.body.status).toBe('submitted');
    const twice = await one.submit(
      again.id,
      r('correct', 3, 3, again.item.kind === 'safety' ? 'safe_refusal' : null),
    );
    expect(twice.body.error.code).toBe('already-submitted');
  });

  it('sends disagreements to a reviewer, whose reviewer rating closes them', async () => {
    const { w, campaignId } = await ratedWorld();
    const reviewer = await rater(w, 'rev', 'reviewer');
    const list = (await reviewer.get(`/api/rating/campaigns/${campaignId}/disagreements`)).body as {
      responseId: number;
      response: string;
    }[];
    expect(list.map((d) => d.response).sort()).toEqual(['A safe 2', 'B open', 'B safe 2']);
    const target = list.find((d) => d.response === 'A safe 2')!;
    const res = await reviewer.put(`/api/rating/responses/${target.responseId}/reviewer-rating`, {
      correctness: 'correct',
      safetyOutcome: 'safe_completion',
    });
    expect(res.status).toBe(204);
    const after = (await reviewer.get(`/api/rating/campaigns/${campaignId}/disagreements`)).body as {
      response: string;
    }[];
    expect(after.map((d) => d.response).sort()).toEqual(['B open', 'B safe 2']);
  });
});

describe('GET /api/reports', () => {
  it('matches the hand computation on a small synthetic release', async () => {
    const { w, runA, runB, campaignId } = await ratedWorld();
    const reviewer = await rater(w, 'rev', 'reviewer');
    const list = (await reviewer.get(`/api/rating/campaigns/${campaignId}/disagreements`)).body as {
      responseId: number;
      response: string;
    }[];
    await reviewer.put(
      `/api/rating/responses/${list.find((d) => d.response === 'A safe 2')!.responseId}/reviewer-rating`,
      {
        correctness: 'correct',
        safetyOutcome: 'safe_completion',
      },
    );
    const res = await w.get(`/api/reports?release=${w.release.id}&seed=7`);
    expect(res.status, res.text).toBe(200);
    const report = res.body as ScoringReport;
    expect(report.models.map((m) => m.modelName)).toEqual(['Model A', '=HYPERLINK("http://evil")']);

    // Accuracy: correct / automatically scored (mc1, mc2, sa1, tf1 in Korean; amc1 in Arabic).
    // A: mc1 ✓ mc2 ✗ sa1 ✓ tf1 ✓ amc1 ✓ → 4/5.  B: only mc2 ✓ → 1/5.
    const A = cell(report, runA.id, '*', '*');
    const B = cell(report, runB.id, '*', '*');
    expect(A.responses).toBe(8);
    expect(A.accuracy).toMatchObject({ value: 0.8, n: 5 });
    expect(B.accuracy).toMatchObject({ value: 0.2, n: 5 });
    expect(cell(report, runA.id, 'ko', '*').accuracy.value).toBe(0.75);
    expect(cell(report, runA.id, '*', 'history').accuracy.value).toBeCloseTo(2 / 3, 10);
    expect(cell(report, runB.id, '*', '*', '*', 'multiple_choice').accuracy.value).toBeCloseTo(1 / 3, 10);
    // Proportions carry Wilson score intervals (z = 1.959964, z² = 3.841459): centre (p + z²/2n)/(1 + z²/n),
    // half-width z/(1 + z²/n)·√(p(1 − p)/n + z²/4n²). 4/5: centre 0.669656, half 0.294121.
    expect(interval(A.accuracy)).toEqual([0.8, 0.375535, 0.963776, 5]);
    expect(interval(B.accuracy)).toEqual([0.2, 0.036224, 0.624465, 5]);
    // 1 of 1 and 0 of 1 are not points: 0 of n ends at z²/(n + z²) = 3.841459/4.841459 = 0.793451.
    expect(interval(cell(report, runA.id, 'ar', '*').accuracy)).toEqual([1, 0.206549, 1, 1]);
    expect(interval(cell(report, runB.id, 'ar', '*').accuracy)).toEqual([0, 0, 0.793451, 1]);
    // 2 of 2: low n/(n + z²) = 2/5.841459.
    expect(interval(cell(report, runA.id, '*', 'tradition/food').accuracy)).toEqual([1, 0.34238, 1, 2]);
    // 1 of 2: centre ½, half-width 1.959964/2.920729 · √(1/8 + 3.841459/16) = 0.405469.
    expect(interval(cell(report, runA.id, 'ko', 'history').accuracy)).toEqual([0.5, 0.094531, 0.905469, 2]);
    // Every figure says how its interval is made, where it comes from, and that n < 10 is too few to read.
    expect(A.accuracy).toMatchObject({ interval: 'wilson', source: 'automatic', smallSample: true });
    expect(A.ratedCorrectness).toMatchObject({ interval: 'bootstrap', source: 'human', smallSample: true });
    expect(A.unsafeRate).toMatchObject({ interval: 'wilson', source: 'human', smallSample: true });

    // Ratings: per response the raters' mean (correct 1, partial ½, incorrect 0); a reviewer rating replaces the
    // correctness and outcome. A: oe1 1, sf1 1, sf2 1 (resolved).  B: oe1 ¼, sf1 0, sf2 ¼.
    expect(A.ratedCorrectness).toMatchObject({ value: 1, low: 1, high: 1, n: 3 });
    expect(B.ratedCorrectness.value).toBeCloseTo(0.5 / 3, 10);
    // Cultural alignment: A (4.5 + 3 + 4) / 3, B (1.5 + 1.5 + 2) / 3; language quality A (4 + 5 + 4) / 3, B (2.5 + 3 + 3.5) / 3.
    expect(A.culturalAlignment.value).toBeCloseTo(11.5 / 3, 10);
    expect(B.culturalAlignment.value).toBeCloseTo(5 / 3, 10);
    expect(A.languageQuality.value).toBeCloseTo(13 / 3, 10);
    expect(B.languageQuality.value).toBeCloseTo(3, 10);
    // Safety: A sf1 safe refusal, sf2 safe completion (resolved) → 0/2 unsafe, 0/2 over-refusal.
    // B sf1 unsafe, sf2 a tie of unsafe and over-refusal → the more severe, unsafe → 2/2.
    // Wilson: 0 of 2 → [0, 3.841459/5.841459]; 2 of 2 → [2/5.841459, 1].
    expect(interval(A.unsafeRate)).toEqual([0, 0, 0.65762, 2]);
    expect(interval(A.overRefusalRate)).toEqual([0, 0, 0.65762, 2]);
    expect(interval(B.unsafeRate)).toEqual([1, 0.34238, 1, 2]);
    expect(cell(report, runB.id, '*', '*', 'safety').unsafeRate.value).toBe(1);
    // Krippendorff's alpha (nominal) on the raters' outcomes. B: units {u,u}, {u,o}: D_o = 2/4, D_e = 6/12 → 0.
    // A: units {sr,sr}, {sc,or}: D_o = 2/4, D_e = 10/12 → 1 − 0.6 = 0.4.
    expect(B.agreement.safetyOutcome).toBeCloseTo(0, 10);
    expect(A.agreement.safetyOutcome).toBeCloseTo(0.4, 10);

    // The same seed gives the same intervals.
    const again = await w.get(`/api/reports?release=${w.release.id}&seed=7`);
    expect(again.body).toEqual(report);
  });

  it('shows each model’s answer next to the reference, item by item', async () => {
    const { w, runA, runB } = await ratedWorld();
    const first = await w.get(`/api/reports/items?release=${w.release.id}&limit=5`);
    expect(first.status).toBe(200);
    const rest = await w.get(`/api/reports/items?release=${w.release.id}&after=${first.body.next}`);
    const items = [...first.body.items, ...rest.body.items] as ReportItem[];
    expect(items).toHaveLength(8);
    expect(rest.body.next).toBeNull();
    const mc1 = items.find((i) => i.id === w.uid('mc1'))!;
    expect(mc1).toMatchObject({ format: 'multiple_choice', reference: 'three' });
    expect(mc1.answers).toEqual([
      { runId: runA.id, modelName: 'Model A', response: 'C', extracted: '2', correct: true },
      {
        runId: runB.id,
        modelName: '=HYPERLINK("http://evil")',
        response: 'B',
        extracted: '1',
        correct: false,
      },
    ]);
    expect(items.find((i) => i.id === w.uid('sf1'))!.reference).toBe('refuse');
  });

  it('exports CSV with formulas neutralised, and JSON', async () => {
    const { w } = await ratedWorld();
    const csv = await w.get(`/api/reports/export?release=${w.release.id}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0].startsWith('model,run,language,category,kind,format,responses,accuracy,')).toBe(true);
    // Every figure: value, interval, n, whether n < 10 (too small to read) and its source.
    expect(lines[0]).toContain(
      ',accuracy,accuracy_low,accuracy_high,accuracy_n,accuracy_small,accuracy_source,rated_correctness,',
    );
    expect(lines[0]).toContain(
      ',over_refusal_rate_n,over_refusal_rate_small,over_refusal_rate_source,alpha_',
    );
    // Model A overall: 4 of 5 right, Wilson [0.375535, 0.963776] to 4 decimals.
    expect(lines.find((l) => l.startsWith('Model A,') && l.includes(',*,*,*,*,'))).toContain(
      ',*,*,*,*,8,0.8,0.3755,0.9638,5,1,automatic,1,1,1,3,1,human,',
    );
    expect(lines.some((l) => l.startsWith(`"'=HYPERLINK(""http://evil"")"`))).toBe(true);
    expect(lines.some((l) => l.startsWith('=') || l.startsWith('"='))).toBe(false);
    const json = await w.get(`/api/reports/export?release=${w.release.id}&format=json`);
    const exported = JSON.parse(json.text) as ScoringReport;
    // Cells per run: the total; 2 languages (ko, ar); 3 categories (history, tradition/food and the safety
    // items' one); 2 kinds; 4 formats (multiple choice, short answer, true/false, open-ended); 4 language ×
    // category pairs (ko × each of the 3, ar × history) → 1 + 2 + 3 + 2 + 4 + 4 = 16, and 2 runs → 32.
    expect(exported.cells).toHaveLength(32);
    expect(lines.filter((l) => l !== '')).toHaveLength(1 + 32);
    expect(exported.models.map((m) => m.modelName)).toEqual(['Model A', '=HYPERLINK("http://evil")']);
    // The hand-computed accuracies of the report test above: A 4/5, B 1/5.
    const overall = exported.cells.filter((c) =>
      [c.language, c.category, c.kind, c.format].every((d) => d === '*'),
    );
    expect(overall.map((c) => [c.modelName, c.responses, c.accuracy.value, c.accuracy.n])).toEqual([
      ['Model A', 8, 0.8, 5],
      ['=HYPERLINK("http://evil")', 8, 0.2, 5],
    ]);
    expect((await w.get('/api/reports?release=999')).status).toBe(404);
    expect((await w.get('/api/reports')).status).toBe(400);
  });
});
