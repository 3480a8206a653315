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
