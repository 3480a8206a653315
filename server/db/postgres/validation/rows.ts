import type { OwnAnswer } from '../../../../schema/validation.ts';
import type { TaskRecord } from '../../validation/tasks.ts';

/** A row of the validations table as PostgreSQL gives it: booleans, ISO times, the own answer as its JSON text. */
export interface PgTaskRow {
  id: number;
  item_id: number;
  round: number;
  validator_id: number;
  gold: boolean;
  item_version: number;
  status: 'leased' | 'submitted';
  leased_at: string;
  expires_at: string;
  own_answer: string | null;
  own_answer_matches: boolean | null;
}

/** The columns of a PgTaskRow (alias `v`). */
export const TASK_COLUMNS = `v.id, v.item_id, v.round, v.validator_id, v.gold, v.item_version, v.status, v.leased_at,
  v.expires_at, v.own_answer, v.own_answer_matches`;

export const ownAnswerOf = (text: string | null): OwnAnswer | null =>
  text === null ? null : (JSON.parse(text) as OwnAnswer);

export const toTask = (r: PgTaskRow): TaskRecord => ({
  id: r.id,
  itemId: r.item_id,
  round: r.round,
  validatorId: r.validator_id,
  gold: r.gold,
  itemVersion: r.item_version,
  status: r.status,
  leasedAt: r.leased_at,
  expiresAt: r.expires_at,
  ownAnswer: ownAnswerOf(r.own_answer),
  ownAnswerMatches: r.own_answer_matches,
});
