import type { AsyncRepository } from '../../async-repository.ts';
import type {
  PairedCorrectnessGroup,
  RatingObservation,
  ResponseGroup,
  reportInputQueries,
} from '../../scoring/report-inputs.ts';
import type { PgDatabase } from '../database.ts';

const OBSERVATION = `x.id AS "responseId", x.run_id AS "runId", x.uid, x.language, x.category, x.kind, x.format`;
const RATING = `g.rater_id AS "raterId", g.correctness, g.cultural_alignment AS "culturalAlignment",
  g.language_quality AS "languageQuality", g.safety_outcome AS "safetyOutcome"`;
const REVIEWER_RATING = `0 AS "raterId", s.correctness, NULL::integer AS "culturalAlignment",
  NULL::integer AS "languageQuality", s.safety_outcome AS "safetyOutcome"`;

/** A row with the sort keys the statement ordered it by (`part`, `k1`, `k2`), which the caller does not see. */
type Sorted<T> = T & { part: number; k1: unknown; k2: unknown };
const observations = (rows: Sorted<RatingObservation>[]): RatingObservation[] =>
  rows.map((r) => ({
    responseId: r.responseId,
    runId: r.runId,
    uid: r.uid,
    language: r.language,
    category: r.category,
    kind: r.kind,
    format: r.format,
    raterId: r.raterId,
    correctness: r.correctness,
    culturalAlignment: r.culturalAlignment,
    languageQuality: r.languageQuality,
    safetyOutcome: r.safetyOutcome,
  }));

/**
 * What the model report reads. Every list comes in the order SQLite's plan gives it (the text columns are
 * COLLATE "C", bytewise like SQLite's): the report's bootstrap resamples values in the order they come, so
 * the same data must give the same intervals on both engines.
 */
export function pgReportInputQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof reportInputQueries>> {
  return {
    /** The runs on a release, oldest first: id and model. */
    runsOfRelease: (releaseId: number) =>
      db.query<{ id: number; modelId: number; modelName: string }>(
        `SELECT r.id, r.model_id AS "modelId", m.name AS "modelName" FROM runs r JOIN models m ON m.id = r.model_id
         WHERE r.release_id = $1 ORDER BY r.id`,
        [releaseId],
      ),
    /** Counts per run × language × category × kind × format (runs by id, then groups in bytewise order). */
    responseGroups: (releaseId: number) =>
      db.query<ResponseGroup>(
        `SELECT x.run_id AS "runId", x.language, x.category, x.kind, x.format, count(*) AS responses,
           count(*) FILTER (WHERE x.scoring = 'auto') AS "autoScored", count(*) FILTER (WHERE x.correct) AS correct
         FROM runs r JOIN responses x ON x.run_id = r.id WHERE r.release_id = $1
         GROUP BY x.run_id, x.language, x.category, x.kind, x.format
         ORDER BY x.run_id, x.language, x.category, x.kind, x.format`,
        [releaseId],
      ),
    /**
     * Run A's and run B's automatically scored answers to the items both answered, as right/wrong pair counts
     * per language × category × kind; with `language` (a primary subtag), only items in that language
     * (`ar` and `ar-EG`).
     */
    pairedCorrectness: (runA: number, runB: number, language: string | null = null) =>
      db.query<PairedCorrectnessGroup>(
        `SELECT a.language, a.category, a.kind,
           count(*) FILTER (WHERE a.correct AND b.correct) AS "both",
           count(*) FILTER (WHERE a.correct AND b.correct IS NOT TRUE) AS "onlyA",
           count(*) FILTER (WHERE a.correct IS NOT TRUE AND b.correct) AS "onlyB",
           count(*) FILTER (WHERE a.correct IS NOT TRUE AND b.correct IS NOT TRUE) AS neither
         FROM responses a JOIN responses b ON b.run_id = $2 AND b.uid = a.uid AND b.scoring = 'auto'
         WHERE a.run_id = $1 AND a.scoring = 'auto'
           AND ($3::text IS NULL OR a.language = $3 OR starts_with(a.language, $3 || '-'))
         GROUP BY a.language, a.category, a.kind
         ORDER BY a.language, a.category, a.kind`,
        [runA, runB, language],
      ),
    /**
     * The ratings (and reviewer ratings, as rater 0) of the given runs' responses: ratings by run, item id and
     * rating, then reviewer ratings by run and item id.
     */
    ratingObservationsOfRuns: async (runIds: readonly number[]) =>
      observations(
        await db.query<Sorted<RatingObservation>>(
          `SELECT 0 AS part, x.run_id AS k1, x.uid AS k2, g.id AS k3, ${OBSERVATION}, ${RATING}
           FROM responses x JOIN ratings g ON g.response_id = x.id AND g.status = 'submitted'
           WHERE x.run_id = ANY ($1::bigint[]) AND x.scoring = 'rating'
           UNION ALL
           SELECT 1, x.run_id, x.uid, 0, ${OBSERVATION}, ${REVIEWER_RATING}
           FROM responses x JOIN reviewer_ratings s ON s.response_id = x.id
           WHERE x.run_id = ANY ($1::bigint[]) AND x.scoring = 'rating'
           ORDER BY part, k1, k2, k3`,
          [runIds],
        ),
      ),
    /** Every submitted rating of the release's responses (by rating), then each reviewer rating as rater 0 (by response). */
    ratingObservations: async (releaseId: number) =>
      observations(
        await db.query<Sorted<RatingObservation>>(
          `SELECT 0 AS part, g.id AS k1, 0 AS k2, ${OBSERVATION}, ${RATING}
           FROM ratings g JOIN responses x ON x.id = g.response_id JOIN runs r ON r.id = x.run_id
           WHERE r.release_id = $1 AND g.status = 'submitted'
           UNION ALL
           SELECT 1, s.response_id, 0, ${OBSERVATION}, ${REVIEWER_RATING}
           FROM reviewer_ratings s JOIN responses x ON x.id = s.response_id JOIN runs r ON r.id = x.run_id
           WHERE r.release_id = $1
           ORDER BY part, k1`,
          [releaseId],
        ),
      ),

    /** The responses of every run on a release to the given items (for the report's drill-down); `correct` 1/0. */
    responsesToItems: (releaseId: number, uids: readonly string[]) =>
      db.query<{
        runId: number;
        uid: string;
        response: string;
        extracted: string | null;
        correct: number | null;
      }>(
        `SELECT x.run_id AS "runId", x.uid, x.response, x.extracted, x.correct::integer AS correct
         FROM runs r JOIN responses x ON x.run_id = r.id
         WHERE r.release_id = $1 AND x.uid = ANY ($2::text[]) ORDER BY x.uid, x.run_id`,
        [releaseId, uids],
      ),
  };
}
