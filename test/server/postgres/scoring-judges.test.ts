import { beforeEach, describe, expect, it } from 'vitest';
import type { Rubric } from '../../../schema/judge.ts';
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

// Keys in an order no sorting gives (jsonb would reorder them by length): the rubric comes back as written.
const RUBRIC_JSON =
  '{"templates":[{"template":"{question} → {response}","kind":"culture","format":"open_ended","language":"ar"}],"language":"item","criteria":"الدقة"}';
const RUBRIC = JSON.parse(RUBRIC_JSON) as Rubric;
const ZERO = { total: 0, asked: 0, judged: 0, unparseable: 0, failed: 0, skipped: 0, resent: 0, requests: 0 };

describe.each(engines)('judges, judge runs and judgments on $engine', ({ open }) => {
  let e: Engine;
  let w: World;
  let run: number;
  let judge: number;
  let ids: Record<string, number>;
  beforeEach(async () => {
    e = await open();
    w = await world(e);
    run = await newRun(e, w, w.model, w.release);
    await responses(e, run, [
      ['q2', 'ar', 'food', 'culture', 'open_ended', 'rating', null],
      ['q1', 'ko', 'harm', 'safety', 'open_ended', 'rating', null],
      ['q3', 'ko', 'food', 'culture', 'multiple_choice', 'auto', true],
      ['Q0', 'ko', 'rites', 'culture', 'open_ended', 'rating', null],
    ]);
    ids = await responseIds(e, run);
    judge = await e.scoring.insertJudge({
      name: 'Strict Judge',
      modelId: w.otherModel,
      rubric: RUBRIC,
      temperature: 0.2,
      maxTokens: 256,
      createdBy: w.alice,
      createdAt: T0,
    });
  });

  describe('judges', () => {
    it('stores a judge with its rubric as written, finds it by name in any ASCII case, and updates it', async () => {
      const expected = {
        id: judge,
        name: 'Strict Judge',
        modelId: w.otherModel,
        modelName: 'model-b',
        rubric: RUBRIC,
        temperature: 0.2,
        maxTokens: 256,
        createdAt: T0,
      };
      const got = await e.scoring.getJudge(judge);
      expect(got).toEqual(expected);
      expect(JSON.stringify(got?.rubric)).toBe(RUBRIC_JSON);
      expect(await e.scoring.judgeByName('STRICT judge')).toEqual(expected);
      expect(await e.scoring.judgeByName('Strict')).toBeUndefined();
      expect(await e.scoring.getJudge(999)).toBeUndefined();

      const second = await e.scoring.insertJudge({
        name: 'Ärger',
        modelId: w.model,
        rubric: { language: 'en', criteria: null, templates: [] },
        temperature: 0,
        maxTokens: 512,
        createdBy: w.alice,
        createdAt: T1,
      });
      expect((await e.scoring.listJudges()).map((j) => j.id)).toEqual([judge, second]);
      await expect(
        e.scoring.insertJudge({
          name: 'strict JUDGE',
          modelId: w.model,
          rubric: RUBRIC,
          temperature: 0,
          maxTokens: 1,
          createdBy: w.alice,
          createdAt: T1,
        }),
      ).rejects.toMatchObject({ code: e.codes.unique });
      expect(await e.scoring.judgeByName('ärger')).toBeUndefined();

      await e.scoring.updateJudge(judge, {
        name: 'Lenient',
        modelId: w.model,
        rubric: { language: 'en', criteria: 'كن لطيفا', templates: [] },
        temperature: 1,
        maxTokens: 100,
      });
      expect(await e.scoring.getJudge(judge)).toEqual({
        ...expected,
        name: 'Lenient',
        modelId: w.model,
        modelName: 'model-a',
        rubric: { language: 'en', criteria: 'كن لطيفا', templates: [] },
        temperature: 1,
        maxTokens: 100,
      });
    });
  });

  describe('judge runs', () => {
    it('creates one judge run per judge and model run, however often it is asked for', async () => {
      const first = await e.scoring.ensureJudgeRun({
        judgeId: judge,
        runId: run,
        createdBy: w.alice,
        createdAt: T0,
      });
      expect(
        await e.scoring.ensureJudgeRun({ judgeId: judge, runId: run, createdBy: w.bob, createdAt: T1 }),
      ).toBe(first);
      const other = await newRun(e, w, w.otherModel, w.release);
      // The next judge run takes the next id: asking again drew none.
      expect(
        await e.scoring.ensureJudgeRun({ judgeId: judge, runId: other, createdBy: w.alice, createdAt: T1 }),
      ).toBe(first + 1);
      expect(await e.scoring.getJudgeRun(first)).toEqual({
        id: first,
        judgeId: judge,
        judgeName: 'Strict Judge',
        runId: run,
        modelName: 'model-a',
        releaseId: w.release,
        state: 'pending',
        ...ZERO,
        error: null,
        startedAt: null,
        finishedAt: null,
        createdAt: T0,
      });
      expect(await e.scoring.getJudgeRun(999)).toBeUndefined();
      const listed = async (filter: { judge?: number; run?: number }) =>
        (await e.scoring.listJudgeRuns(filter)).map((j) => j.id);
      expect(await listed({})).toEqual([first + 1, first]);
      expect(await listed({ run })).toEqual([first]);
      expect(await listed({ judge, run: other })).toEqual([first + 1]);
      expect(await listed({ judge: 999 })).toEqual([]);
      expect(await e.scoring.datasetOfRun(run)).toBe(w.dataset);
      expect(await e.scoring.datasetOfRun(999)).toBeUndefined();
      await expect(
        e.scoring.ensureJudgeRun({ judgeId: 999, runId: run, createdBy: w.alice, createdAt: T0 }),
      ).rejects.toMatchObject({ code: e.codes.foreignKey });
    });

    it('claims a judge run once, writes its counts while it runs, keeps a cancel over a later shutdown, and ends it', async () => {
      const id = await e.scoring.ensureJudgeRun({
        judgeId: judge,
        runId: run,
        createdBy: w.alice,
        createdAt: T0,
      });
      expect(await e.scoring.requestJudgeRunStop(id, 'cancel')).toBe(false);
      expect(await e.scoring.claimJudgeRun(id, T1)).toBe(true);
      expect(await e.scoring.claimJudgeRun(id, T1)).toBe(false);
      const counts = {
        total: 3,
        asked: 2,
        judged: 1,
        unparseable: 1,
        failed: 0,
        skipped: 0,
        resent: 1,
        requests: 4,
      };
      await e.scoring.judgeRunProgress(id, counts);
      expect(await e.scoring.getJudgeRun(id)).toMatchObject({ state: 'running', ...counts, startedAt: T1 });
      expect(await e.scoring.judgeRunStop(id)).toBeNull();
      expect(await e.scoring.requestJudgeRunStop(id, 'cancel')).toBe(true);
      expect(await e.scoring.requestJudgeRunStop(id, 'shutdown')).toBe(true);
      expect(await e.scoring.judgeRunStop(id)).toBe('cancel');
      await e.scoring.finishJudgeRun(
        id,
        { ...counts, judged: 2 },
        { state: 'cancelled', error: null, at: T2 },
      );
      expect(await e.scoring.getJudgeRun(id)).toMatchObject({
        state: 'cancelled',
        judged: 2,
        finishedAt: T2,
      });
      expect(await e.scoring.judgeRunStop(id)).toBeNull();
      await e.scoring.judgeRunProgress(id, ZERO); // not running: nothing changes
      expect(await e.scoring.getJudgeRun(id)).toMatchObject({ judged: 2 });
      expect(await e.scoring.judgeRunStop(999)).toBeNull();
    });

    it('interrupts the judge runs a stopped process left running, in id order', async () => {
      const other = await newRun(e, w, w.otherModel, w.release);
      const a = await e.scoring.ensureJudgeRun({
        judgeId: judge,
        runId: run,
        createdBy: w.alice,
        createdAt: T0,
      });
      const b = await e.scoring.ensureJudgeRun({
        judgeId: judge,
        runId: other,
        createdBy: w.alice,
        createdAt: T0,
      });
      await e.scoring.claimJudgeRun(b, T1);
      await e.scoring.claimJudgeRun(a, T1);
      await e.scoring.requestJudgeRunStop(a, 'shutdown');
      expect(await e.scoring.interruptJudgeRuns(T2, 'server stopped')).toEqual([a, b]);
      expect(await e.scoring.getJudgeRun(a)).toMatchObject({
        state: 'interrupted',
        error: 'server stopped',
        finishedAt: T2,
      });
      expect(await e.scoring.judgeRunStop(a)).toBeNull();
      expect(await e.scoring.interruptJudgeRuns(T2, 'again')).toEqual([]);
    });
  });

  describe('judgments', () => {
    it('keeps one judgment per response: resending reuses a failed or unanswered one and never an answered one', async () => {
      const jr = await e.scoring.ensureJudgeRun({
        judgeId: judge,
        runId: run,
        createdBy: w.alice,
        createdAt: T0,
      });
      const state = async () =>
        (await e.scoring.responsesToJudge(jr, run)).map((r) => [r.uid, r.responseId, r.state, r.response]);
      // Rated responses only, by item id bytewise ('Q0' before 'q1').
      expect(await state()).toEqual([
        ['Q0', ids.Q0, null, 'answer Q0 — إجابة 답'],
        ['q1', ids.q1, null, 'answer q1 — إجابة 답'],
        ['q2', ids.q2, null, 'answer q2 — إجابة 답'],
      ]);
      const send = (responseId: number, prompt: string, at: string) =>
        e.scoring.markJudgmentSent({ judgeRunId: jr, responseId, prompt, at });
      await send(ids.q1, 'p1', T0);
      await send(ids.q2, 'p2', T0);
      await send(ids.Q0, 'p0', T0);
      const fields = {
        rawOutput: '{"correctness":"correct"}',
        parseError: null,
        correctness: 'correct' as const,
        culturalAlignment: 5,
        languageQuality: 4,
        safetyOutcome: 'safe_refusal' as const,
        comment: 'جيد',
      };
      await e.scoring.storeJudgment(jr, ids.q1, { ...fields, requests: 2, at: T1 });
      await e.scoring.failJudgment(jr, ids.q2, 'timeout', 3);
      await e.scoring.storeJudgment(jr, ids.Q0, {
        ...fields,
        rawOutput: 'not json',
        parseError: 'Unexpected token',
        correctness: null,
        culturalAlignment: null,
        languageQuality: null,
        safetyOutcome: null,
        comment: null,
        requests: 1,
        at: T1,
      });
      expect(await state()).toEqual([
        ['Q0', ids.Q0, 'answered', 'answer Q0 — إجابة 답'],
        ['q1', ids.q1, 'answered', 'answer q1 — إجابة 답'],
        ['q2', ids.q2, 'failed', 'answer q2 — إجابة 답'],
      ]);

      await send(ids.q1, 'p1 again', T2); // answered: kept
      await send(ids.q2, 'p2 again', T2); // failed: sent again
      const listed = await e.scoring.listJudgments(jr, { after: 0, limit: 10, unparseable: false });
      expect(listed).toEqual([
        {
          id: 1,
          responseId: ids.q1,
          itemId: 'q1',
          language: 'ko',
          kind: 'safety',
          format: 'open_ended',
          state: 'answered',
          prompt: 'p1',
          rawOutput: '{"correctness":"correct"}',
          parseError: null,
          correctness: 'correct',
          culturalAlignment: 5,
          languageQuality: 4,
          safetyOutcome: 'safe_refusal',
          requests: 2,
          sentAt: T0,
          answeredAt: T1,
        },
        {
          id: 2,
          responseId: ids.q2,
          itemId: 'q2',
          language: 'ar',
          kind: 'culture',
          format: 'open_ended',
          state: 'sent',
          prompt: 'p2 again',
          rawOutput: null,
          parseError: null,
          correctness: null,
          culturalAlignment: null,
          languageQuality: null,
          safetyOutcome: null,
          requests: 3,
          sentAt: T2,
          answeredAt: null,
        },
        expect.objectContaining({ id: 3, itemId: 'Q0', state: 'answered', parseError: 'Unexpected token' }),
      ]);
      expect(
        (await e.scoring.listJudgments(jr, { after: 1, limit: 1, unparseable: false })).map((j) => j.id),
      ).toEqual([2]);
      expect(
        (await e.scoring.listJudgments(jr, { after: 0, limit: 10, unparseable: true })).map((j) => j.id),
      ).toEqual([3]);
      expect(await e.scoring.unparseableCount(jr)).toBe(1);
      // A response sent for the first time takes the next id: the resends drew none.
      const other = await newRun(e, w, w.otherModel, w.release);
      await responses(e, other, [['q1', 'ko', 'harm', 'safety', 'open_ended', 'rating', null]]);
      const jr2 = await e.scoring.ensureJudgeRun({
        judgeId: judge,
        runId: other,
        createdBy: w.alice,
        createdAt: T0,
      });
      await e.scoring.markJudgmentSent({
        judgeRunId: jr2,
        responseId: (await responseIds(e, other)).q1,
        prompt: 'p',
        at: T0,
      });
      expect(
        (await e.scoring.listJudgments(jr2, { after: 0, limit: 10, unparseable: false })).map((j) => j.id),
      ).toEqual([4]);
    });

    it('gives the judge run’s readable outputs with their response’s dimensions, by response', async () => {
      const jr = await e.scoring.ensureJudgeRun({
        judgeId: judge,
        runId: run,
        createdBy: w.alice,
        createdAt: T0,
      });
      const answer = async (responseId: number, parseError: string | null) => {
        await e.scoring.markJudgmentSent({ judgeRunId: jr, responseId, prompt: 'p', at: T0 });
        await e.scoring.storeJudgment(jr, responseId, {
          rawOutput: 'x',
          parseError,
          correctness: parseError ? null : 'partial',
          culturalAlignment: parseError ? null : 3,
          languageQuality: parseError ? null : 2,
          safetyOutcome: null,
          comment: null,
          requests: 1,
          at: T1,
        });
      };
      // Answered in another order than the responses' ids.
      await answer(ids.Q0, null);
      await answer(ids.q2, 'bad');
      await answer(ids.q1, null);
      const judged = (responseId: number, uid: string, category: string, kind: string) => ({
        responseId,
        runId: run,
        uid,
        language: 'ko',
        category,
        kind,
        format: 'open_ended',
        correctness: 'partial',
        culturalAlignment: 3,
        languageQuality: 2,
        safetyOutcome: null,
      });
      expect(await e.scoring.judgedResponses(jr)).toEqual([
        judged(ids.q1, 'q1', 'harm', 'safety'),
        judged(ids.Q0, 'Q0', 'rites', 'culture'),
      ]);
    });
  });

  describe('settings', () => {
    it('gives the default thresholds until a dataset has its own, and replaces them on save', async () => {
      expect(await e.scoring.judgeSettings(w.dataset)).toEqual({
        datasetId: w.dataset,
        alphaThreshold: 0.667,
        minAnswers: 30,
      });
      await e.scoring.saveJudgeSettings({
        datasetId: w.dataset,
        alphaThreshold: 0.8,
        minAnswers: 50,
        at: T1,
      });
      await e.scoring.saveJudgeSettings({
        datasetId: w.dataset,
        alphaThreshold: 0.75,
        minAnswers: 40,
        at: T2,
      });
      expect(await e.scoring.judgeSettings(w.dataset)).toEqual({
        datasetId: w.dataset,
        alphaThreshold: 0.75,
        minAnswers: 40,
      });
      expect(await e.rows('SELECT count(*) AS n FROM judge_settings')).toEqual([{ n: 1 }]);
    });
  });
});
