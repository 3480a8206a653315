import type {
  CategoryVerdict,
  OwnAnswer,
  Validation,
  ValidationResolution,
  ValidationSummary,
  Verdict,
} from '../../../schema/validation.ts';
import type { TaskRecord } from './tasks.ts';

// The validation group's rows and their mapping, the same on both engines: PostgreSQL selects its booleans as
// SQLite's 0/1 (server/db/postgres/validation/rows.ts) and maps them through here.

/** A row of the validations table: a validation task (leased, then submitted as a validation). */
export interface TaskRow {
  id: number;
  item_id: number;
  round: number;
  validator_id: number;
  gold: number;
  item_version: number;
  status: 'leased' | 'submitted';
  leased_at: string;
  expires_at: string;
  own_answer: string | null;
  own_answer_matches: number | null;
}

/** SQLite's 0/1 (or NULL) as a boolean. */
export const bool = (n: number | null): boolean | null => (n === null ? null : n === 1);

const ownAnswerOf = (text: string | null): OwnAnswer | null =>
  text === null ? null : (JSON.parse(text) as OwnAnswer);

export const toTask = (r: TaskRow): TaskRecord => ({
  id: r.id,
  itemId: r.item_id,
  round: r.round,
  validatorId: r.validator_id,
  gold: r.gold === 1,
  itemVersion: r.item_version,
  status: r.status,
  leasedAt: r.leased_at,
  expiresAt: r.expires_at,
  ownAnswer: ownAnswerOf(r.own_answer),
  ownAnswerMatches: bool(r.own_answer_matches),
});

/** A submitted validation's row, with its validator's name. */
export interface ValidationViewRow extends TaskRow {
  validator_name: string;
  grounded: Verdict;
  correct: Verdict;
  category: CategoryVerdict;
  category_path: string | null;
  quality: number;
  comment: string | null;
  submitted_at: string;
}

export const toValidation = (r: ValidationViewRow): Validation => ({
  id: r.id,
  itemId: r.item_id,
  round: r.round,
  itemVersion: r.item_version,
  validatorId: r.validator_id,
  validatorName: r.validator_name,
  grounded: r.grounded,
  correct: r.correct,
  category: r.category,
  categoryPath: r.category_path,
  quality: r.quality,
  comment: r.comment,
  ownAnswer: ownAnswerOf(r.own_answer),
  ownAnswerMatches: bool(r.own_answer_matches),
  leasedAt: r.leased_at,
  submittedAt: r.submitted_at,
});

/** An item's current round as validationSummary reads it (round 1 and no validations when it has none yet). */
export interface SummaryRow {
  item_id: number;
  round: number;
  validations: number;
  agreement: number | null;
  unanimous: number | null;
  resolution: ValidationResolution | null;
}

export const toValidationSummary = (r: SummaryRow): ValidationSummary => ({
  itemId: r.item_id,
  round: r.round,
  validations: r.validations,
  agreement: r.agreement,
  unanimous: bool(r.unanimous),
  resolution: r.resolution,
});
