import { inspect } from 'node:util';
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
  type ResponseSpec,
  type World,
} from './scoring-engines.ts';

const modelFields = {
  developer: 'Lab',
  country: 'KR',
  sovereign: true,
  baseUrl: 'https://models.example/v1',
  endpointModel: 'm-1',
  apiKeyEnv: null,
};
// A key with quotes, a backslash, a comma and non-ASCII letters: stored and given back byte for byte.
const KEY = `sk-"it's",\\ключ🔑`;

describe.each(engines)('scoring repository on $engine', ({ open }) => {
  let e: Engine;
  let w: World;
  beforeEach(async () => {
    e = await open();
    w = await world(e);
  });

  describe('models', () => {
    it('stores a model with its key, gives the key back exactly and only through storedApiKey', async () => {
      const id = await e.scoring.insertModel({
        name: 'Sovereign-7B',
        ...modelFields,
        apiKey: KEY,
        createdBy: w.alice,
        createdAt: T1,
      });
      const expected = {
        id,
        name: 'Sovereign-7B',
        developer: 'Lab',
        country: 'KR',
        sovereign: true,
        baseUrl: 'https://models.example/v1',
        endpointModel: 'm-1',
        apiKeyEnv: null,
        hasApiKey: true,
        createdAt: T1,
      };
      expect(await e.scoring.getModel(id)).toEqual(expected);
      expect(await e.scoring.storedApiKey(id)).toBe(KEY);
      expect(await e.scoring.getModel(999)).toBeUndefined();
      expect(await e.scoring.storedApiKey(999)).toBeNull();

      await e.scoring.updateModel(id, {
        name: 'Sovereign-8B',
        ...modelFields,
        sovereign: false,
        apiKey: null,
      });
      expect(await e.scoring.getModel(id)).toEqual({
        ...expected,
        name: 'Sovereign-8B',
        sovereign: false,
        hasApiKey: false,
      });
      expect(await e.scoring.storedApiKey(id)).toBeNull();
    });

    it('finds a model by name in any ASCII case only, and lists models as SQLite NOCASE orders them', async () => {
      for (const name of ['Zeta', 'émile', '_under', 'Émile', 'beta'])
        await e.scoring.insertModel({
          name,
          ...modelFields,
          apiKey: null,
          createdBy: w.alice,
          createdAt: T0,
        });
      expect((await e.scoring.modelByName('MODEL-A'))?.id).toBe(w.model);
      expect((await e.scoring.modelByName('ÉMILE'))?.name).toBe('Émile');
      expect((await e.scoring.modelByName('émile'))?.name).toBe('émile');
      expect(await e.scoring.modelByName('model')).toBeUndefined();
      // A–Z folded to a–z, then bytewise: '_' (5F) before 'a' (61); 'É' (C3 89) before 'é' (C3 A9).
      expect((await e.scoring.listModels()).map((m) => m.name)).toEqual([
        '_under',
        'beta',
        'model-a',
        'model-b',
        'Zeta',
        'Émile',
        'émile',
      ]);
    });

    it('refuses a name taken in another ASCII case with a unique violation', async () => {
      await expect(
        e.scoring.insertModel({
          name: 'Model-A',
          ...modelFields,
          apiKey: null,
          createdBy: w.alice,
          createdAt: T0,
        }),
      ).rejects.toMatchObject({ code: e.codes.unique });
      await expect(
        e.scoring.updateModel(w.otherModel, { name: 'MODEL-A', ...modelFields, apiKey: null }),
      ).rejects.toMatchObject({ code: e.codes.unique });
    });

    it('when a write of a model fails, the error carries no trace of its key', async () => {
      const failure = await e.scoring
        .insertModel({
          name: 'Broken',
          ...modelFields,
          developer: null as unknown as string,
          apiKey: 'sk-never-shown',
          createdBy: w.alice,
          createdAt: T0,
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(Error);
      expect(inspect(failure, { depth: 5 })).not.toContain('sk-never-shown');
      expect(JSON.stringify(failure)).not.toContain('sk-never-shown');
      expect((await e.scoring.listModels()).map((m) => m.name)).toEqual(['model-a', 'model-b']);
    });
  });

  describe('runs and collections', () => {
    it('gives a run with its model, release and progress counts, and lists runs newest first by release and model', async () => {
      const a = await newRun(e, w, w.model, w.release, 4);
      const b = await newRun(e, w, w.otherModel, w.release);
      const c = await newRun(e, w, w.model, w.otherRelease);
      await responses(e, a, [
        ['u1', 'ko', 'food', 'culture', 'multiple_choice', 'auto', true],
        ['u2', 'ko', 'food', 'culture', 'multiple_choice', 'auto', false],
        ['u3', 'ko', 'food', 'culture', 'open_ended', 'rating', null],
      ]);
      expect(await e.scoring.getRun(a)).toEqual({
        id: a,
        modelId: w.model,
        modelName: 'model-a',
        releaseId: w.release,
        releaseVersion: '1.0.0',
        promptTemplate: null,
        temperature: 0,
        maxTokens: 512,
        status: 'pending',
        error: null,
        progress: { items: 4, responses: 3, autoScored: 2, correct: 1, toRate: 1 },
        collection: null,
        createdAt: T0,
        updatedAt: T0,
      });
      expect(await e.scoring.getRun(999)).toBeUndefined();
      const ids = (runs: { id: number }[]) => runs.map((r) => r.id);
      expect(ids(await e.scoring.listRuns({}))).toEqual([c, b, a]);
      expect(ids(await e.scoring.listRuns({ release: w.release }))).toEqual([b, a]);
      expect(ids(await e.scoring.listRuns({ model: w.model }))).toEqual([c, a]);
      expect(ids(await e.scoring.listRuns({ release: w.otherRelease, model: w.otherModel }))).toEqual([]);

      await e.scoring.setRunStatus(a, 'failed', 'no key', T1);
      expect(await e.scoring.getRun(a)).toMatchObject({ status: 'failed', error: 'no key', updatedAt: T1 });
    });

    it('claims a collection once, writes its counts while it runs, takes a cancel request and ends it', async () => {
      const a = await newRun(e, w, w.model, w.release, 2);
      expect(await e.scoring.requestCollectionCancel(a)).toBe(false);
      expect(await e.scoring.claimCollection(a, T1)).toBe(true);
      expect(await e.scoring.claimCollection(a, T1)).toBe(false);
      const counts = {
        total: 2,
        asked: 2,
        answered: 1,
        failed: 1,
        skipped: 0,
        requests: 3,
        failures: [{ id: 'u2', reason: 'status 500 «خطأ»' }],
      };
      await e.scoring.collectionProgress(a, counts);
      expect(await e.scoring.getRun(a)).toMatchObject({
        status: 'collecting',
        error: null,
        updatedAt: T1,
        collection: { state: 'running', ...counts, startedAt: T1, finishedAt: null },
      });
      expect(await e.scoring.collectionCancelRequested(a)).toBe(false);
      expect(await e.scoring.requestCollectionCancel(a)).toBe(true);
      expect(await e.scoring.collectionCancelRequested(a)).toBe(true);

      await e.scoring.finishCollection(
        a,
        { ...counts, answered: 2, failures: [] },
        {
          state: 'cancelled',
          status: 'pending',
          error: 'cancelled',
          at: T2,
        },
      );
      expect(await e.scoring.getRun(a)).toMatchObject({
        status: 'pending',
        error: 'cancelled',
        updatedAt: T2,
        collection: { state: 'cancelled', answered: 2, failures: [], startedAt: T1, finishedAt: T2 },
      });
      expect(await e.scoring.collectionCancelRequested(a)).toBe(false);
      // Progress of a collection that no longer runs changes nothing.
      await e.scoring.collectionProgress(a, { ...counts, answered: 0 });
      expect((await e.scoring.getRun(a))?.collection?.answered).toBe(2);
      expect(await e.scoring.collectionCancelRequested(999)).toBe(false);
    });

    it('interrupts the collections a stopped process left: complete when every item has its answer, else pending', async () => {
      const full = await newRun(e, w, w.model, w.release, 1);
      const partial = await newRun(e, w, w.otherModel, w.release, 2);
      const idle = await newRun(e, w, w.model, w.otherRelease, 1);
      await responses(e, full, [['u1', 'ko', 'food', 'culture', 'multiple_choice', 'auto', true]]);
      await responses(e, partial, [['u1', 'ko', 'food', 'culture', 'multiple_choice', 'auto', true]]);
      await e.scoring.claimCollection(partial, T1);
      await e.scoring.claimCollection(full, T1);
      expect(await e.scoring.interruptCollections(T2, 'server stopped')).toEqual([full, partial]);
      expect(await e.scoring.getRun(full)).toMatchObject({
        status: 'complete',
        error: null,
        collection: { state: 'interrupted', finishedAt: T2 },
      });
      expect(await e.scoring.getRun(partial)).toMatchObject({
        status: 'pending',
        error: 'server stopped',
        collection: { state: 'interrupted', finishedAt: T2 },
      });
      expect(await e.scoring.getRun(idle)).toMatchObject({ status: 'pending', collection: null });
      expect(await e.scoring.interruptCollections(T2, 'again')).toEqual([]);
    });
  });

  describe('responses', () => {
    it('keeps the first answer to an item, counts only new ones, and pages by item id bytewise', async () => {
      const a = await newRun(e, w, w.model, w.release);
      const specs: ResponseSpec[] = [
        ['é-1', 'ko', 'food', 'culture', 'short_answer', 'auto', true],
        ['a-1', 'ko', 'food', 'culture', 'short_answer', 'auto', false],
        ['Z', 'ko', 'food', 'culture', 'open_ended', 'rating', null],
        ['a-1', 'ko', 'food', 'culture', 'short_answer', 'auto', true],
      ];
      expect(await responses(e, a, specs)).toBe(3);
      expect(
        await responses(e, a, [...specs, ['B-1', 'ar', 'food', 'culture', 'true_false', 'auto', true]]),
      ).toBe(1);
      expect(await e.scoring.insertResponses([])).toBe(0);
      // Ids follow the order given and skip nothing for the answers that were already there.
      expect(await responseIds(e, a)).toEqual({ 'é-1': 1, 'a-1': 2, Z: 3, 'B-1': 4 });
      expect(await e.scoring.answeredUids(a)).toEqual(new Set(['é-1', 'a-1', 'Z', 'B-1']));
      expect(await e.scoring.answeredUids(999)).toEqual(new Set());

      const page = await e.scoring.listResponses(a, '', 3);
      expect(page).toEqual([
        {
          id: 'B-1',
          language: 'ar',
          kind: 'culture',
          format: 'true_false',
          category: 'food',
          response: 'answer B-1 — إجابة 답',
          source: 'import',
          scoring: 'auto',
          extracted: 'B',
          correct: true,
        },
        expect.objectContaining({ id: 'Z', extracted: null, correct: null }),
        expect.objectContaining({ id: 'a-1', extracted: 'C', correct: false }),
      ]);
      expect((await e.scoring.listResponses(a, 'a-1', 3)).map((r) => r.id)).toEqual(['é-1']);
    });

    it('refuses responses of a run that does not exist with a foreign key violation', async () => {
      await expect(
        responses(e, 999, [['u1', 'ko', 'food', 'culture', 'short_answer', 'auto', true]]),
      ).rejects.toMatchObject({ code: e.codes.foreignKey });
    });

    it('stores answers with quotes, backslashes, braces, commas, a literal NULL and newlines as given', async () => {
      const a = await newRun(e, w, w.model, w.release);
      const texts = ['NULL', '{"a": [1, 2]}', 'say \\"hi\\", then {x}\n\tnext line', '', ' ', 'ع\u200Fب 𝄞'];
      await e.scoring.insertResponses(
        texts.map((response, i) => ({
          runId: a,
          uid: `t${i}`,
          language: 'ar',
          kind: 'culture',
          format: 'open_ended',
          category: 'c,"{}"',
          response,
          source: 'endpoint',
          scoring: 'rating',
          extracted: i === 0 ? 'NULL' : null,
          correct: null,
          createdAt: T0,
        })),
      );
      const stored = await e.scoring.listResponses(a, '', 10);
      expect(stored.map((r) => r.response)).toEqual(texts);
      expect(stored.map((r) => r.extracted)).toEqual(['NULL', null, null, null, null, null]);
      expect(new Set(stored.map((r) => r.category))).toEqual(new Set(['c,"{}"']));
    });

    it('tells whether an item id exists', async () => {
      await e.rows(
        `INSERT INTO items (uid, dataset_id, language, kind, format, status, author_id, created_at, updated_at)
         VALUES ('cs-ko-1', ?, 'ko', 'culture', 'open_ended', 'accepted', ?, ?, ?)`,
        [w.dataset, w.alice, T0, T0],
      );
      expect(await e.scoring.itemUidExists('cs-ko-1')).toBe(true);
      expect(await e.scoring.itemUidExists('CS-KO-1')).toBe(false);
    });
  });
});
