import type { AsyncRepository } from '../async-repository.ts';
import type { createValidationRepository } from '../validations.ts';
import type { PgDatabase } from './database.ts';
import { pgAgreementInputQueries } from './validation/agreement-inputs.ts';
import { pgDecisionQueries } from './validation/decisions.ts';
import { pgGoldQueries } from './validation/gold.ts';
import { pgRoundQueries } from './validation/rounds.ts';
import { pgSettingsQueries } from './validation/settings.ts';
import { pgTaskQueries } from './validation/tasks.ts';

/**
 * The validation repository on PostgreSQL (tables of schema/postgres/022-baseline/60-validations.sql): the
 * same contract and results as server/db/validations.ts, made of the parts in validation/. Safe with several
 * app instances on one database: validation/tasks.ts says how tasks are assigned.
 */
export function createPgValidationRepository(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof createValidationRepository>> {
  return {
    ...pgSettingsQueries(db),
    ...pgTaskQueries(db),
    ...pgRoundQueries(db),
    ...pgDecisionQueries(db),
    ...pgGoldQueries(db),
    ...pgAgreementInputQueries(db),
  };
}
