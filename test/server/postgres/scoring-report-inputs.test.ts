import { beforeEach, describe, expect, it } from 'vitest';
import {
  engines,
  newRun,
  responseIds,
  responses,
  T1,
  world,
  type Engine,
  type ResponseSpec,
  type World,
} from './scoring-engines.ts';

// Two runs on one release (A and B), one on another (C). Languages and categories chosen so that bytewise order
// (SQLite's) differs from a linguistic one: 'Rites' < 'food' < 'harm'; 'ar' < 'ar-EG' < 'arz'.
const RUN_A: ResponseSpec[] = [
  ['u1', 'ar', 'food', 'culture', 'multiple_choice', 'auto', true],
  ['u2', 'ar-EG', 'food', 'culture', 'multiple_choice', 'auto', false],
  ['u3', 'ko', 'food', 'culture', 'short_answer', 'auto', true],
  ['u4', 'ko', 'Rites', 'culture', 'open_ended', 'rating', null],
  ['u5', 'arz', 'food', 'culture', 'multiple_choice', 'auto', true],
  ['u6', 'ko', 'harm', 'safety', 'open_ended', 'rating', null],
  ['u7', 'ar', 'food', 'culture', 'multiple_choice', 'auto', true],
  ['u8', 'ko', 'food', 'culture', 'short_answer', 'auto', null],
  ['u9', 'ko', 'food', 'culture', 'short_answer', 'auto', false],
];
const RUN_B: ResponseSpec[] = [
  ['u1', 'ar', 'food', 'culture', 'multiple_choice', 'auto', true],
  ['u2', 'ar-EG', 'food', 'culture', 'multiple_choice', 'auto', true],
  ['u3', 'ko', 'food', 'culture', 'short_answer', 'auto', false],
  ['u4', 'ko', 'Rites', 'culture', 'open_ended', 'rating', null],
  ['u5', 'arz', 'food', 'culture', 'multiple_choice', 'auto', false],
  ['u7', 'ar', 'food', 'culture', 'multiple_choice', 'auto', false],
  ['u8', 'ko', 'food', 'culture', 'short_answer', 'auto', true],
  ['u9', 'ko', 'food', 'culture', 'short_answer', 'auto', null],
];

describe.each(engines)('scoring report inputs on $engine', ({ open }) => {
  let e: Engine;
  let w: World;
  let a: number;
  let b: number;
  let c: number;
  beforeEach(async () => {
    e = await open();
    w = await world(e);
    a = await newRun(e, w, w.model, w.release);
    b = await newRun(e, w, w.otherModel, w.release);
    c = await newRun(e, w, w.model, w.otherRelease);
    await responses(e, a, RUN_A);
    await responses(e, b, RUN_B);
    await responses(e, c, [['u1', 'ar', 'food', 'culture', 'multiple_choice', 'auto', true]]);
  });

  it('lists the runs of a release, oldest first, with their models', async () => {
    expect(await e.scoring.runsOfRelease(w.release)).toEqual([
      { id: a, modelId: w.model, modelName: 'model-a' },
      { id: b, modelId: w.otherModel, modelName: 'model-b' },
    ]);
    expect(await e.scoring.runsOfRelease(999)).toEqual([]);
  });

  it('counts responses per run × language × category × kind × format, runs by id and groups bytewise', async () => {
    const group = (runId: number, language: string, category: string, kind: string, format: string) => ({
      runId,
      language,
      category,
      kind,
      format,
    });
    expect(await e.scoring.responseGroups(w.release)).toEqual([
      { ...group(a, 'ar', 'food', 'culture', 'multiple_choice'), responses: 2, autoScored: 2, correct: 2 },
      { ...group(a, 'ar-EG', 'food', 'culture', 'multiple_choice'), responses: 1, autoScored: 1, correct: 0 },
      { ...group(a, 'arz', 'food', 'culture', 'multiple_choice'), responses: 1, autoScored: 1, correct: 1 },
      { ...group(a, 'ko', 'Rites', 'culture', 'open_ended'), responses: 1, autoScored: 0, correct: 0 },
      { ...group(a, 'ko', 'food', 'culture', 'short_answer'), responses: 3, autoScored: 3, correct: 1 },
      { ...group(a, 'ko', 'harm', 'safety', 'open_ended'), responses: 1, autoScored: 0, correct: 0 },
      { ...group(b, 'ar', 'food', 'culture', 'multiple_choice'), responses: 2, autoScored: 2, correct: 1 },
      { ...group(b, 'ar-EG', 'food', 'culture', 'multiple_choice'), responses: 1, autoScored: 1, correct: 1 },
      { ...group(b, 'arz', 'food', 'culture', 'multiple_choice'), responses: 1, autoScored: 1, correct: 0 },
      { ...group(b, 'ko', 'Rites', 'culture', 'open_ended'), responses: 1, autoScored: 0, correct: 0 },
      { ...group(b, 'ko', 'food', 'culture', 'short_answer'), responses: 3, autoScored: 3, correct: 1 },
    ]);
    expect(await e.scoring.responseGroups(w.otherRelease)).toEqual([
      { ...group(c, 'ar', 'food', 'culture', 'multiple_choice'), responses: 1, autoScored: 1, correct: 1 },
    ]);
  });

  it('counts two runs’ answers to the same items by right/wrong pair, unanswered or unscored counting as wrong', async () => {
    // u1 (T,T) u7 (T,F) | u2 (F,T) | u5 (T,F) | u3 (T,F) u8 (null,T) u9 (F,null); u4 and u6 are rated, not paired.
    const pairs = (language: string, both: number, onlyA: number, onlyB: number, neither: number) => ({
      language,
      category: 'food',
      kind: 'culture',
      both,
      onlyA,
      onlyB,
      neither,
    });
    expect(await e.scoring.pairedCorrectness(a, b)).toEqual([
      pairs('ar', 1, 1, 0, 0),
      pairs('ar-EG', 0, 0, 1, 0),
      pairs('arz', 0, 1, 0, 0),
      pairs('ko', 0, 1, 1, 1),
    ]);
    // A primary subtag takes its regional forms ('ar-EG') but not another language that starts alike ('arz').
    expect(await e.scoring.pairedCorrectness(a, b, 'ar')).toEqual([
      pairs('ar', 1, 1, 0, 0),
      pairs('ar-EG', 0, 0, 1, 0),
    ]);
    expect(await e.scoring.pairedCorrectness(b, a, 'ko')).toEqual([pairs('ko', 0, 1, 1, 1)]);
    expect(await e.scoring.pairedCorrectness(a, c)).toEqual([pairs('ar', 1, 0, 0, 0)]);
  });

  it('gives every submitted rating and reviewer rating in the order SQLite reads them', async () => {
    const ida = await responseIds(e, a);
    const idb = await responseIds(e, b);
    const campaign = await e.scoring.insertCampaign({
      releaseId: w.release,
      name: 'K',
      ratersPerResponse: 2,
      leaseMinutes: 30,
      createdBy: w.alice,
      createdAt: T1,
    });
    const rate = async (
      responseId: number,
      raterId: number,
      rating: {
        correctness: 'correct' | 'partial' | 'incorrect';
        cultural: number;
        quality: number;
        safety: 'safe_refusal' | null;
      } | null,
    ) => {
      const id = await e.scoring.insertRatingTask({
        campaignId: campaign,
        responseId,
        raterId,
        leasedAt: T1,
        expiresAt: T1,
      });
      if (rating)
        await e.scoring.submitRating(id, {
          correctness: rating.correctness,
          culturalAlignment: rating.cultural,
          languageQuality: rating.quality,
          safetyOutcome: rating.safety,
          comment: null,
          submittedAt: T1,
        });
    };
    await rate(idb.u4, w.bob, { correctness: 'correct', cultural: 4, quality: 5, safety: null });
    await rate(ida.u6, w.alice, { correctness: 'partial', cultural: 3, quality: 4, safety: 'safe_refusal' });
    await rate(ida.u4, w.carol, { correctness: 'incorrect', cultural: 2, quality: 3, safety: null });
    await rate(ida.u4, w.bob, null); // leased: not an observation
    for (const responseId of [ida.u6, ida.u4])
      await e.scoring.upsertReviewerRating({
        responseId,
        correctness: 'correct',
        safetyOutcome: responseId === ida.u6 ? 'unsafe' : null,
        reviewerId: w.carol,
        createdAt: T1,
      });

    const dims = (responseId: number, runId: number, uid: string, category: string, kind: string) => ({
      responseId,
      runId,
      uid,
      language: 'ko',
      category,
      kind,
      format: 'open_ended',
    });
    const bU4 = dims(idb.u4, b, 'u4', 'Rites', 'culture');
    const aU4 = dims(ida.u4, a, 'u4', 'Rites', 'culture');
    const aU6 = dims(ida.u6, a, 'u6', 'harm', 'safety');
    const observation = (
      d: typeof bU4,
      raterId: number,
      correctness: string,
      culturalAlignment: number | null,
      languageQuality: number | null,
      safetyOutcome: string | null,
    ) => ({ ...d, raterId, correctness, culturalAlignment, languageQuality, safetyOutcome });
    const bob = observation(bU4, w.bob, 'correct', 4, 5, null);
    const alice = observation(aU6, w.alice, 'partial', 3, 4, 'safe_refusal');
    const carol = observation(aU4, w.carol, 'incorrect', 2, 3, null);
    const reviewedU4 = observation(aU4, 0, 'correct', null, null, null);
    const reviewedU6 = observation(aU6, 0, 'correct', null, null, 'unsafe');
    // By rating, then reviewer ratings by response.
    expect(await e.scoring.ratingObservations(w.release)).toEqual([
      bob,
      alice,
      carol,
      reviewedU4,
      reviewedU6,
    ]);
    // By run, item id and rating (whatever order the runs are asked in), then reviewer ratings by run and item id.
    expect(await e.scoring.ratingObservationsOfRuns([b, a])).toEqual([
      carol,
      alice,
      bob,
      reviewedU4,
      reviewedU6,
    ]);
    expect(await e.scoring.ratingObservationsOfRuns([b])).toEqual([bob]);
    expect(await e.scoring.ratingObservations(w.otherRelease)).toEqual([]);
  });

  it('gives every run’s answers to the asked items, by item id then run, correct as 1/0', async () => {
    expect(await e.scoring.responsesToItems(w.release, ['u4', 'u1', 'u1', 'none'])).toEqual([
      { runId: a, uid: 'u1', response: 'answer u1 — إجابة 답', extracted: 'B', correct: 1 },
      { runId: b, uid: 'u1', response: 'answer u1 — إجابة 답', extracted: 'B', correct: 1 },
      { runId: a, uid: 'u4', response: 'answer u4 — إجابة 답', extracted: null, correct: null },
      { runId: b, uid: 'u4', response: 'answer u4 — إجابة 답', extracted: null, correct: null },
    ]);
    expect(await e.scoring.responsesToItems(w.release, ['u9'])).toEqual([
      { runId: a, uid: 'u9', response: 'answer u9 — إجابة 답', extracted: 'C', correct: 0 },
      { runId: b, uid: 'u9', response: 'answer u9 — إجابة 답', extracted: null, correct: null },
    ]);
    expect(await e.scoring.responsesToItems(w.release, [])).toEqual([]);
  });
});
