import type { Db } from './connection.ts';
import { judgeQueries } from './scoring/judges.ts';
import { modelQueries } from './scoring/models.ts';
import { ratingQueries } from './scoring/ratings.ts';
import { reportInputQueries } from './scoring/report-inputs.ts';
import { responseQueries } from './scoring/responses.ts';
import { runQueries } from './scoring/runs.ts';

export {
  type JudgedResponse,
  type JudgeFields,
  type JudgeRunCounts,
  type JudgmentFields,
  type ResponseToJudge,
} from './scoring/judges.ts';
export { type ModelFields } from './scoring/models.ts';
export { type RatingContext, type RatingTaskRecord } from './scoring/ratings.ts';
export { type RatingObservation, type ResponseGroup } from './scoring/report-inputs.ts';
export { type NewResponse } from './scoring/responses.ts';
export { type CollectionCounts } from './scoring/runs.ts';

/**
 * Models, runs and their collections, responses, the model report's inputs, rating campaigns and ratings: one
 * repository made of the parts in scoring/, each holding its own statements.
 */
export function createScoringRepository(db: Db) {
  return {
    ...modelQueries(db),
    ...runQueries(db),
    ...responseQueries(db),
    ...reportInputQueries(db),
    ...ratingQueries(db),
    ...judgeQueries(db),
  };
}
export type ScoringRepository = ReturnType<typeof createScoringRepository>;
