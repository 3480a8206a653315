import { editableStatuses } from '../../../schema/item.ts';
import type { SqlValue } from './columns.ts';

/**
 * Who is looking. `null` sees everything (maintainers); otherwise only items in `languages`, and of
 * the author-private statuses (draft, needs_revision) only the viewer's own.
 */
export type ItemScope = { userId: number; languages: readonly string[] } | null;

/**
 * Whose answers are withheld from the viewer (`null`: nobody's, for maintainers). The rule itself is
 * ANSWERS_WITHHELD, the one implementation behind both the item view and the search.
 */
export type AnswerScope = { userId: number } | null;

/** Statuses only the author sees (besides maintainers). */
const PRIVATE_STATUSES = `(${editableStatuses.map((s) => `'${s}'`).join(', ')})`;

/**
 * Whether the answers of item `i` are withheld from user @answerUser. Validators answer before they
 * see the reference (docs/product.md, Items and their lifecycle): while an item is out for validation, and for gold items always, its
 * answers are hidden from everyone but its author, maintainers (no AnswerScope) and those who have
 * already validated it (a submitted, non-gold validation). The only copy of this rule.
 * The unary `+` keeps the validator's own index (validator_id, status) out of the lookup: an item has a
 * handful of validations, a busy validator tens of thousands.
 */
export const ANSWERS_WITHHELD = `(i.author_id <> @answerUser
  AND (i.status IN ('submitted', 'in_validation') OR EXISTS (SELECT 1 FROM gold_items g WHERE g.item_id = i.id))
  AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND +v.validator_id = @answerUser
                  AND +v.status = 'submitted' AND v.gold = 0))`;

/**
 * Holds for an item (alias `i`) that readers may see: not created by an import whose rows are still hidden
 * (migration 016: written in slices, made visible by one final transaction, or deleted if it failed). The
 * list adds it only while such an import exists, so that its counts stay index-only otherwise.
 */
export const VISIBLE =
  '(i.import_id IS NULL OR i.import_id NOT IN (SELECT id FROM imports WHERE rows_hidden = 1))';

/** Adds the conditions that keep a list to what `scope` may see (alias `i`). */
export function scopeConditions(scope: ItemScope, conds: string[], params: Record<string, SqlValue>) {
  if (scope === null) return;
  if (scope.languages.length === 0) {
    conds.push('0');
    return;
  }
  const names = scope.languages.map((l, n) => {
    params[`scopeLanguage${n}`] = l;
    return `@scopeLanguage${n}`;
  });
  conds.push(`i.language IN (${names.join(', ')})`);
  conds.push(`(i.status NOT IN ${PRIVATE_STATUSES} OR i.author_id = @scopeUser)`);
  params.scopeUser = scope.userId;
}
