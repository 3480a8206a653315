import type { AsyncRepository } from '../async-repository.ts';
import type { ScoringRepository } from '../scoring.ts';
import type { PgDatabase } from './database.ts';
import { pgJudgeQueries } from './scoring/judges.ts';
import { pgModelQueries } from './scoring/models.ts';
import { pgRatingQueries } from './scoring/ratings.ts';
import { pgReportInputQueries } from './scoring/report-inputs.ts';
import { pgResponseQueries } from './scoring/responses.ts';
import { pgRunQueries } from './scoring/runs.ts';

/**
 * The scoring repository on PostgreSQL (schema/postgres/022-baseline/70-scoring.sql): the same contract and
 * the same values as SQLite's (server/db/scoring.ts), made of the same parts.
 */
export function createPgScoringRepository(db: PgDatabase): AsyncRepository<ScoringRepository> {
  return {
    ...pgModelQueries(db),
    ...pgRunQueries(db),
    ...pgResponseQueries(db),
    ...pgReportInputQueries(db),
    ...pgRatingQueries(db),
    ...pgJudgeQueries(db),
  };
}
