/**
 * The columns of a validations row (alias `v`) as SQLite's TaskRow has them (server/db/validation/rows.ts): its
 * booleans as 0/1, so that both engines map rows with the same toTask / toValidation.
 */
export const TASK_COLUMNS = `v.id, v.item_id, v.round, v.validator_id, v.gold::int AS gold, v.item_version, v.status,
  v.leased_at, v.expires_at, v.own_answer, v.own_answer_matches::int AS own_answer_matches`;
