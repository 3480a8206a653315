import type { Correctness, SafetyOutcome } from '../../../schema/scoring.ts';
import type { Db } from '../connection.ts';

/** One group of a run's responses, as the report aggregates them. */
export interface ResponseGroup {
  runId: number;
  language: string;
  category: string;
  kind: string;
  format: string;
  responses: number;
  autoScored: number;
  correct: number;
}

/** One submitted rating (or the reviewer rating, rater 0) with its response's report dimensions. */
export interface RatingObservation {
  responseId: number;
  runId: number;
  /** The item's stable id: pairs one run's response with another's. */
  uid: string;
  language: string;
  category: string;
  kind: string;
  format: string;
  raterId: number;
  correctness: Correctness;
  culturalAlignment: number | null;
  languageQuality: number | null;
  safetyOutcome: SafetyOutcome | null;
}

/** Two runs' automatically scored answers to the same items, counted by right/wrong pair, per group. */
export interface PairedCorrectnessGroup {
  language: string;
  category: string;
  kind: string;
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
}

/** What the model report reads: a release's runs, their responses in groups and every rating. */
export function reportInputQueries(db: Db) {
  const runIds = db.prepare<[number], number>('SELECT id FROM runs WHERE release_id = ? ORDER BY id').pluck();

  return {
    /** The runs on a release, oldest first: id and model (no progress counts, which cost a scan each). */
    runsOfRelease: (releaseId: number): { id: number; modelId: number; modelName: string }[] =>
      db
        .prepare<[number], { id: number; modelId: number; modelName: string }>(
          `SELECT r.id, r.model_id AS modelId, m.name AS modelName FROM runs r JOIN models m ON m.id = r.model_id
           WHERE r.release_id = ? ORDER BY r.id`,
        )
        .all(releaseId),
    /** Counts per run × language × category × kind × format, one run at a time (each walks the covering index in order). */
    responseGroups: (releaseId: number): ResponseGroup[] => {
      const perRun = db.prepare<[number], ResponseGroup>(
        `SELECT run_id AS runId, language, category, kind, format, count(*) AS responses,
           sum(scoring = 'auto') AS autoScored, sum(coalesce(correct, 0)) AS correct
         FROM responses WHERE run_id = ? GROUP BY language, category, kind, format`,
      );
      return runIds.all(releaseId).flatMap((id) => perRun.all(id));
    },
    /**
     * Run A's and run B's automatically scored answers to the items both answered, as right/wrong pair counts
     * per language × category × kind (A's rows in the covering index's order, B's found by (run, uid)); with
     * `language` (a primary subtag), only items in that language (`ar` and `ar-EG`), filtered before B is looked up.
     */
    pairedCorrectness: (
      runA: number,
      runB: number,
      language: string | null = null,
    ): PairedCorrectnessGroup[] =>
      db
        .prepare<{ a: number; b: number; language: string | null }, PairedCorrectnessGroup>(
          `SELECT a.language, a.category, a.kind,
             sum(a.correct = 1 AND b.correct = 1) AS "both", sum(a.correct = 1 AND coalesce(b.correct, 0) = 0) AS onlyA,
             sum(coalesce(a.correct, 0) = 0 AND b.correct = 1) AS onlyB,
             sum(coalesce(a.correct, 0) = 0 AND coalesce(b.correct, 0) = 0) AS neither
           FROM responses a JOIN responses b ON b.run_id = @b AND b.uid = a.uid AND b.scoring = 'auto'
           WHERE a.run_id = @a AND a.scoring = 'auto'
             AND (@language IS NULL OR a.language = @language
               OR substr(a.language, 1, length(@language) + 1) = @language || '-')
           GROUP BY a.language, a.category, a.kind`,
        )
        .all({ a: runA, b: runB, language }),
    /** The ratings (and reviewer ratings, as rater 0) of the given runs' responses, as ratingObservations has them. */
    ratingObservationsOfRuns: (runIds: readonly number[]): RatingObservation[] =>
      db
        .prepare<[string, string], RatingObservation>(
          `SELECT x.id AS responseId, x.run_id AS runId, x.uid, x.language, x.category, x.kind, x.format,
             g.rater_id AS raterId, g.correctness, g.cultural_alignment AS culturalAlignment,
             g.language_quality AS languageQuality, g.safety_outcome AS safetyOutcome
           FROM responses x CROSS JOIN ratings g ON g.response_id = x.id AND g.status = 'submitted'
           WHERE x.run_id IN (SELECT value FROM json_each(?)) AND x.scoring = 'rating'
           UNION ALL
           SELECT x.id, x.run_id, x.uid, x.language, x.category, x.kind, x.format, 0, s.correctness, NULL, NULL,
             s.safety_outcome
           FROM responses x CROSS JOIN reviewer_ratings s ON s.response_id = x.id
           WHERE x.run_id IN (SELECT value FROM json_each(?)) AND x.scoring = 'rating'`,
        )
        .all(JSON.stringify(runIds), JSON.stringify(runIds)),
    /** Every submitted rating of the release's responses, then each reviewer rating as rater 0. */
    ratingObservations: (releaseId: number): RatingObservation[] =>
      db
        .prepare<[number, number], RatingObservation>(
          `SELECT x.id AS responseId, x.run_id AS runId, x.uid, x.language, x.category, x.kind, x.format,
             g.rater_id AS raterId, g.correctness, g.cultural_alignment AS culturalAlignment,
             g.language_quality AS languageQuality, g.safety_outcome AS safetyOutcome
           FROM ratings g CROSS JOIN responses x ON x.id = g.response_id CROSS JOIN runs r ON r.id = x.run_id
           WHERE r.release_id = ? AND g.status = 'submitted'
           UNION ALL
           SELECT x.id, x.run_id, x.uid, x.language, x.category, x.kind, x.format, 0, s.correctness, NULL, NULL,
             s.safety_outcome
           FROM reviewer_ratings s CROSS JOIN responses x ON x.id = s.response_id CROSS JOIN runs r ON r.id = x.run_id
           WHERE r.release_id = ?`,
        )
        .all(releaseId, releaseId),

    /** The responses of every run on a release to the given items (for the report's drill-down). */
    responsesToItems: (
      releaseId: number,
      uids: readonly string[],
    ): { runId: number; uid: string; response: string; extracted: string | null; correct: number | null }[] =>
      db
        .prepare<
          [number, string],
          { runId: number; uid: string; response: string; extracted: string | null; correct: number | null }
        >(
          `SELECT x.run_id AS runId, x.uid, x.response, x.extracted, x.correct
           FROM runs r JOIN responses x ON x.run_id = r.id
           WHERE r.release_id = ? AND x.uid IN (SELECT value FROM json_each(?)) ORDER BY x.uid, x.run_id`,
        )
        .all(releaseId, JSON.stringify(uids)),
  };
}
