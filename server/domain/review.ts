import type { Item, ItemStatus, UpdateItemInput } from '../../schema/item.ts';
import type { User } from '../../schema/user.ts';
import type {
  ReviewView,
  AnswerCounts,
  DecisionInput,
  ReviewDecision,
  ReviewQueuePage,
  ReviewQueueQuery,
  Validation,
} from '../../schema/validation.ts';
import type { Repositories } from '../db/repositories.ts';
import { canUseLanguage } from './auth.ts';
import { AppError, conflict, forbidden, notFound } from '../errors.ts';
import { createItemService } from './items.ts';
import { normalizeAnswer } from '../text-normalize.ts';

const isReviewer = (user: User) => user.role === 'reviewer' || user.role === 'maintainer';

/** While a round is still open its validations stay hidden from everyone: validators work blind. */
const VALIDATING: readonly ItemStatus[] = ['draft', 'submitted', 'in_validation'];

const STATUS_OF = { accept: 'accepted', reject: 'rejected', needs_revision: 'needs_revision' } as const;

function answerCounts(validations: readonly Validation[]): AnswerCounts {
  const counts: AnswerCounts = { grounded: {}, correct: {}, category: {} };
  for (const v of validations) {
    counts.grounded[v.grounded] = (counts.grounded[v.grounded] ?? 0) + 1;
    counts.correct[v.correct] = (counts.correct[v.correct] ?? 0) + 1;
    const c = v.category === 'keep' ? 'keep' : `other:${v.categoryPath}`;
    counts.category[c] = (counts.category[c] ?? 0) + 1;
  }
  return counts;
}

/**
 * Free-text agreement between validators: the share of pairs whose own answers share at least one
 * normalised variant (docs/agreement.md). Options and true/false compare directly.
 */
export function ownAnswerAgreement(
  item: Pick<Item, 'language'>,
  validations: readonly Validation[],
): number | null {
  const answers = validations
    .map((v) => v.ownAnswer)
    .filter((a) => a !== null)
    .map((a) =>
      'variants' in a
        ? new Set(a.variants.map((x) => normalizeAnswer(x, item.language)).filter((x) => x !== ''))
        : new Set(['choice' in a ? `#${a.choice}` : String(a.value)]),
    );
  if (answers.length < 2) return null;
  let pairs = 0;
  let agreeing = 0;
  for (let i = 0; i < answers.length; i++) {
    for (let j = i + 1; j < answers.length; j++) {
      pairs++;
      if ([...answers[i]].some((x) => answers[j].has(x))) agreeing++;
    }
  }
  return agreeing / pairs;
}

/**
 * A draft has never been submitted: to anyone but its author (and maintainers, who see everything)
 * it does not exist, so it answers the same 404 as an unknown id, without its status.
 */
const hiddenDraft = (user: User, item: Item) =>
  item.status === 'draft' && item.authorId !== user.id && user.role !== 'maintainer';

/** Review: the queue, the side-by-side view, edits in place and decisions. */
export function createReviewService(repos: Repositories) {
  const items = createItemService(repos);
  const now = () => new Date().toISOString();

  /**
   * The item, if `user` may review it: reviewer or maintainer, in their languages, and no conflict of
   * interest — not its author, not one of its validators (any round). Such an item waits for another reviewer
   * or a maintainer.
   */
  async function reviewable(user: User, id: number): Promise<Item> {
    if (!isReviewer(user)) throw forbidden('Requires role reviewer or maintainer');
    const item = await repos.items.get(id);
    if (!item || !canUseLanguage(user, item.language) || hiddenDraft(user, item)) throw notFound('Item');
    if (item.authorId === user.id)
      throw new AppError(403, 'conflict-of-interest', 'You cannot review your own item', {
        reason: 'author',
      });
    if (await repos.validations.conflicted(id, user.id))
      throw new AppError(
        403,
        'conflict-of-interest',
        'You validated this item, so another reviewer or a maintainer decides it',
        { reason: 'validator' },
      );
    return item;
  }

  return {
    async queue(user: User, query: ReviewQueueQuery): Promise<ReviewQueuePage> {
      if (!isReviewer(user)) throw forbidden('Requires role reviewer or maintainer');
      const languages = user.role === 'maintainer' ? null : user.languages;
      const {
        items: entries,
        total,
        all,
      } = await repos.validations.reviewQueue({
        languages,
        caller: user.id,
        dataset: query.dataset,
        language: query.language,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      const reason =
        total > 0
          ? null
          : languages?.length === 0
            ? 'no-languages'
            : all === 0
              ? 'nothing-waiting'
              : 'only-own';
      return {
        items: entries,
        total,
        page: query.page,
        pageSize: query.pageSize,
        progress: { left: total, total: all, reason, allLanguages: languages === null },
      };
    },

    async view(user: User, id: number): Promise<ReviewView> {
      const item = await reviewable(user, id);
      if (VALIDATING.includes(item.status))
        throw conflict('validation-in-progress', 'Validations are shown once the item has all of them', {
          status: item.status,
        });
      const [summary] = await repos.validations.validationSummary([id]);
      const validations = await repos.validations.itemValidations(id);
      const current = validations.filter((v) => v.round === summary.round);
      return {
        item,
        revisions: await repos.items.listRevisions(id),
        summary,
        counts: answerCounts(current),
        ownAnswerAgreement: ownAnswerAgreement(item, current),
        validations,
        decisions: await repos.validations.decisions(id),
        canDecide: item.status === 'in_review',
      };
    },

    /**
     * Edits in place as a revision. Editing an accepted item sends it back through validation
     * (a new round), since what was validated is no longer what would be released.
     */
    edit(user: User, id: number, input: UpdateItemInput): Promise<Item> {
      return repos.transaction(async () => {
        const item = await reviewable(user, id);
        if (item.status !== 'in_review' && item.status !== 'accepted')
          throw conflict(
            'not-editable',
            `The item is ${item.status.replace('_', ' ')} and cannot be edited now`,
            {
              status: item.status,
            },
          );
        const edited = await items.reviseAsReviewer(user, id, input);
        if (item.status === 'accepted' && edited.version !== item.version)
          return await items.transition(user, edited, 'submitted');
        return edited;
      });
    },

    decide(user: User, id: number, input: DecisionInput): Promise<Item> {
      return repos.transaction(async () => {
        const item = await reviewable(user, id);
        if (item.status !== 'in_review')
          throw conflict('not-in-review', 'Only items in review can be decided', { status: item.status });
        if (input.version !== item.version)
          throw conflict('stale-version', 'The item changed after you loaded it; reload and decide again', {
            current: item,
          });
        const next = await items.transition(user, item, STATUS_OF[input.decision]);
        const at = now();
        const round = await repos.validations.roundOf(id);
        await repos.validations.insertDecision({
          itemId: id,
          round,
          itemVersion: next.version,
          reviewerId: user.id,
          decision: input.decision,
          message: input.message?.trim() ? input.message : null,
          createdAt: at,
        });
        await repos.validations.setResolution(
          id,
          input.decision === 'needs_revision' ? null : 'adjudicated',
          at,
        );
        return next;
      });
    },

    /** The decisions on an item, for its author and for whoever may review it. */
    async decisions(user: User, id: number): Promise<ReviewDecision[]> {
      const item = await repos.items.get(id);
      if (!item) throw notFound('Item');
      const mayReview =
        user.role === 'maintainer' ||
        (isReviewer(user) && canUseLanguage(user, item.language) && !hiddenDraft(user, item));
      if (item.authorId !== user.id && !mayReview) throw notFound('Item');
      return await repos.validations.decisions(id);
    },
  };
}
export type ReviewService = ReturnType<typeof createReviewService>;
