import type { Validation, ValidationResolution, ValidationSummary } from '../../../../schema/validation.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import type { roundQueries, RoundSummary } from '../../validation/rounds.ts';
import {
  type SummaryRow,
  toValidation,
  toValidationSummary,
  type ValidationViewRow,
} from '../../validation/rows.ts';
import type { PgDatabase } from '../database.ts';
import { TASK_COLUMNS } from './rows.ts';

const VALIDATION_VIEW = `SELECT ${TASK_COLUMNS}, v.grounded, v.correct, v.category, v.category_path, v.quality,
     v.comment, v.submitted_at, u.display_name AS validator_name
   FROM validations v JOIN users u ON u.id = v.validator_id`;

/** The submitted validations of an item's rounds and each round's summary (PostgreSQL). */
export function pgRoundQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof roundQueries>> {
  return {
    async countRound(itemId: number, round: number) {
      const [r] = await db.query<{ submitted: number; total: number }>(
        `SELECT count(*) FILTER (WHERE status = 'submitted') AS submitted, count(*) AS total
         FROM validations WHERE item_id = $1 AND round = $2`,
        [itemId, round],
      );
      return r;
    },
    roundValidations: async (itemId: number, round: number): Promise<Validation[]> =>
      (
        await db.query<ValidationViewRow>(
          `${VALIDATION_VIEW} WHERE v.item_id = $1 AND v.round = $2 AND v.status = 'submitted'
           ORDER BY v.submitted_at, v.id`,
          [itemId, round],
        )
      ).map(toValidation),
    itemValidations: async (itemId: number): Promise<Validation[]> =>
      (
        await db.query<ValidationViewRow>(
          `${VALIDATION_VIEW} WHERE v.item_id = $1 AND v.status = 'submitted' AND NOT v.gold
           ORDER BY v.round DESC, v.submitted_at, v.id`,
          [itemId],
        )
      ).map(toValidation),

    async saveRoundSummary(itemId: number, o: RoundSummary): Promise<void> {
      await db.execute(
        `INSERT INTO item_validation (item_id, round, validations, agreement, unanimous, resolution, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (item_id) DO UPDATE SET round = excluded.round, validations = excluded.validations,
           agreement = excluded.agreement, unanimous = excluded.unanimous, resolution = excluded.resolution,
           updated_at = excluded.updated_at`,
        [itemId, o.round, o.validations, o.agreement, o.unanimous, o.resolution, o.updatedAt],
      );
    },
    async setResolution(itemId: number, resolution: ValidationResolution | null, at: string): Promise<void> {
      await db.execute('UPDATE item_validation SET resolution = $1, updated_at = $2 WHERE item_id = $3', [
        resolution,
        at,
        itemId,
      ]);
    },

    async validationSummary(itemIds: readonly number[]): Promise<ValidationSummary[]> {
      const rows = await db.query<SummaryRow>(
        `SELECT j.item_id, coalesce(s.round, 1) AS round, coalesce(s.validations, 0) AS validations,
           s.agreement, s.unanimous::int AS unanimous, s.resolution
         FROM unnest($1::bigint[]) WITH ORDINALITY AS j (item_id, n) LEFT JOIN item_validation s ON s.item_id = j.item_id
         ORDER BY j.n`,
        [[...itemIds]],
      );
      return rows.map(toValidationSummary);
    },
  };
}
