import { beforeEach, describe, expect, it } from 'vitest';
import type { NewTrial } from '../../../server/db/trials.ts';
import { engines, type Engine } from './account-engines.ts';

const T0 = '2026-01-01T00:00:00.000Z';
const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;

/** Rows of other groups' tables the trials point at: two users, a dataset, two items, two models, a judge. */
async function world(e: Engine) {
  await e.run(
    `INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)
     VALUES ('ana', 'Ana Lima', 'maintainer', 'h', ?, ?), ('bo', 'Bo Kim', 'annotator', 'h', ?, ?)`,
    [T0, T0, T0, T0],
  );
  await e.run("INSERT INTO datasets (slug, name, created_at) VALUES ('ds', 'Dataset', ?)", [T0]);
  for (const uid of ['uid-a', 'Uid-z']) {
    await e.run(
      `INSERT INTO items (uid, dataset_id, language, kind, format, status, author_id, created_at, updated_at)
       VALUES (?, 1, 'ko', 'culture', 'short_answer', 'draft', 1, ?, ?)`,
      [uid, T0, T0],
    );
  }
  await e.run(
    `INSERT INTO models (name, developer, sovereign, created_by, created_at)
     VALUES ('Model A', 'Lab A', FALSE, 1, ?), ('Model B', 'Lab B', TRUE, 1, ?)`,
    [T0, T0],
  );
  await e.run(
    "INSERT INTO judges (name, model_id, rubric, created_by, created_at) VALUES ('Strict judge', 2, '{}', 1, ?)",
    [T0],
  );
}

const trial = (overrides: Partial<NewTrial> = {}): NewTrial => ({
  itemId: 1,
  itemVersion: 1,
  modelId: 1,
  userId: 2,
  prompt: '송편은 언제 먹나요?',
  answer: '추석',
  reference: '추석',
  scoring: 'auto',
  extracted: '추석',
  correct: true,
  safetyOutcome: null,
  createdAt: at(1),
  ...overrides,
});

const summary = (e: Engine) =>
  e.rows<{ item_id: number; item_version: number; scored: number; correct: number }>(
    'SELECT item_id, item_version, scored, correct FROM item_trial_summary ORDER BY item_id',
  );

describe.each(engines)('trial repository on $engine', ({ open }) => {
  let e: Engine;
  beforeEach(async () => {
    e = await open();
    await world(e);
  });

  describe('settings', () => {
    it('has none until saved: no trial required, no judge, no models', async () => {
      expect(await e.trials.requireTrial(1)).toBe(false);
      expect(await e.trials.judge(1)).toBeNull();
      expect(await e.trials.models(1)).toEqual([]);
    });

    it('saves the requirement, the judge and the models in the order given, and replaces them on the next save', async () => {
      await e.trials.saveSettings(1, true, 1, [
        { modelId: 2, promptTemplate: 'Q: {{question}}' },
        { modelId: 1, promptTemplate: null },
      ]);
      expect(await e.trials.requireTrial(1)).toBe(true);
      expect(await e.trials.judge(1)).toEqual({ id: 1, name: 'Strict judge' });
      expect(await e.trials.models(1)).toEqual([
        { modelId: 2, name: 'Model B', developer: 'Lab B', promptTemplate: 'Q: {{question}}' },
        { modelId: 1, name: 'Model A', developer: 'Lab A', promptTemplate: null },
      ]);

      await e.trials.saveSettings(1, false, null, [{ modelId: 1, promptTemplate: 'A: {{question}}' }]);
      expect(await e.trials.requireTrial(1)).toBe(false);
      expect(await e.trials.judge(1)).toBeNull();
      expect(await e.trials.models(1)).toEqual([
        { modelId: 1, name: 'Model A', developer: 'Lab A', promptTemplate: 'A: {{question}}' },
      ]);
      await e.trials.saveSettings(1, false, null, []);
      expect(await e.trials.models(1)).toEqual([]);
    });

    it('forgets a judge that is deleted', async () => {
      await e.trials.saveSettings(1, true, 1, []);
      await e.run('DELETE FROM judges WHERE id = 1');
      expect(await e.trials.judge(1)).toBeNull();
      expect(await e.trials.requireTrial(1)).toBe(true);
    });
  });

  describe('trials', () => {
    it('stores a trial with its model and user names, and lists an item’s trials newest first', async () => {
      const stored = await e.trials.insert(trial());
      expect(stored).toEqual({
        id: 1,
        itemId: 1,
        itemVersion: 1,
        modelId: 1,
        modelName: 'Model A',
        userId: 2,
        userName: 'Bo Kim',
        prompt: '송편은 언제 먹나요?',
        answer: '추석',
        reference: '추석',
        scoring: 'auto',
        extracted: '추석',
        correct: true,
        safetyOutcome: null,
        createdAt: at(1),
      });
      await e.trials.insert(
        trial({
          modelId: 2,
          scoring: 'rating',
          reference: null,
          extracted: null,
          correct: null,
          safetyOutcome: 'refused',
          createdAt: at(2),
        }),
      );
      await e.trials.insert(trial({ itemId: 2, correct: false, createdAt: at(3) }));
      const listed = await e.trials.listForItem(1);
      expect(listed.map((t) => [t.id, t.modelName, t.correct, t.safetyOutcome])).toEqual([
        [2, 'Model B', null, 'refused'],
        [1, 'Model A', true, null],
      ]);
      expect(listed[1]).toEqual(stored);
      expect(await e.trials.countForItem(1)).toBe(2);
      expect(await e.trials.countForItem(2)).toBe(1);
      expect(await e.trials.listForItem(3)).toEqual([]);
      expect(await e.trials.countForItem(3)).toBe(0);
    });

    it("keeps each item's summary: a newer revision starts it again, the same adds to it, an older one leaves it", async () => {
      await e.trials.insert(trial({ correct: true }));
      expect(await summary(e)).toEqual([{ item_id: 1, item_version: 1, scored: 1, correct: 1 }]);
      await e.trials.insert(trial({ correct: false }));
      await e.trials.insert(trial({ scoring: 'rating', correct: null }));
      expect(await summary(e)).toEqual([{ item_id: 1, item_version: 1, scored: 2, correct: 1 }]);
      await e.trials.insert(trial({ itemVersion: 2, correct: false }));
      expect(await summary(e)).toEqual([{ item_id: 1, item_version: 2, scored: 1, correct: 0 }]);
      await e.trials.insert(trial({ itemVersion: 1, correct: true }));
      await e.trials.insert(trial({ itemId: 2, scoring: 'rating', correct: null }));
      expect(await summary(e)).toEqual([
        { item_id: 1, item_version: 2, scored: 1, correct: 0 },
        { item_id: 2, item_version: 1, scored: 0, correct: 0 },
      ]);
    });

    it("gives a release's trials made up to its creation, by item uid (bytewise) then age, with the record's keys in order", async () => {
      await e.run(
        `INSERT INTO releases (dataset_id, version, title, filter, dataset_meta, released_at, item_count, counts, state,
           created_by, created_at)
         VALUES (1, '1.0.0', 'First', '{}', '{}', '2026-01-01', 2, '{}', 'building', 1, ?)`,
        [at(10)],
      );
      await e.run(
        `INSERT INTO release_items (release_id, uid, language, item_id, snapshot)
         VALUES (1, 'uid-a', 'ko', 1, '{}'), (1, 'Uid-z', 'ko', 2, '{}')`,
      );
      await e.trials.insert(trial({ itemId: 1, createdAt: at(1) }));
      await e.trials.insert(trial({ itemId: 2, modelId: 2, correct: false, createdAt: at(2) }));
      await e.trials.insert(
        trial({ itemId: 1, itemVersion: 2, scoring: 'rating', correct: null, createdAt: at(10) }),
      );
      await e.trials.insert(trial({ itemId: 2, createdAt: at(11) }));
      const released = await e.trials.forRelease(1, at(10));
      expect(released.map((t) => JSON.stringify(t))).toEqual([
        '{"uid":"Uid-z","itemVersion":1,"model":"Model B","prompt":"송편은 언제 먹나요?","answer":"추석","reference":"추석","extracted":"추석","correct":false,"safetyOutcome":null,"createdAt":"2026-01-01T00:02:00.000Z"}',
        '{"uid":"uid-a","itemVersion":1,"model":"Model A","prompt":"송편은 언제 먹나요?","answer":"추석","reference":"추석","extracted":"추석","correct":true,"safetyOutcome":null,"createdAt":"2026-01-01T00:01:00.000Z"}',
        '{"uid":"uid-a","itemVersion":2,"model":"Model A","prompt":"송편은 언제 먹나요?","answer":"추석","reference":"추석","extracted":"추석","correct":null,"safetyOutcome":null,"createdAt":"2026-01-01T00:10:00.000Z"}',
      ]);
      expect(await e.trials.forRelease(2, at(10))).toEqual([]);
    });
  });

  describe('refusals', () => {
    it('refuses a trial of an unknown item, model or user, and writes neither trial nor summary', async () => {
      for (const wrong of [{ itemId: 9 }, { modelId: 9 }, { userId: 9 }]) {
        await expect(e.trials.insert(trial(wrong))).rejects.toMatchObject({ code: e.foreignKeyViolation });
      }
      expect(await e.rows('SELECT id FROM item_trials')).toEqual([]);
      expect(await summary(e)).toEqual([]);
    });

    it('refuses settings naming an unknown model, and keeps the saved ones whole', async () => {
      await e.trials.saveSettings(1, true, null, [{ modelId: 1, promptTemplate: null }]);
      await expect(
        e.transaction(() =>
          e.trials.saveSettings(1, false, null, [
            { modelId: 2, promptTemplate: null },
            { modelId: 9, promptTemplate: null },
          ]),
        ),
      ).rejects.toMatchObject({ code: e.foreignKeyViolation });
      expect(await e.trials.requireTrial(1)).toBe(true);
      expect((await e.trials.models(1)).map((m) => m.modelId)).toEqual([1]);
    });
  });

  describe('several app instances on one database', () => {
    it("two trials of one revision stored at once through two instances both count in the item's summary", async () => {
      const other = await e.otherInstance();
      await e.atOnce(
        () => e.trials.insert(trial({ correct: true })),
        () => other.trials.insert(trial({ modelId: 2, correct: true })),
      );
      expect(await summary(e)).toEqual([{ item_id: 1, item_version: 1, scored: 2, correct: 2 }]);
    });

    it('two saves of one dataset’s settings at once through two instances: the list is the later save’s, whole', async () => {
      const other = await e.otherInstance();
      await e.atOnce(
        () =>
          e.trials.saveSettings(1, true, 1, [
            { modelId: 1, promptTemplate: 'first' },
            { modelId: 2, promptTemplate: 'first' },
          ]),
        () => other.trials.saveSettings(1, false, null, [{ modelId: 2, promptTemplate: 'second' }]),
      );
      expect(await e.trials.requireTrial(1)).toBe(false);
      expect(await e.trials.models(1)).toEqual([
        { modelId: 2, name: 'Model B', developer: 'Lab B', promptTemplate: 'second' },
      ]);
    });
  });
});
