// Who sees an item, and what of it: the rules in TypeScript for one item, and as scopes the repository turns into SQL.
import { editableStatuses, type Item } from '../../../schema/item.ts';
import type { User } from '../../../schema/user.ts';
import type { AnswerScope, ItemScope } from '../../db/items.ts';
import { canUseLanguage } from '../auth.ts';

/** Maintainers see everything; others only their languages, and drafts/needs_revision only if theirs. */
export function canSeeItem(user: User, item: Pick<Item, 'language' | 'status' | 'authorId'>): boolean {
  if (user.role === 'maintainer') return true;
  if (!canUseLanguage(user, item.language)) return false;
  return !editableStatuses.includes(item.status) || item.authorId === user.id;
}

/** The same rule as canSeeItem, as a filter the repository turns into SQL. */
export const itemScope = (user: User): ItemScope =>
  user.role === 'maintainer' ? null : { userId: user.id, languages: user.languages };

/**
 * Validators answer before they see the reference (docs/product.md, Items and their lifecycle), so while an item is out for
 * validation, and for gold items always, its answers are withheld from everyone but its author,
 * maintainers and those who have already validated it. Maintainers have no AnswerScope; the rest of
 * the rule is one SQL predicate (ANSWERS_WITHHELD in server/db/items/visibility.ts), shared by the item view
 * and the search.
 */
export const answerScope = (user: User): AnswerScope =>
  user.role === 'maintainer' ? null : { userId: user.id };

/** The item without what a validator must not see before answering. */
export const redactAnswers = (item: Item): Item => ({
  ...item,
  referenceAnswer: null,
  answerEn: null,
  acceptedAnswers: [],
  correctIndex: null,
  trueFalseAnswer: null,
  rationale: null,
  answersHidden: true,
});
