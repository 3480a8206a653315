import type { ReleasedTrial, Trial, TrialModel, TrialSafetyOutcome } from '../../schema/trials.ts';
import type { Db } from './connection.ts';

/** A trial's row with its model's and user's names, as both engines read it (PostgreSQL: correct as 0/1). */
export interface TrialRow {
  id: number;
  item_id: number;
  item_version: number;
  model_id: number;
  model_name: string;
  user_id: number;
  user_name: string;
  prompt: string;
  answer: string;
  reference: string | null;
  scoring: 'auto' | 'rating';
  extracted: string | null;
  correct: number | null;
  safety_outcome: TrialSafetyOutcome | null;
  created_at: string;
}

export const toTrial = (r: TrialRow): Trial => ({
  id: r.id,
  itemId: r.item_id,
  itemVersion: r.item_version,
  modelId: r.model_id,
  modelName: r.model_name,
  userId: r.user_id,
  userName: r.user_name,
  prompt: r.prompt,
  answer: r.answer,
  reference: r.reference,
  scoring: r.scoring,
  extracted: r.extracted,
  correct: r.correct === null ? null : r.correct === 1,
  safetyOutcome: r.safety_outcome,
  createdAt: r.created_at,
});

/** A model of a dataset's trial list. */
export interface TrialModelRow {
  model_id: number;
  name: string;
  developer: string;
  prompt_template: string | null;
}

export const toTrialModel = (r: TrialModelRow): TrialModel => ({
  modelId: r.model_id,
  name: r.name,
  developer: r.developer,
  promptTemplate: r.prompt_template,
});

/** A released item's trial (forRelease), correct as 0/1. */
export type ReleasedTrialRow = Omit<ReleasedTrial, 'correct'> & { correct: number | null };

export const toReleasedTrial = (r: ReleasedTrialRow): ReleasedTrial => ({
  ...r,
  correct: r.correct === null ? null : r.correct === 1,
});

/** A dataset's trial_settings row with its judge's name (both engines; PostgreSQL: require_trial as 0/1). */
export interface TrialSettingsRow {
  require_trial: number;
  judge_id: number | null;
  judge_name: string | null;
}

/** Whether items of the dataset need a trial before they are submitted (no settings: no). */
export const requiresTrial = (r: TrialSettingsRow | undefined): boolean => r?.require_trial === 1;

/** The judge of the dataset's safety trials, or null. */
export const trialJudge = (r: TrialSettingsRow | undefined): { id: number; name: string } | null =>
  r?.judge_id != null && r.judge_name !== null ? { id: r.judge_id, name: r.judge_name } : null;

export type NewTrial = Omit<Trial, 'id' | 'modelName' | 'userName'>;

const SELECT = `SELECT t.*, m.name AS model_name, u.display_name AS user_name
  FROM item_trials t JOIN models m ON m.id = t.model_id JOIN users u ON u.id = t.user_id`;

/** Trials of items on models, the datasets' trial settings, and the summary the item list filters on. */
export function createTrialRepository(db: Db) {
  const settingsRow = db.prepare<[number], TrialSettingsRow>(
    `SELECT s.require_trial, s.judge_id, j.name AS judge_name
     FROM trial_settings s LEFT JOIN judges j ON j.id = s.judge_id WHERE s.dataset_id = ?`,
  );
  const modelsOf = db.prepare<[number], TrialModelRow>(
    `SELECT tm.model_id, m.name, m.developer, tm.prompt_template
     FROM trial_models tm JOIN models m ON m.id = tm.model_id
     WHERE tm.dataset_id = ? ORDER BY tm.position`,
  );
  const upsertSettings = db.prepare(
    `INSERT INTO trial_settings (dataset_id, require_trial, judge_id) VALUES (?, ?, ?)
     ON CONFLICT (dataset_id) DO UPDATE SET require_trial = excluded.require_trial, judge_id = excluded.judge_id`,
  );
  const clearModels = db.prepare('DELETE FROM trial_models WHERE dataset_id = ?');
  const addModel = db.prepare(
    'INSERT INTO trial_models (dataset_id, model_id, prompt_template, position) VALUES (?, ?, ?, ?)',
  );
  const insert = db.prepare(
    `INSERT INTO item_trials (item_id, item_version, model_id, user_id, prompt, answer, reference, scoring,
       extracted, correct, safety_outcome, created_at)
     VALUES (@itemId, @itemVersion, @modelId, @userId, @prompt, @answer, @reference, @scoring, @extracted,
       @correct, @safetyOutcome, @createdAt)`,
  );
  // A trial of a newer revision starts the item's summary again; one of the same revision adds to it.
  const summarise = db.prepare(
    `INSERT INTO item_trial_summary (item_id, item_version, scored, correct) VALUES (@itemId, @itemVersion, @scored, @correct)
     ON CONFLICT (item_id) DO UPDATE SET
       scored = CASE WHEN excluded.item_version > item_version THEN excluded.scored
                     WHEN excluded.item_version = item_version THEN scored + excluded.scored ELSE scored END,
       correct = CASE WHEN excluded.item_version > item_version THEN excluded.correct
                      WHEN excluded.item_version = item_version THEN correct + excluded.correct ELSE correct END,
       item_version = max(item_version, excluded.item_version)`,
  );
  const byId = db.prepare<[number], TrialRow>(`${SELECT} WHERE t.id = ?`);
  const byItem = db.prepare<[number], TrialRow>(`${SELECT} WHERE t.item_id = ? ORDER BY t.id DESC`);
  const countByItem = db.prepare<[number], { n: number }>(
    'SELECT count(*) AS n FROM item_trials WHERE item_id = ?',
  );
  const released = db.prepare<[number, string], ReleasedTrialRow>(
    `SELECT ri.uid, t.item_version AS itemVersion, m.name AS model, t.prompt, t.answer, t.reference,
       t.extracted, t.correct, t.safety_outcome AS safetyOutcome, t.created_at AS createdAt
     FROM release_items ri JOIN items i ON i.uid = ri.uid
     JOIN item_trials t ON t.item_id = i.id JOIN models m ON m.id = t.model_id
     WHERE ri.release_id = ? AND t.created_at <= ?
     ORDER BY ri.uid, m.name COLLATE BINARY, t.id`,
  );

  return {
    requireTrial: (datasetId: number): boolean => requiresTrial(settingsRow.get(datasetId)),
    /** The judge of the dataset's safety trials, or null. */
    judge: (datasetId: number): { id: number; name: string } | null => trialJudge(settingsRow.get(datasetId)),
    models: (datasetId: number): TrialModel[] => modelsOf.all(datasetId).map(toTrialModel),
    /** Replaces a dataset's settings and model list (call inside a transaction). */
    saveSettings(
      datasetId: number,
      requireTrial: boolean,
      judgeId: number | null,
      models: { modelId: number; promptTemplate: string | null }[],
    ): void {
      upsertSettings.run(datasetId, requireTrial ? 1 : 0, judgeId);
      clearModels.run(datasetId);
      models.forEach((m, i) => addModel.run(datasetId, m.modelId, m.promptTemplate, i));
    },
    /** Stores a trial and keeps the item's summary (call inside a transaction). */
    insert(t: NewTrial): Trial {
      const id = Number(
        insert.run({ ...t, correct: t.correct === null ? null : t.correct ? 1 : 0 }).lastInsertRowid,
      );
      summarise.run({
        itemId: t.itemId,
        itemVersion: t.itemVersion,
        scored: t.scoring === 'auto' ? 1 : 0,
        correct: t.correct === true ? 1 : 0,
      });
      return toTrial(byId.get(id)!);
    },
    listForItem: (itemId: number): Trial[] => byItem.all(itemId).map(toTrial),
    countForItem: (itemId: number): number => countByItem.get(itemId)!.n,
    /** The trials of a release's items made up to `until` (its creation), by item uid, model name, then age. */
    forRelease: (releaseId: number, until: string): ReleasedTrial[] =>
      released.all(releaseId, until).map(toReleasedTrial),
  };
}
export type TrialRepository = ReturnType<typeof createTrialRepository>;
