import { editableStatuses, itemFieldNames } from '../../../../schema/item.ts';
import { COLUMN, JSON_FIELDS } from '../../items/columns.ts';
import type { ItemScope } from '../../items/visibility.ts';

/** Numbered parameters ($1, $2 …) collected as a statement is built. */
export class Params {
  readonly values: unknown[] = [];
  /** The placeholder of `value` (a new one per call). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The columns of an item row in the shape the SQLite repository reads them (server/db/items/columns.ts
 * ItemRow), so that the same toItem maps both: JSON columns as their exact text, the boolean as 0/1.
 */
export const ITEM_COLUMNS = [
  'i.id',
  'i.uid',
  'i.dataset_id',
  'i.external_id',
  'i.status',
  'i.author_id',
  'i.version',
  'i.created_at',
  'i.updated_at',
  'i.submitted_at',
  'i.split',
  ...itemFieldNames.map((f) => {
    const column = COLUMN[f];
    if (JSON_FIELDS.has(f)) return `i.${column}::text AS ${column}`;
    if (f === 'trueFalseAnswer') return `i.${column}::int AS ${column}`;
    return `i.${column}`;
  }),
  'u.display_name AS author_name',
].join(', ');

/** Holds for an item (alias `i`) that readers may see: not created by an import whose rows are still hidden. */
export const VISIBLE =
  '(i.import_id IS NULL OR i.import_id NOT IN (SELECT id FROM imports WHERE rows_hidden))';

/**
 * Whether the answers of item `i` are withheld from the user `user` names (a placeholder): the rule of
 * server/db/items/visibility.ts ANSWERS_WITHHELD, in PostgreSQL's words.
 */
export const answersWithheld = (user: string) => `(i.author_id <> ${user}
  AND (i.status IN ('submitted', 'in_validation') OR EXISTS (SELECT 1 FROM gold_items g WHERE g.item_id = i.id))
  AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND v.validator_id = ${user}
                  AND v.status = 'submitted' AND NOT v.gold))`;

/** Statuses only the author sees (besides maintainers). */
const PRIVATE_STATUSES = `(${editableStatuses.map((s) => `'${s}'`).join(', ')})`;

/** Adds the conditions that keep a list to what `scope` may see (alias `i`). */
export function scopeConditions(scope: ItemScope, conds: string[], params: Params) {
  if (scope === null) return;
  if (scope.languages.length === 0) {
    conds.push('false');
    return;
  }
  conds.push(`i.language = ANY(${params.add(scope.languages)}::text[])`);
  conds.push(`(i.status NOT IN ${PRIVATE_STATUSES} OR i.author_id = ${params.add(scope.userId)})`);
}
