import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../schema/validation.ts';
import { itemStatus, nextTask, tokenAgent, validateNext, validationWorld } from '../helpers/validation.ts';

/** A world with one item in review (one validator said "incorrect"). */
async function inReview() {
  const w = await validationWorld();
  const item = await w.submit();
  const [v1, v2, v3] = w.validators;
  await validateNext(v1);
  await validateNext(v2, {
    correct: 'no',
    comment: '떡국 is for Seollal, fine, but the answer is incomplete',
  });
  await validateNext(v3, {}, { variants: ['떡국 '] });
  const view = await w.reviewer.get(`/api/review/items/${item.id}`);
  expect(view.status, view.text).toBe(200);
  return { ...w, item: view.body.item as ReviewView['item'] };
}

describe('the review queue', () => {
  it('is for reviewers and maintainers, in their languages, without their own items', async () => {
    const w = await inReview();
    expect((await w.validators[0].get('/api/review/queue')).status).toBe(403);
    expect((await w.maintainer.get('/api/review/queue')).body.total).toBe(1);
    expect((await w.reviewer.get('/api/review/queue')).body.total).toBe(1);
    const swReviewer = await tokenAgent(w.t, 'baraka', 'reviewer', ['sw']);
    expect((await swReviewer.get('/api/review/queue')).body.total).toBe(0);
    const authorReviewer = await tokenAgent(w.t, 'authorrev', 'reviewer', ['ko']);
    await w.t.sql('UPDATE items SET author_id = ? WHERE id = ?', authorReviewer.user.id, w.item.id);
    expect((await authorReviewer.get('/api/review/queue')).body.total).toBe(0);
    expect((await authorReviewer.get(`/api/review/items/${w.item.id}`)).status).toBe(403);
    expect((await swReviewer.get(`/api/review/items/${w.item.id}`)).status).toBe(404);
    expect((await w.reviewer.get('/api/review/queue?page=0')).status).toBe(400);
  });
});

describe('GET /api/review/items/:id', () => {
  it('shows the item, its revisions and every validation side by side', async () => {
    const w = await inReview();
    const view = (await w.reviewer.get(`/api/review/items/${w.item.id}`)).body as ReviewView;
    expect(view.item.status).toBe('in_review');
    expect(view.canDecide).toBe(true);
    expect(view.validations).toHaveLength(3);
    expect(view.validations.map((v) => v.validatorName).sort()).toEqual(['val1', 'val2', 'val3']);
    expect(view.validations.find((v) => v.validatorName === 'val2')).toMatchObject({
      correct: 'no',
      ownAnswer: { variants: ['떡국'] },
      ownAnswerMatches: true,
    });
    expect(view.counts).toEqual({ grounded: { yes: 3 }, correct: { yes: 2, no: 1 }, category: { keep: 3 } });
    expect(view.ownAnswerAgreement).toBe(1);
    expect(view.summary).toMatchObject({ validations: 3, unanimous: false, resolution: null });
    expect(view.revisions.map((r) => r.action)).toEqual(['status', 'status', 'submit', 'create']);
  });
});

describe('POST /api/review/items/:id/decision', () => {
  it('when a reviewer rejects without a reason, then 400; with one, the item is rejected and the author sees why', async () => {
    const w = await inReview();
    const url = `/api/review/items/${w.item.id}/decision`;
    const noReason = await w.reviewer.post(url, {
      version: w.item.version,
      decision: 'reject',
      message: ' ',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.issues[0].path).toBe('message');
    expect((await w.reviewer.post(url, { version: w.item.version, decision: 'maybe' })).status).toBe(400);
    const stale = await w.reviewer.post(url, { version: w.item.version - 1, decision: 'accept' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale-version');

    const res = await w.reviewer.post(url, {
      version: w.item.version,
      decision: 'reject',
      message: '출처가 없습니다',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('rejected');
    const decisions = await w.author.get(`/api/items/${w.item.id}/decisions`);
    expect(decisions.body).toMatchObject([
      {
        decision: 'reject',
        message: '출처가 없습니다',
        reviewerName: 'minho',
        reviewerId: w.reviewer.user.id,
      },
    ]);
    expect((await w.t.repos.validations.validationSummary([w.item.id]))[0].resolution).toBe('adjudicated');
    const again = await w.reviewer.post(url, { version: res.body.version, decision: 'accept' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not-in-review');
    expect((await w.validators[0].post(url, { version: res.body.version, decision: 'accept' })).status).toBe(
      403,
    );
  });

  it('when a reviewer accepts, then the item is accepted as adjudicated', async () => {
    const w = await inReview();
    const res = await w.reviewer.post(`/api/review/items/${w.item.id}/decision`, {
      version: w.item.version,
      decision: 'accept',
    });
    expect(res.body.status).toBe('accepted');
    expect((await w.t.repos.validations.validationSummary([w.item.id]))[0]).toMatchObject({
      resolution: 'adjudicated',
      validations: 3,
    });
  });

  it('when a reviewer asks for a revision, then the author edits and resubmits, and a new round of validation starts', async () => {
    const w = await inReview();
    const decided = await w.reviewer.post(`/api/review/items/${w.item.id}/decision`, {
      version: w.item.version,
      decision: 'needs_revision',
      message: '답을 더 자세히 써 주세요',
    });
    expect(decided.body.status).toBe('needs_revision');
    const decisions = await w.author.get(`/api/items/${w.item.id}/decisions`);
    expect(decisions.body[0]).toMatchObject({
      decision: 'needs_revision',
      message: '답을 더 자세히 써 주세요',
    });

    const edited = await w.author.patch(`/api/items/${w.item.id}`, {
      version: decided.body.version,
      changes: { referenceAnswer: '떡국 (설날 아침에 먹는다)' },
    });
    expect(edited.status, edited.text).toBe(200);
    const resubmitted = await w.author.post(`/api/items/${w.item.id}/submit`, {
      version: edited.body.version,
    });
    expect(resubmitted.body.status).toBe('submitted');
    expect((await w.t.repos.validations.validationSummary([w.item.id]))[0]).toMatchObject({
      round: 2,
      validations: 0,
    });
    // The same validators may validate the new version.
    const task = await nextTask(w.validators[0]);
    expect(task!.item.id).toBe(w.item.id);
    for (const v of w.validators) await validateNext(v, {}, { variants: ['떡국'] });
    expect(await itemStatus(w.author, w.item.id)).toBe('accepted');
    expect((await w.t.repos.validations.validationSummary([w.item.id]))[0]).toMatchObject({
      round: 2,
      resolution: 'unanimous',
    });
  });
});

describe('PATCH /api/review/items/:id', () => {
  it('when a reviewer edits an item in review, then it is a revision by the reviewer; a stale edit is 409', async () => {
    const w = await inReview();
    const url = `/api/review/items/${w.item.id}`;
    const res = await w.reviewer.patch(url, { version: w.item.version, changes: { rationale: '설날 전통' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      status: 'in_review',
      rationale: '설날 전통',
      version: w.item.version + 1,
    });
    const revisions = await w.reviewer.get(`/api/items/${w.item.id}/revisions`);
    expect(revisions.body[0]).toMatchObject({ action: 'update', userName: 'minho' });
    const stale = await w.reviewer.patch(url, { version: w.item.version, changes: { rationale: 'x' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale-version');
    const badTag = await w.reviewer.patch(url, {
      version: res.body.version,
      changes: { primaryCategory: 'no/such' },
    });
    expect(badTag.status).toBe(400);
    expect((await w.validators[0].patch(url, { version: res.body.version, changes: {} })).status).toBe(403);
  });

  it('when an accepted item is edited, then it goes back through validation', async () => {
    const w = await validationWorld();
    const item = await w.submit();
    for (const v of w.validators) await validateNext(v);
    const accepted = await w.reviewer.get(`/api/review/items/${item.id}`);
    expect(accepted.body.canDecide).toBe(false);
    const res = await w.reviewer.patch(`/api/review/items/${item.id}`, {
      version: accepted.body.item.version,
      changes: { referenceAnswer: '떡국과 만두' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('submitted');
    expect((await w.t.repos.validations.validationSummary([item.id]))[0]).toMatchObject({
      round: 2,
      resolution: null,
    });
    expect((await nextTask(w.validators[0]))!.item.id).toBe(item.id);
  });

  it('refuses to edit items that are still being validated', async () => {
    const w = await validationWorld();
    const item = await w.submit();
    await nextTask(w.validators[0]);
    const res = await w.reviewer.patch(`/api/review/items/${item.id}`, {
      version: 2,
      changes: { rationale: 'x' },
    });
    expect(res.status).toBe(409);
  });
});
