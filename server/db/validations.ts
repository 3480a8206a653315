import type { Db } from './connection.ts';
import { agreementInputQueries } from './validation/agreement-inputs.ts';
import { decisionQueries } from './validation/decisions.ts';
import { goldQueries } from './validation/gold.ts';
import { taskQueries } from './validation/tasks.ts';
import { roundQueries } from './validation/rounds.ts';
import { settingsQueries } from './validation/settings.ts';

export {
  RATING_FIELDS,
  type AgreementItemTuple,
  type GoldResultTuple,
  type RatingList,
} from './validation/agreement-inputs.ts';
export { type ReviewQueueFilter } from './validation/decisions.ts';
export { GOLD_ROUND } from './validation/gold.ts';
export { type Candidate, type NewTask, type TaskRecord } from './validation/tasks.ts';
export { type RoundSummary } from './validation/rounds.ts';

/**
 * Validation settings, leases, rounds and their outcomes, reviewers' decisions, gold items and the inputs of the
 * agreement report: one repository made of the parts in validation/, each holding its own statements.
 */
export function createValidationRepository(db: Db) {
  return {
    ...settingsQueries(db),
    ...taskQueries(db),
    ...roundQueries(db),
    ...decisionQueries(db),
    ...goldQueries(db),
    ...agreementInputQueries(db),
  };
}
export type ValidationRepository = ReturnType<typeof createValidationRepository>;
