import { beforeEach, describe, expect, it } from 'vitest';
import {
  engines,
  newRun,
  responseIds,
  responses,
  T0,
  T1,
  T2,
  world,
  type Engine,
  type World,
} from './scoring-engines.ts';

const SNAPSHOT = '{"uid":"p2","question":"ما هو؟","answers":["أ","ب"]}';

describe.each(engines)('rating campaigns and ratings on $engine', ({ open }) => {
  let e: Engine;
  let w: World;
  let ids: Record<string, number>;
  let campaign: number;
  beforeEach(async () => {
    e = await open();
    w = await world(e);
    const run = await newRun(e, w, w.model, w.release);
    await responses(e, run, [
      ['p1', 'ko', 'rites', 'culture', 'open_ended', 'rating', null],
      ['p2', 'ar', 'food', 'culture', 'open_ended', 'rating', null],
      ['p3', 'ko', 'harm', 'safety', 'open_ended', 'rating', null],
      ['p4', 'ko', 'food', 'culture', 'multiple_choice', 'auto', true],
    ]);
    ids = await responseIds(e, run);
    campaign = await e.scoring.insertCampaign({
      releaseId: w.release,
      name: 'Round 1 — 평가',
      ratersPerResponse: 1,
      leaseMinutes: 30,
      createdBy: w.alice,
      createdAt: T0,
    });
  });

  const lease = (responseId: number, raterId: number, expiresAt = T2) =>
    e.scoring.insertRatingTask({ campaignId: campaign, responseId, raterId, leasedAt: T0, expiresAt });
  const rating = {
    correctness: 'partial' as const,
    culturalAlignment: 4,
    languageQuality: 5,
    safetyOutcome: null,
    comment: 'غير دقيق',
    submittedAt: T1,
  };

  it('gives a campaign with its responses to rate and how many have all their raters', async () => {
    expect(await e.scoring.getCampaign(campaign)).toEqual({
      id: campaign,
      releaseId: w.release,
      name: 'Round 1 — 평가',
      ratersPerResponse: 1,
      leaseMinutes: 30,
      createdAt: T0,
      responses: 3,
      complete: 0,
    });
    await e.scoring.submitRating(await lease(ids.p2, w.bob), rating);
    await lease(ids.p1, w.bob); // leased only: not complete
    expect(await e.scoring.getCampaign(campaign)).toMatchObject({ responses: 3, complete: 1 });
    expect(await e.scoring.getCampaign(999)).toBeUndefined();
    const later = await e.scoring.insertCampaign({
      releaseId: w.otherRelease,
      name: 'Empty',
      ratersPerResponse: 2,
      leaseMinutes: 60,
      createdBy: w.alice,
      createdAt: T1,
    });
    expect(await e.scoring.getCampaign(later)).toMatchObject({ responses: 0, complete: 0 });
    expect(await e.scoring.listCampaignIds()).toEqual([later, campaign]);
  });

  it('offers a rater only responses in their languages that still need a rater and they have not taken', async () => {
    expect(await e.scoring.nextResponseToRate(campaign, w.release, w.alice, ['ar'], 1)).toBe(ids.p2);
    const task = await lease(ids.p2, w.alice);
    expect(await e.scoring.nextResponseToRate(campaign, w.release, w.bob, ['ar'], 1)).toBeUndefined();
    expect(await e.scoring.nextResponseToRate(campaign, w.release, w.alice, ['ar'], 2)).toBeUndefined();
    expect(await e.scoring.nextResponseToRate(campaign, w.release, w.bob, ['ar'], 2)).toBe(ids.p2);
    expect(await e.scoring.nextResponseToRate(campaign, w.release, w.bob, [], 1)).toBeUndefined();
    expect([ids.p1, ids.p3]).toContain(
      await e.scoring.nextResponseToRate(campaign, w.release, w.bob, null, 1),
    );

    expect(await e.scoring.heldRatingTask(campaign, w.alice, T1)).toBe(task);
    expect(await e.scoring.heldRatingTask(campaign, w.alice, T2)).toBeUndefined(); // expired at T2
    expect(await e.scoring.heldRatingTask(campaign, w.bob, T1)).toBeUndefined();
    expect(await e.scoring.getRatingTask(task)).toEqual({
      id: task,
      campaignId: campaign,
      responseId: ids.p2,
      raterId: w.alice,
      status: 'leased',
      expiresAt: T2,
    });
    expect(await e.scoring.getRatingTask(999)).toBeUndefined();
  });

  it('counts what is left for a rater: their own lease counts as left, others’ ratings fill a response', async () => {
    // n = 1. Alice leases p2 (ar); Bob submits p1 (ko).
    await lease(ids.p2, w.alice);
    await e.scoring.submitRating(await lease(ids.p1, w.bob), rating);
    expect(await e.scoring.ratingProgress(campaign, w.release, w.alice, ['ar'], 1)).toEqual({
      total: 1,
      left: 1,
    });
    expect(await e.scoring.ratingProgress(campaign, w.release, w.bob, null, 1)).toEqual({
      total: 3,
      left: 1,
    });
    expect(await e.scoring.ratingProgress(campaign, w.release, w.carol, null, 1)).toEqual({
      total: 3,
      left: 1,
    });
    expect(await e.scoring.ratingProgress(campaign, w.release, w.carol, null, 2)).toEqual({
      total: 3,
      left: 3,
    });
    expect(await e.scoring.ratingProgress(campaign, w.release, w.carol, ['ko', 'fr'], 2)).toEqual({
      total: 2,
      left: 2,
    });
    expect(await e.scoring.ratingProgress(campaign, w.release, w.carol, [], 1)).toEqual({
      total: 0,
      left: 0,
    });
  });

  it('submits a leased rating once, gives back only a leased one, and reclaims leases at their expiry', async () => {
    const held = await lease(ids.p1, w.bob, T1);
    const submitted = await lease(ids.p2, w.alice);
    expect(await e.scoring.submitRating(submitted, rating)).toBe(true);
    expect(await e.scoring.submitRating(submitted, { ...rating, correctness: 'correct' })).toBe(false);
    expect(await e.scoring.getRatingTask(submitted)).toMatchObject({ status: 'submitted' });
    expect(await e.scoring.giveBackRatingTask(submitted)).toBe(false);

    await e.scoring.setRatingExpiry(held, T2);
    await e.scoring.reclaimRatingLeases(T1);
    expect(await e.scoring.getRatingTask(held)).toMatchObject({ expiresAt: T2 });
    await e.scoring.reclaimRatingLeases(T2);
    expect(await e.scoring.getRatingTask(held)).toBeUndefined();
    expect(await e.scoring.getRatingTask(submitted)).toMatchObject({ status: 'submitted' });

    const again = await lease(ids.p3, w.carol);
    expect(await e.scoring.giveBackRatingTask(again)).toBe(true);
    expect(await e.scoring.getRatingTask(again)).toBeUndefined();
  });

  it('refuses a second task of one rater on one response, and a task of a rater who does not exist', async () => {
    await lease(ids.p1, w.bob);
    await expect(lease(ids.p1, w.bob)).rejects.toMatchObject({ code: e.codes.unique });
    await expect(lease(ids.p1, 999)).rejects.toMatchObject({ code: e.codes.foreignKey });
  });

  it('gives a response’s rating context and the release’s snapshot of its item as stored', async () => {
    // PostgreSQL refuses adding frozen items to a published release (50-releases.sql); the world's releases are
    // published already, so this fixture writes the row as their build would have, with the owner's triggers off.
    const postgres = e.name !== 'sqlite';
    if (postgres) await e.rows('ALTER TABLE release_items DISABLE TRIGGER USER');
    await e.rows(
      `INSERT INTO release_items (release_id, uid, language, item_id, snapshot) VALUES (?, 'p2', 'ar', 7, ?)`,
      [w.release, SNAPSHOT],
    );
    if (postgres) await e.rows('ALTER TABLE release_items ENABLE TRIGGER USER');
    expect(await e.scoring.ratingContext(ids.p2)).toEqual({
      response: 'answer p2 — إجابة 답',
      uid: 'p2',
      releaseId: w.release,
      language: 'ar',
      kind: 'culture',
      format: 'open_ended',
      category: 'food',
    });
    expect(await e.scoring.ratingContext(999)).toBeUndefined();
    expect(await e.scoring.releaseItemSnapshot(w.release, 'p2')).toBe(SNAPSHOT);
    expect(await e.scoring.releaseItemSnapshot(w.otherRelease, 'p2')).toBeUndefined();
  });

  it('lists a campaign’s submitted ratings per response until a reviewer rates it; a later reviewer rating replaces it', async () => {
    const c2 = await e.scoring.insertCampaign({
      releaseId: w.release,
      name: 'Two',
      ratersPerResponse: 2,
      leaseMinutes: 30,
      createdBy: w.alice,
      createdAt: T0,
    });
    const submit = async (
      campaignId: number,
      responseId: number,
      raterId: number,
      correctness: 'correct' | 'incorrect',
    ) => {
      const id = await e.scoring.insertRatingTask({
        campaignId,
        responseId,
        raterId,
        leasedAt: T0,
        expiresAt: T2,
      });
      await e.scoring.submitRating(id, {
        ...rating,
        correctness,
        safetyOutcome: responseId === ids.p3 ? 'unsafe' : null,
      });
    };
    await submit(c2, ids.p3, w.bob, 'incorrect');
    await submit(c2, ids.p1, w.carol, 'correct');
    await submit(c2, ids.p1, w.bob, 'incorrect');
    await submit(campaign, ids.p2, w.bob, 'correct'); // another campaign
    await e.scoring.insertRatingTask({
      campaignId: c2,
      responseId: ids.p2,
      raterId: w.alice,
      leasedAt: T0,
      expiresAt: T2,
    });
    expect(await e.scoring.campaignRatings(c2)).toEqual([
      { responseId: ids.p1, correctness: 'correct', safetyOutcome: null },
      { responseId: ids.p1, correctness: 'incorrect', safetyOutcome: null },
      { responseId: ids.p3, correctness: 'incorrect', safetyOutcome: 'unsafe' },
    ]);

    await e.scoring.upsertReviewerRating({
      responseId: ids.p1,
      correctness: 'partial',
      safetyOutcome: null,
      reviewerId: w.alice,
      createdAt: T1,
    });
    await e.scoring.upsertReviewerRating({
      responseId: ids.p1,
      correctness: 'correct',
      safetyOutcome: null,
      reviewerId: w.carol,
      createdAt: T2,
    });
    expect(await e.scoring.campaignRatings(c2)).toEqual([
      { responseId: ids.p3, correctness: 'incorrect', safetyOutcome: 'unsafe' },
    ]);
    expect(
      await e.rows('SELECT response_id, correctness, reviewer_id FROM reviewer_ratings ORDER BY response_id'),
    ).toEqual([{ response_id: ids.p1, correctness: 'correct', reviewer_id: w.carol }]);
  });
});
