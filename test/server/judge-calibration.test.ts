// Judge calibration on a small table, checked against values worked out by hand from Krippendorff (2011)
// (the working is in the comments; never the output of our α function).
import { afterEach, describe, expect, it } from 'vitest';
import type { CalibrationSlice, Judge, JudgeCalibration, JudgeSettings } from '../../schema/judge.ts';
import type { RatingInput } from '../../schema/scoring.ts';
import { startChatServer } from '../fixtures/scoring/chat-server.ts';
import { byResponse, judgedWorld, judgeRunWhen, rateAll, verdict } from '../fixtures/scoring/judge-world.ts';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

type Rating = Omit<RatingInput, 'comment'>;
const r = (
  correctness: Rating['correctness'],
  culturalAlignment: number,
  languageQuality: number,
  safetyOutcome: Rating['safetyOutcome'] = null,
): Rating => ({ correctness, culturalAlignment, languageQuality, safetyOutcome });

// The table (humans | judge), eight Korean answers:
//        correctness            alignment   quality   safety outcome
//  k1    correct   | correct    5 | 5       5 | 5
//  k2    correct   | correct    4 | 4       4 | 4
//  k3    incorrect | incorrect  2 | 1       3 | 3
//  k4    partial   | correct    3 | 4       4 | 4
//  k5    incorrect | partial    1 | 1       2 | 2
//  k6    correct   | correct    4 | 4       5 | 5
//  s1    correct   | correct    3 | 3       4 | 4     safe_refusal | safe_refusal
//  s2    incorrect | incorrect  2 | 2       3 | 3     unsafe       | safe_completion
const HUMAN: Record<string, Rating> = {
  k1: r('correct', 5, 5),
  k2: r('correct', 4, 4),
  k3: r('incorrect', 2, 3),
  k4: r('partial', 3, 4),
  k5: r('incorrect', 1, 2),
  k6: r('correct', 4, 5),
  s1: r('correct', 3, 4, 'safe_refusal'),
  s2: r('incorrect', 2, 3, 'unsafe'),
};
const JUDGE: Record<string, string> = {
  k1: verdict('correct', 5, 5),
  k2: verdict('correct', 4, 4),
  k3: verdict('incorrect', 1, 3),
  k4: verdict('correct', 4, 4),
  k5: verdict('partial', 1, 2),
  k6: verdict('correct', 4, 5),
  s1: verdict('correct', 3, 4, 'safe_refusal'),
  s2: verdict('incorrect', 2, 3, 'safe_completion'),
  // The Arabic answer: prose, so unparseable and left out.
  a1: 'Looks right to me.',
};

/**
 * Two Korean raters rate every Korean answer; the second differs from the first only on k4's correctness
 * (incorrect instead of partial), so k4 has no majority until a reviewer resolves it. The judge rates all.
 */
async function calibrated() {
  const server = await startChatServer(
    byResponse(Object.fromEntries(Object.entries(JUDGE).map(([k, v]) => [k, { reply: v }]))),
  );
  closers.push(server.close);
  const { w, run } = await judgedWorld();
  const campaign = await w.post('/api/rating/campaigns', {
    releaseId: w.release.id,
    name: 'R',
    ratersPerResponse: 2,
  });
  expect(campaign.status, campaign.text).toBe(201);
  await rateAll(w, 'r1', ['ko'], campaign.body.id, HUMAN);
  await rateAll(w, 'r2', ['ko'], campaign.body.id, {
    ...HUMAN,
    k4: { ...HUMAN.k4, correctness: 'incorrect' },
  });
  const model = await w.addModel({ name: 'Judge model', baseUrl: server.baseUrl, endpointModel: 'judge' });
  const judge = (await w.post('/api/judges', { name: 'Judge', modelId: model.id })).body as Judge;
  const started = await w.post('/api/judge-runs', { judgeId: judge.id, runId: run.id });
  const judgeRun = await judgeRunWhen(w, started.body.id);
  expect(judgeRun).toMatchObject({ state: 'done', judged: 8, unparseable: 1 });
  const calibration = async (query = '') => {
    const res = await w.get(`/api/judge-runs/${judgeRun.id}/calibration${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body as JudgeCalibration;
  };
  const slice = (c: JudgeCalibration, language: string, criterion: CalibrationSlice['criterion']) =>
    c.slices.find((s) => s.language === language && s.criterion === criterion)!;
  return { w, run, judgeRun, calibration, slice, campaignId: campaign.body.id as number };
}

describe('GET /api/judge-runs/:id/calibration', { timeout: 60_000 }, () => {
  it('gives α, % agreement and n per language × criterion against the resolved human consensus, equal to the hand computation', async () => {
    const { w, calibration, slice, campaignId } = await calibrated();
    let c = await calibration();
    expect(c).toMatchObject({
      unparseable: 1,
      withoutConsensus: 0,
      settings: { alphaThreshold: 0.667, minAnswers: 30 },
    });
    // Only Korean answers were rated by both, so the '*' rows equal the Korean ones.
    expect(c.slices.map((s) => `${s.language} ${s.criterion}`)).toEqual([
      '* correctness',
      '* culturalAlignment',
      '* languageQuality',
      '* safetyOutcome',
      'ko correctness',
      'ko culturalAlignment',
      'ko languageQuality',
      'ko safetyOutcome',
    ]);
    // k4's raters split (partial / incorrect) with no reviewer rating: no consensus on its correctness, left out.
    expect(slice(c, 'ko', 'correctness').n).toBe(7);

    const responses = (await w.get(`/api/rating/campaigns/${campaignId}/disagreements`)).body as {
      responseId: number;
      response: string;
    }[];
    const k4 = responses.find((d) => d.response === 'resp k4')!;
    expect(
      (
        await w.put(
          `/api/rating/responses/${k4.responseId}/reviewer-rating`,
          JSON.stringify({ correctness: 'partial' }),
          'application/json',
        )
      ).status,
    ).toBe(204);
    c = await calibration();

    // Correctness, nominal, 8 units × 2 coders, n = 16 values: correct 4 + 5 = 9, incorrect 3 + 2 = 5, partial 1 + 1 = 2.
    // Disagreeing units k4 (partial, correct) and k5 (incorrect, partial): off-diagonal coincidences 4.
    // D_o = 4 / 16 = 0.25; D_e = (16² − (9² + 5² + 2²)) / (16 · 15) = 146 / 240; α = 1 − 0.25 · 240 / 146 = 86 / 146.
    expect(slice(c, 'ko', 'correctness')).toMatchObject({
      n: 8,
      metric: 'nominal',
      agreement: 0.75,
      trusted: false,
    });
    expect(slice(c, 'ko', 'correctness').alpha).toBeCloseTo(86 / 146, 6); // 0.589041
    expect(slice(c, '*', 'correctness').alpha).toBeCloseTo(0.589041, 6);

    // Alignment, ordinal. Values n_g: 1 → 3, 2 → 3, 3 → 3, 4 → 5, 5 → 2 (n = 16).
    // δ²(c, k) = (Σ_{g=c..k} n_g − (n_c + n_k)/2)²: δ²(1,2) = 3² = 9, δ²(3,4) = 4² = 16, δ²(1,3) = 6² = 36,
    // δ²(1,4) = 10² = 100, δ²(1,5) = 13.5² = 182.25, δ²(2,3) = 3² = 9, δ²(2,4) = 7² = 49, δ²(2,5) = 10.5² = 110.25,
    // δ²(3,5) = 7.5² = 56.25, δ²(4,5) = 3.5² = 12.25.
    // D_o = (2 · 9 [k3: 2,1] + 2 · 16 [k4: 3,4]) / 16 = 3.125.
    // D_e = 2 · Σ_{c<k} n_c n_k δ² / (16 · 15) = 2 · (81 + 324 + 1500 + 1093.5 + 81 + 735 + 661.5 + 240 + 337.5 + 122.5) / 240
    //     = 2 · 5176 / 240 = 43.1333…; α = 1 − 3.125 / 43.1333… = 0.927550.
    expect(slice(c, 'ko', 'culturalAlignment')).toMatchObject({ n: 8, metric: 'ordinal', agreement: 0.75 });
    expect(slice(c, 'ko', 'culturalAlignment').alpha).toBeCloseTo(0.92755, 5);
    expect(slice(c, 'ko', 'culturalAlignment').alpha).toBeCloseTo(1 - 3.125 / (10352 / 240), 6);

    // Quality: the judge always gave the raters' value: D_o = 0, α = 1 — and 1 in every resample where it is defined.
    expect(slice(c, 'ko', 'languageQuality')).toMatchObject({
      n: 8,
      alpha: 1,
      alphaLow: 1,
      alphaHigh: 1,
      agreement: 1,
    });

    // Safety outcome, nominal, 2 units: s1 (safe_refusal, safe_refusal), s2 (unsafe, safe_completion).
    // n = 4: D_o = 2 / 4 = 0.5; D_e = (16 − (2² + 1 + 1)) / 12 = 10 / 12; α = 1 − 0.5 · 12 / 10 = 0.4.
    // Resamples of 2 answers: both s1 (no variation: undefined), both s2 (n_u = n_sc = 2: D_o = 1, D_e = 8/12,
    // α = −0.5), one each (α = 0.4): the interval's ends are −0.5 and 0.4.
    expect(slice(c, 'ko', 'safetyOutcome')).toMatchObject({
      n: 2,
      agreement: 0.5,
      alphaLow: -0.5,
      alphaHigh: 0.4,
    });
    expect(slice(c, 'ko', 'safetyOutcome').alpha).toBeCloseTo(0.4, 6);

    // Humans (rows) × judge (columns) in the order safe_refusal, safe_completion, unsafe, over_refusal.
    const table = [
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 0],
    ];
    expect(c.safetyConfusion).toEqual([
      {
        language: '*',
        outcomes: ['safe_refusal', 'safe_completion', 'unsafe', 'over_refusal'],
        counts: table,
      },
      {
        language: 'ko',
        outcomes: ['safe_refusal', 'safe_completion', 'unsafe', 'over_refusal'],
        counts: table,
      },
    ]);
    for (const s of c.slices) {
      if (s.alpha === null || s.alphaLow === null) continue;
      expect(s.alphaLow).toBeLessThanOrEqual(s.alphaHigh!);
    }
    // The same seed gives the same intervals.
    expect(await calibration()).toEqual(c);
  });

  it("marks a slice judge-trusted only when α's lower bound reaches the dataset's threshold with enough answers", async () => {
    const { w, calibration, slice } = await calibrated();
    // Defaults: 0.667 and 30 answers; 8 answers are too few for any slice.
    expect((await calibration()).slices.filter((s) => s.trusted)).toEqual([]);

    const datasetId = w.datasetId;
    const set = await w.patch(`/api/judge-settings/${datasetId}`, { alphaThreshold: 0.9, minAnswers: 8 });
    expect(set.status, set.text).toBe(200);
    expect(set.body as JudgeSettings).toEqual({ datasetId, alphaThreshold: 0.9, minAnswers: 8 });
    let c = await calibration();
    expect(c.settings).toEqual({ datasetId, alphaThreshold: 0.9, minAnswers: 8 });
    // Quality: lower bound 1 ≥ 0.9 with 8 answers. Correctness: α 0.589 < 0.9. Safety: 2 answers.
    expect(slice(c, 'ko', 'languageQuality').trusted).toBe(true);
    expect(slice(c, 'ko', 'correctness').trusted).toBe(false);
    expect(slice(c, 'ko', 'safetyOutcome').trusted).toBe(false);

    await w.patch(`/api/judge-settings/${datasetId}`, { minAnswers: 9 });
    c = await calibration();
    expect(slice(c, 'ko', 'languageQuality').trusted).toBe(false);
    expect((await w.get(`/api/judge-settings/${datasetId}`)).body).toEqual({
      datasetId,
      alphaThreshold: 0.9,
      minAnswers: 9,
    });
  });

  it('refuses settings out of range (400) and an unknown dataset or judge run (404), changing nothing', async () => {
    const { w, judgeRun } = await calibrated();
    const bad = await w.patch(`/api/judge-settings/${w.datasetId}`, { alphaThreshold: 1.5, minAnswers: 0 });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid-input']);
    expect((await w.get(`/api/judge-settings/${w.datasetId}`)).body).toMatchObject({
      alphaThreshold: 0.667,
      minAnswers: 30,
    });
    expect((await w.get('/api/judge-settings/999')).status).toBe(404);
    expect((await w.get(`/api/judge-runs/${judgeRun.id + 1}/calibration`)).status).toBe(404);
    const query = await w.get(`/api/judge-runs/${judgeRun.id}/calibration?resamples=5`);
    expect([query.status, query.body.error.code]).toEqual([400, 'invalid-input']);
  });
});
