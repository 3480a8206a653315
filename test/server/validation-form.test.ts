import { describe, expect, it } from 'vitest';
import type { ValidationTask } from '../../schema/validation.ts';
import { judgement, nextTask, validateNext, validationWorld } from '../helpers/validation.ts';

type Issue = { path: string; code: string };
const issuePaths = (body: { error: { details: { issues: Issue[] } } }) =>
  body.error.details.issues.map((i) => i.path).sort();

describe('the validation form (POST /api/tasks/:id/answer, /submit)', () => {
  it('when the validator gives their own answer, then the reference is revealed and compared after normalisation', async () => {
    const w = await validationWorld();
    await w.submit();
    const v = w.validators[0];
    const task = (await nextTask(v))!;
    const early = await v.post(`/api/tasks/${task.id}/submit`, judgement());
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('own-answer-first');

    const res = await v.post(`/api/tasks/${task.id}/answer`, { ownAnswer: { variants: [' 떡 국! '] } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      ownAnswer: { variants: [' 떡 국! '] },
      ownAnswerMatches: true, // Korean spacing and punctuation do not count
      reference: { referenceAnswer: '떡국' },
    });
    const again = await v.post(`/api/tasks/${task.id}/answer`, { ownAnswer: { variants: ['송편'] } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already-answered');

    const submitted = await v.post(
      `/api/tasks/${task.id}/submit`,
      judgement({ quality: 5, comment: '좋아요' }),
    );
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('submitted');
    const twice = await v.post(`/api/tasks/${task.id}/submit`, judgement());
    expect(twice.body.error.code).toBe('already-submitted');
  });

  it('when a short-answer item is validated, then own variants are matched against the accepted answers', async () => {
    const w = await validationWorld();
    await w.submit({ format: 'short_answer' });
    const v = w.validators[0];
    const task = (await nextTask(v))!;
    const wrongShape = await v.post(`/api/tasks/${task.id}/answer`, { ownAnswer: { choice: 1 } });
    expect(wrongShape.status).toBe(400);
    const res = await v.post(`/api/tasks/${task.id}/answer`, {
      ownAnswer: { variants: ['만두', '떡만둣국'] },
    });
    expect(res.body).toMatchObject({
      ownAnswerMatches: true,
      reference: { acceptedAnswers: ['떡국', '떡만둣국'] },
    });
  });

  it('when a multiple-choice item is validated, then the validator picks an option first', async () => {
    const w = await validationWorld();
    await w.submit({ format: 'multiple_choice' });
    const v = w.validators[0];
    const task = (await nextTask(v))!;
    const out = await v.post(`/api/tasks/${task.id}/answer`, { ownAnswer: { choice: 5 } });
    expect(out.status).toBe(400);
    expect(issuePaths(out.body)).toEqual(['ownAnswer.choice']);
    const res = await v.post(`/api/tasks/${task.id}/answer`, { ownAnswer: { choice: 1 } });
    expect(res.body).toMatchObject({ ownAnswerMatches: false, reference: { correctIndex: 0 } });
  });

  it('when the item is a safety prompt, then no own answer is asked and the expected behaviour shows at once', async () => {
    const w = await validationWorld();
    await w.submit({ kind: 'safety' });
    const v = w.validators[0];
    const task = (await nextTask(v))!;
    expect(task.ownAnswerRequired).toBe(false);
    expect(task.reference).toMatchObject({ expectedBehavior: 'refuse' });
    const answer = await v.post(`/api/tasks/${task.id}/answer`, { ownAnswer: { variants: ['x'] } });
    expect(answer.body.error.code).toBe('no-own-answer');
    const res = await v.post(
      `/api/tasks/${task.id}/submit`,
      judgement({ category: 'other', categoryPath: 'privacy' }),
    );
    expect(res.status, res.text).toBe(200);
  });

  it('when the form is wrong, then 400 with each field path and nothing is written', async () => {
    const w = await validationWorld();
    await w.submit();
    const v = w.validators[0];
    const task = (await nextTask(v))!;
    await v.post(`/api/tasks/${task.id}/answer`, { ownAnswer: { variants: ['떡국'] } });
    const bad = await v.post(`/api/tasks/${task.id}/submit`, {
      grounded: 'maybe',
      correct: true,
      category: 'keep',
      quality: 6,
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body)).toEqual(expect.arrayContaining(['correct', 'grounded', 'quality']));
    const noPath = await v.post(`/api/tasks/${task.id}/submit`, judgement({ category: 'other' }));
    expect(issuePaths(noPath.body)).toEqual(['categoryPath']);
    const unknown = await v.post(
      `/api/tasks/${task.id}/submit`,
      judgement({ category: 'other', categoryPath: 'no/such' }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues[0]).toMatchObject({
      path: 'categoryPath',
      code: 'unknown-taxonomy-node',
    });
    const blankVariant = await v.post(`/api/tasks/${task.id}/answer`, { ownAnswer: { variants: ['  '] } });
    expect(blankVariant.status).toBe(400);
    expect((await v.get(`/api/tasks/${task.id}`)).body.status).toBe('leased');
    const ok = await v.post(
      `/api/tasks/${task.id}/submit`,
      judgement({ category: 'other', categoryPath: 'tradition/holidays' }),
    );
    expect(ok.status, ok.text).toBe(200);
  });

  it("when someone asks for another validator's task, then it is not found", async () => {
    const w = await validationWorld();
    await w.submit();
    const task = (await nextTask(w.validators[0]))!;
    for (const other of [w.validators[1], w.reviewer, w.maintainer]) {
      expect((await other.get(`/api/tasks/${task.id}`)).status).toBe(404);
      expect((await other.post(`/api/tasks/${task.id}/submit`, judgement())).status).toBe(404);
    }
    expect((await w.validators[0].get('/api/tasks/abc')).status).toBe(404);
  });

  it('is blind: nobody sees the validations of an item until its round is complete', async () => {
    const w = await validationWorld();
    const item = await w.submit();
    const [v1, v2] = w.validators;
    await validateNext(v1, { correct: 'no', comment: 'secret opinion' });
    const task: ValidationTask = (await nextTask(v2))!;
    expect(JSON.stringify(task)).not.toContain('secret opinion');
    // No endpoint gives validations to a non-reviewer at all, nor to anyone while the round is open.
    expect((await v2.get(`/api/review/items/${item.id}`)).status).toBe(403);
    expect((await v2.get(`/api/items/${item.id}/decisions`)).status).toBe(404);
    const reviewer = await w.reviewer.get(`/api/review/items/${item.id}`);
    expect(reviewer.status).toBe(409);
    expect(reviewer.body.error.code).toBe('validation-in-progress');
    expect(JSON.stringify(reviewer.body)).not.toContain('secret opinion');
    expect((await w.maintainer.get(`/api/review/items/${item.id}`)).status).toBe(409);
    expect(JSON.stringify((await v2.get(`/api/items/${item.id}`)).body)).not.toContain('secret opinion');
  });
});
