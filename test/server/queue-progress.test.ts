import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { RatingTask } from '../../schema/scoring.ts';
import type { MyValidationStats, ReviewQueuePage } from '../../schema/validation.ts';
import { createAuthService } from '../../server/domain/auth.ts';
import { responsesCsv, scoringWorld, type ScoringWorld } from '../fixtures/scoring/world.ts';
import { completeItemBody } from '../helpers/items.ts';
import {
  completeTask,
  nextTask,
  tokenAgent,
  validateNext,
  validationWorld,
  type TokenAgent,
} from '../helpers/validation.ts';

const stats = async (agent: TokenAgent) => {
  const res = await agent.get('/api/tasks/stats');
  expect(res.status, res.text).toBe(200);
  return res.body as MyValidationStats;
};

const queue = async (agent: TokenAgent) => {
  const res = await agent.get('/api/review/queue');
  expect(res.status, res.text).toBe(200);
  return res.body as ReviewQueuePage;
};

describe('GET /api/tasks/stats (queue)', () => {
  it('counts the items in validation in the caller’s languages and those left for them, the task they hold included', async () => {
    const w = await validationWorld({ validatorsPerItem: 2 });
    const [v1, v2, v3] = w.validators;
    await w.submit();
    await w.submit();
    // v1 validates one item: one of two left for them.
    await validateNext(v1);
    expect((await stats(v1)).queue).toEqual({ left: 1, total: 2, reason: null, allLanguages: false });
    // v1 holds a lease on the second: still left for them.
    expect(await nextTask(v1)).not.toBeNull();
    expect((await stats(v1)).queue).toEqual({ left: 1, total: 2, reason: null, allLanguages: false });
    // v2 validates the first item: two unanimous accepts, it is accepted and leaves validation. The second is
    // left for v3 (v1 holds one of its two slots).
    await validateNext(v2);
    expect((await stats(v3)).queue).toEqual({ left: 1, total: 1, reason: null, allLanguages: false });
    expect((await stats(w.author)).queue).toEqual({
      left: 0,
      total: 1,
      reason: 'only-own',
      allLanguages: false,
    });
    // v2 takes the second item's other slot: it is full without v3 (both slots leased), still left for v1 and v2.
    expect((await nextTask(v2))?.item.id).toBe((await nextTask(v1))?.item.id);
    expect((await stats(v3)).queue).toEqual({ left: 0, total: 1, reason: 'all-done', allLanguages: false });
    expect((await stats(v2)).queue).toEqual({ left: 1, total: 1, reason: null, allLanguages: false });
    expect((await stats(w.outsider)).queue).toEqual({
      left: 0,
      total: 0,
      reason: 'nothing-waiting',
      allLanguages: false,
    });
    expect((await stats(w.maintainer)).queue).toEqual({
      left: 0,
      total: 0,
      reason: 'no-languages',
      allLanguages: false,
    });
  });

  it('when every item left was validated by the caller or is full, then nothing is left: all done', async () => {
    const w = await validationWorld({ validatorsPerItem: 1 });
    const [v1, v2] = w.validators;
    await w.submit();
    await w.submit();
    await validateNext(v1);
    await validateNext(v2);
    // Both items went on (one validation each, unanimous accept): nothing waits any more.
    expect((await stats(v1)).queue).toEqual({
      left: 0,
      total: 0,
      reason: 'nothing-waiting',
      allLanguages: false,
    });
    const w2 = await validationWorld({ validatorsPerItem: 2 });
    await w2.submit();
    await validateNext(w2.validators[0]);
    await validateNext(w2.validators[1], { correct: 'no' });
    await w2.submit();
    await validateNext(w2.validators[0]);
    // val1 did both; the second waits for one more validator, not for val1.
    expect((await stats(w2.validators[0])).queue).toEqual({
      left: 0,
      total: 1,
      reason: 'all-done',
      allLanguages: false,
    });
    expect((await stats(w2.validators[2])).queue).toEqual({
      left: 1,
      total: 1,
      reason: null,
      allLanguages: false,
    });
  });
});

describe('GET /api/tasks/stats (queue) and gold checks', () => {
  it('when the caller holds a gold task, then it counts like any other task, so the counts do not give it away', async () => {
    const w = await validationWorld({ validators: 4 });
    const gold = await w.submit();
    for (const v of w.validators.slice(0, 3)) await validateNext(v);
    expect((await w.maintainer.put(`/api/gold/${gold.id}`, { grounded: 'yes', correct: 'yes' })).status).toBe(
      200,
    );
    expect(
      (await w.maintainer.patch(`/api/validation-settings/${w.dataset.id}`, { goldRate: 1 })).status,
    ).toBe(200);
    const v4 = w.validators[3];
    const task = await nextTask(v4);
    expect(task?.item.id).toBe(gold.id);
    expect((await stats(v4)).queue).toEqual({ left: 1, total: 1, reason: null, allLanguages: false });
    await completeTask(v4, task!);
    expect((await stats(v4)).queue).toEqual({
      left: 0,
      total: 0,
      reason: 'nothing-waiting',
      allLanguages: false,
    });
  });
});

describe('review: conflict of interest', () => {
  /** Two validators and the Korean reviewer validate one item, and disagree: it goes to review. */
  async function reviewedByItsValidator() {
    const w = await validationWorld({ validatorsPerItem: 3, validators: 2 });
    const item = await w.submit();
    await validateNext(w.validators[0]);
    await validateNext(w.validators[1], { correct: 'no' });
    await validateNext(w.reviewer);
    return { ...w, item: (await w.t.repos.items.get(item.id))! };
  }

  it('when a reviewer validated an item, then it is not in their queue and they may not open or decide it', async () => {
    const w = await reviewedByItsValidator();
    expect(w.item.status).toBe('in_review');
    const page = await queue(w.reviewer);
    expect(page.items).toEqual([]);
    expect(page.total).toBe(0);
    expect(page.progress).toEqual({ left: 0, total: 1, reason: 'only-own', allLanguages: false });
    const view = await w.reviewer.get(`/api/review/items/${w.item.id}`);
    expect(view.status).toBe(403);
    expect(view.body.error).toMatchObject({ code: 'conflict-of-interest', details: { reason: 'validator' } });
    const decided = await w.reviewer.post(`/api/review/items/${w.item.id}/decision`, {
      version: w.item.version,
      decision: 'accept',
    });
    expect(decided.status).toBe(403);
    expect(decided.body.error.code).toBe('conflict-of-interest');
    const edited = await w.reviewer.patch(`/api/review/items/${w.item.id}`, {
      version: w.item.version,
      changes: { notes: 'x' },
    });
    expect(edited.status).toBe(403);
    expect(await w.t.repos.items.get(w.item.id)).toMatchObject({
      status: 'in_review',
      version: w.item.version,
    });
  });

  it('when no reviewer is free of the item, then it waits for a maintainer, who may decide it', async () => {
    const w = await reviewedByItsValidator();
    const mine = await queue(w.maintainer);
    expect(mine.items.map((i) => [i.id, i.waitsForMaintainer])).toEqual([[w.item.id, true]]);
    expect(mine.progress).toEqual({ left: 1, total: 1, reason: null, allLanguages: true });
    // A second Korean reviewer, free of the item: it no longer waits for a maintainer, and is theirs to decide.
    const other = await tokenAgent(w.t, 'seoyeon', 'reviewer', ['ko']);
    expect((await queue(w.maintainer)).items[0].waitsForMaintainer).toBe(false);
    const theirs = await queue(other);
    expect(theirs.items.map((i) => i.id)).toEqual([w.item.id]);
    expect(theirs.progress).toEqual({ left: 1, total: 1, reason: null, allLanguages: false });
    const res = await w.maintainer.post(`/api/review/items/${w.item.id}/decision`, {
      version: w.item.version,
      decision: 'accept',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('accepted');
    expect((await queue(other)).progress).toEqual({
      left: 0,
      total: 0,
      reason: 'nothing-waiting',
      allLanguages: false,
    });
  });

  it('when the reviewer wrote an item, then the queue says only their own items wait', async () => {
    const w = await validationWorld({ validatorsPerItem: 2 });
    const author = await tokenAgent(w.t, 'reviewer-author', 'reviewer', ['ko']);
    const created = await author.post('/api/items', completeItemBody(w.dataset.id));
    expect(created.status, created.text).toBe(201);
    expect(
      (await author.post(`/api/items/${created.body.id}/submit`, { version: created.body.version })).status,
    ).toBe(200);
    await validateNext(w.validators[0]);
    await validateNext(w.validators[1], { correct: 'no' });
    expect((await queue(author)).progress).toEqual({
      left: 0,
      total: 1,
      reason: 'only-own',
      allLanguages: false,
    });
    expect((await queue(w.reviewer)).progress).toEqual({
      left: 1,
      total: 1,
      reason: null,
      allLanguages: false,
    });
    const none = await tokenAgent(w.t, 'no-languages', 'reviewer', []);
    expect((await queue(none)).progress).toEqual({
      left: 0,
      total: 0,
      reason: 'no-languages',
      allLanguages: false,
    });
  });
});

describe('POST /api/rating/campaigns/:id/next (progress)', () => {
  async function rater(w: ScoringWorld, username: string, languages: string[]) {
    const user = await w.t.addUser(username, 'annotator', languages);
    const auth = {
      Authorization: `Bearer ${(await createAuthService(w.t.repos.users).createToken(user.id, 't')).token}`,
    };
    return async (campaignId: number) => {
      const res = await request(w.t.app).post(`/api/rating/campaigns/${campaignId}/next`).set(auth).send({});
      expect(res.status, res.text).toBe(200);
      const body = res.body as { task: RatingTask | null; progress: unknown };
      return {
        ...body,
        submit: (taskId: number) =>
          request(w.t.app)
            .post(`/api/rating/tasks/${taskId}/submit`)
            .set(auth)
            .send({
              correctness: 'correct',
              culturalAlignment: 3,
              languageQuality: 3,
              safetyOutcome: body.task?.item.kind === 'safety' ? 'safe_refusal' : null,
            }),
      };
    };
  }

  it('answers the task with what is left for the rater in their languages, and why nothing is', async () => {
    const w = await scoringWorld();
    const run = await w.addRun((await w.addModel()).id);
    const u = w.uid;
    // Three responses to rate (open-ended and safety; the multiple-choice one is scored automatically).
    const put = await w.put(
      `/api/runs/${run.id}/responses`,
      responsesCsv([
        [u('oe1'), 'open'],
        [u('sf1'), 'safe 1'],
        [u('sf2'), 'safe 2'],
        [u('mc1'), 'C'],
      ]),
    );
    expect(put.status, put.text).toBe(200);
    const campaign = await w.post('/api/rating/campaigns', {
      releaseId: w.release.id,
      name: 'R',
      ratersPerResponse: 1,
    });
    expect(campaign.status, campaign.text).toBe(201);
    const id = campaign.body.id as number;
    const korean = await rater(w, 'r1', ['ko']);
    const first = await korean(id);
    expect(first.progress).toEqual({ left: 3, total: 3, reason: null, allLanguages: false });
    expect((await first.submit(first.task!.id)).status).toBe(200);
    expect((await korean(id)).progress).toEqual({ left: 2, total: 3, reason: null, allLanguages: false });
    const arabic = await rater(w, 'a1', ['ar']);
    expect(await arabic(id)).toMatchObject({
      task: null,
      progress: { left: 0, total: 0, reason: 'nothing-waiting', allLanguages: false },
    });
    const nobody = await rater(w, 'n1', []);
    expect(await nobody(id)).toMatchObject({
      task: null,
      progress: { left: 0, total: 0, reason: 'no-languages', allLanguages: false },
    });
    for (let next = await korean(id); next.task; next = await korean(id))
      expect((await next.submit(next.task.id)).status).toBe(200);
    expect(await korean(id)).toMatchObject({
      task: null,
      progress: { left: 0, total: 3, reason: 'all-done', allLanguages: false },
    });
    // An import and a release build (jobs on worker threads) come first: more than the default 5 s on a busy machine.
  }, 30_000);
});
