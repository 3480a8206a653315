import type { Validation, ValidationResolution, ValidationSummary } from '../../../schema/validation.ts';
import type { Db } from '../connection.ts';
import { type SummaryRow, toValidation, toValidationSummary, type ValidationViewRow } from './rows.ts';

/** The figures of an item's round once it has its validations (what ValidationSummary reports). */
export interface RoundSummary {
  round: number;
  validations: number;
  agreement: number | null;
  unanimous: boolean | null;
  resolution: ValidationResolution | null;
  updatedAt: string;
}

/** The submitted validations of an item's rounds and each round's summary (agreement, resolution). */
export function roundQueries(db: Db) {
  const VALIDATION_VIEW = `SELECT v.*, u.display_name AS validator_name FROM validations v
     JOIN users u ON u.id = v.validator_id`;
  const roundValidations = db.prepare<[number, number], ValidationViewRow>(
    `${VALIDATION_VIEW} WHERE v.item_id = ? AND v.round = ? AND v.status = 'submitted' ORDER BY v.submitted_at, v.id`,
  );
  const allValidations = db.prepare<[number], ValidationViewRow>(
    `${VALIDATION_VIEW} WHERE v.item_id = ? AND v.status = 'submitted' AND v.gold = 0
     ORDER BY v.round DESC, v.submitted_at, v.id`,
  );
  const countRound = db.prepare<[number, number], { submitted: number; total: number }>(
    `SELECT count(*) FILTER (WHERE status = 'submitted') AS submitted, count(*) AS total
     FROM validations WHERE item_id = ? AND round = ?`,
  );
  const upsertSummary = db.prepare(
    `INSERT INTO item_validation (item_id, round, validations, agreement, unanimous, resolution, updated_at)
     VALUES (@itemId, @round, @validations, @agreement, @unanimous, @resolution, @updatedAt)
     ON CONFLICT (item_id) DO UPDATE SET round = excluded.round, validations = excluded.validations,
       agreement = excluded.agreement, unanimous = excluded.unanimous, resolution = excluded.resolution,
       updated_at = excluded.updated_at`,
  );
  const setResolution = db.prepare<[string | null, string, number]>(
    'UPDATE item_validation SET resolution = ?, updated_at = ? WHERE item_id = ?',
  );
  const summaryOf = db.prepare<[string], SummaryRow>(
    `SELECT j.value AS item_id, coalesce(s.round, 1) AS round, coalesce(s.validations, 0) AS validations,
       s.agreement, s.unanimous, s.resolution
     FROM json_each(?) j LEFT JOIN item_validation s ON s.item_id = j.value`,
  );

  return {
    countRound: (itemId: number, round: number) => countRound.get(itemId, round)!,
    roundValidations: (itemId: number, round: number): Validation[] =>
      roundValidations.all(itemId, round).map(toValidation),
    /** Every submitted ordinary validation of an item, newest round first. */
    itemValidations: (itemId: number): Validation[] => allValidations.all(itemId).map(toValidation),

    saveRoundSummary: (itemId: number, o: RoundSummary): void =>
      void upsertSummary.run({ itemId, ...o, unanimous: o.unanimous === null ? null : o.unanimous ? 1 : 0 }),
    setResolution: (itemId: number, resolution: ValidationResolution | null, at: string): void =>
      void setResolution.run(resolution, at, itemId),

    /** Validation count, agreement and resolution of each item's current round, in the order asked. */
    validationSummary(itemIds: readonly number[]): ValidationSummary[] {
      return summaryOf.all(JSON.stringify(itemIds)).map(toValidationSummary);
    },
  };
}
