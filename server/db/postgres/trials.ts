import type { Trial, TrialModel } from '../../../schema/trials.ts';
import type { AsyncRepository } from '../async-repository.ts';
import {
  type createTrialRepository,
  type NewTrial,
  type ReleasedTrialRow,
  requiresTrial,
  toReleasedTrial,
  toTrial,
  toTrialModel,
  trialJudge,
  type TrialModelRow,
  type TrialRow,
  type TrialSettingsRow,
} from '../trials.ts';
import type { PgDatabase } from './database.ts';

// SQLite's rows and mappers (server/db/trials.ts), correct selected as 0/1.
const TRIAL_COLUMNS = `t.id, t.item_id, t.item_version, t.model_id, m.name AS model_name, t.user_id,
  u.display_name AS user_name, t.prompt, t.answer, t.reference, t.scoring, t.extracted,
  t.correct::int AS correct, t.safety_outcome, t.created_at`;
const JOINS = 'JOIN models m ON m.id = t.model_id JOIN users u ON u.id = t.user_id';

/** Trials of items on models, the datasets' trial settings, and the summary the item list filters on (PostgreSQL). */
export function createPgTrialRepository(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof createTrialRepository>> {
  const settings = async (datasetId: number) =>
    (
      await db.query<TrialSettingsRow>(
        `SELECT s.require_trial::int AS require_trial, s.judge_id, j.name AS judge_name
         FROM trial_settings s LEFT JOIN judges j ON j.id = s.judge_id WHERE s.dataset_id = $1`,
        [datasetId],
      )
    )[0];

  return {
    requireTrial: async (datasetId) => requiresTrial(await settings(datasetId)),
    judge: async (datasetId) => trialJudge(await settings(datasetId)),
    models: async (datasetId): Promise<TrialModel[]> =>
      (
        await db.query<TrialModelRow>(
          `SELECT tm.model_id, m.name, m.developer, tm.prompt_template
           FROM trial_models tm JOIN models m ON m.id = tm.model_id
           WHERE tm.dataset_id = $1 ORDER BY tm.position`,
          [datasetId],
        )
      ).map(toTrialModel),
    /**
     * Replaces a dataset's settings and model list. The settings row's upsert locks it until commit, so two
     * saves through different instances run one after the other: the list is one save's, never a mix.
     */
    saveSettings: (datasetId, requireTrial, judgeId, models) =>
      db.transaction(async () => {
        await db.execute(
          `INSERT INTO trial_settings (dataset_id, require_trial, judge_id) VALUES ($1, $2, $3)
           ON CONFLICT (dataset_id) DO UPDATE SET require_trial = excluded.require_trial,
             judge_id = excluded.judge_id`,
          [datasetId, requireTrial, judgeId],
        );
        await db.execute('DELETE FROM trial_models WHERE dataset_id = $1', [datasetId]);
        await db.execute(
          `INSERT INTO trial_models (dataset_id, model_id, prompt_template, position)
           SELECT $1::bigint, m.model_id, m.prompt_template, m.position - 1
           FROM unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS m (model_id, prompt_template, position)`,
          [datasetId, models.map((m) => m.modelId), models.map((m) => m.promptTemplate)],
        );
      }),
    /**
     * Stores a trial and keeps the item's summary, in one statement: a trial of a newer revision starts the
     * summary again, one of the same revision adds to it (ON CONFLICT's arithmetic is atomic across instances).
     */
    insert: async (t: NewTrial): Promise<Trial> => {
      const [r] = await db.query<TrialRow>(
        `WITH t AS (
           INSERT INTO item_trials (item_id, item_version, model_id, user_id, prompt, answer, reference, scoring,
             extracted, correct, safety_outcome, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *
         ), summary AS (
           INSERT INTO item_trial_summary AS s (item_id, item_version, scored, correct)
           SELECT item_id, item_version, $13::int, $14::int FROM t
           ON CONFLICT (item_id) DO UPDATE SET
             scored = CASE WHEN excluded.item_version > s.item_version THEN excluded.scored
                           WHEN excluded.item_version = s.item_version THEN s.scored + excluded.scored
                           ELSE s.scored END,
             correct = CASE WHEN excluded.item_version > s.item_version THEN excluded.correct
                            WHEN excluded.item_version = s.item_version THEN s.correct + excluded.correct
                            ELSE s.correct END,
             item_version = greatest(s.item_version, excluded.item_version)
         )
         SELECT ${TRIAL_COLUMNS} FROM t ${JOINS}`,
        [
          t.itemId,
          t.itemVersion,
          t.modelId,
          t.userId,
          t.prompt,
          t.answer,
          t.reference,
          t.scoring,
          t.extracted,
          t.correct,
          t.safetyOutcome,
          t.createdAt,
          t.scoring === 'auto' ? 1 : 0,
          t.correct === true ? 1 : 0,
        ],
      );
      return toTrial(r);
    },
    listForItem: async (itemId) =>
      (
        await db.query<TrialRow>(
          `SELECT ${TRIAL_COLUMNS} FROM item_trials t ${JOINS} WHERE t.item_id = $1 ORDER BY t.id DESC`,
          [itemId],
        )
      ).map(toTrial),
    countForItem: async (itemId) =>
      (await db.query<{ n: number }>('SELECT count(*) AS n FROM item_trials WHERE item_id = $1', [itemId]))[0]
        .n,
    /**
     * The trials of a release's items made up to `until` (its creation), by item uid, then model name (both
     * bytewise), then age: one try-on asks its models at once, so age alone would order them by who answered first.
     */
    forRelease: async (releaseId, until) =>
      (
        await db.query<ReleasedTrialRow>(
          `SELECT ri.uid, t.item_version AS "itemVersion", m.name AS model, t.prompt, t.answer, t.reference,
           t.extracted, t.correct::int AS correct, t.safety_outcome AS "safetyOutcome", t.created_at AS "createdAt"
         FROM release_items ri JOIN items i ON i.uid = ri.uid
         JOIN item_trials t ON t.item_id = i.id JOIN models m ON m.id = t.model_id
         WHERE ri.release_id = $1 AND t.created_at <= $2
         ORDER BY ri.uid COLLATE "C", m.name COLLATE "C", t.id`,
          [releaseId, until],
        )
      ).map(toReleasedTrial),
  };
}
