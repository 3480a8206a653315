import type { Item } from '../../schema/item.ts';
import type { User } from '../../schema/user.ts';
import {
  ownAnswerRequiredFor,
  type GoldInput,
  type GoldItem,
  type MyValidationStats,
  type OwnAnswer,
  type ValidationTask,
  type UpdateValidationSettings,
  type Validation,
  type ValidationInput,
  type ValidationSettings,
} from '../../schema/validation.ts';
import type { Repositories } from '../db/repositories.ts';
import { GOLD_ROUND, type TaskRecord } from '../db/validations.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import { percentAgreement } from './agreement.ts';
import { createItemService } from './items.ts';
import { matchesAnyVariant } from '../text-normalize.ts';

export interface ValidationOptions {
  /** The clock (tests move it instead of sleeping). */
  now?: () => Date;
  /** Draws in [0, 1) deciding whether a task is a gold check. */
  random?: () => number;
}

const invalid = (path: string, code: string, message: string) =>
  new AppError(400, 'invalid-input', 'Invalid body', { issues: [{ path, code, message }] });

const taskGone = () => notFound('Task');

/** Whether the own answer agrees with the item's reference after normalisation; null if nothing to compare. */
export function ownAnswerMatches(item: Item, answer: OwnAnswer): boolean | null {
  if ('variants' in answer) {
    const reference =
      item.format === 'short_answer'
        ? item.acceptedAnswers
        : item.referenceAnswer
          ? [item.referenceAnswer]
          : [];
    if (reference.length === 0) return null;
    return answer.variants.some((v) => matchesAnyVariant(v, reference, item.language));
  }
  if ('choice' in answer) return item.correctIndex === null ? null : answer.choice === item.correctIndex;
  return item.trueFalseAnswer === null ? null : answer.value === item.trueFalseAnswer;
}

/** The own answer must have the item's shape: variants for text formats, an option, or true/false. */
function checkOwnAnswerShape(item: Item, answer: OwnAnswer): void {
  const text = item.format === 'short_answer' || item.format === 'open_ended';
  if (text && !('variants' in answer))
    throw invalid('ownAnswer', 'wrong-shape', 'Write your answer (variants) for this item');
  if (item.format === 'multiple_choice') {
    if (!('choice' in answer)) throw invalid('ownAnswer', 'wrong-shape', 'Choose an option');
    if (answer.choice >= item.options.length)
      throw invalid('ownAnswer.choice', 'no-such-option', `The item has ${item.options.length} options`);
  }
  if (item.format === 'true_false' && !('value' in answer))
    throw invalid('ownAnswer', 'wrong-shape', 'Say whether the statement is true');
}

/** Mean percent agreement over the three categorical questions of one round; null below two validations. */
export function roundAgreement(
  validations: readonly Pick<Validation, 'grounded' | 'correct' | 'category' | 'categoryPath'>[],
) {
  if (validations.length < 2) return null;
  const codes = [
    validations.map((v) => v.grounded),
    validations.map((v) => v.correct),
    validations.map((v) => (v.category === 'keep' ? 'keep' : `other:${v.categoryPath}`)),
  ];
  const shares = codes.map((row) => percentAgreement([row]).agreement ?? 0);
  return shares.reduce((a, b) => a + b, 0) / shares.length;
}

export const isUnanimousAccept = (
  validations: readonly Pick<Validation, 'grounded' | 'correct' | 'category'>[],
) =>
  validations.length > 0 &&
  validations.every((v) => v.grounded === 'yes' && v.correct === 'yes' && v.category === 'keep');

/**
 * Validation work: leasing tasks ("next task"), the two-step blind form, completing a round and
 * routing the item (auto-accept or review), gold items and per-dataset settings.
 */
export function createValidationService(repos: Repositories, options: ValidationOptions = {}) {
  const items = createItemService(repos);
  const clock = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;

  function toTask(task: TaskRecord, item: Item): ValidationTask {
    const ownAnswerRequired = ownAnswerRequiredFor(item.kind);
    const revealed = task.status === 'submitted' || !ownAnswerRequired || task.ownAnswer !== null;
    return {
      id: task.id,
      leasedAt: task.leasedAt,
      expiresAt: task.expiresAt,
      status: task.status,
      ownAnswerRequired,
      ownAnswer: task.ownAnswer,
      ownAnswerMatches: task.ownAnswerMatches,
      item: {
        id: item.id,
        uid: item.uid,
        datasetId: item.datasetId,
        language: item.language,
        country: item.country,
        region: item.region,
        kind: item.kind,
        format: item.format,
        question: item.question,
        questionEn: item.questionEn,
        context: item.context,
        options: item.options,
        primaryCategory: item.primaryCategory,
        secondaryTags: item.secondaryTags,
        hazard: item.hazard,
        attackStyle: item.attackStyle,
        difficulty: item.difficulty,
        version: item.version,
      },
      reference: revealed
        ? {
            referenceAnswer: item.referenceAnswer,
            answerEn: item.answerEn,
            acceptedAnswers: item.acceptedAnswers,
            correctIndex: item.correctIndex,
            trueFalseAnswer: item.trueFalseAnswer,
            rationale: item.rationale,
            sources: item.sources,
            expectedBehavior: item.expectedBehavior,
            notes: item.notes,
          }
        : null,
    };
  }

  /**
   * The caller's own task with its item; anybody else's (or one whose expired lease was reclaimed) is not
   * found.
   */
  async function ownTask(user: User, taskId: number): Promise<{ task: TaskRecord; item: Item }> {
    const task = await repos.validations.getTask(taskId);
    if (!task || task.validatorId !== user.id) throw taskGone();
    const item = await repos.items.get(task.itemId);
    if (!item) throw taskGone();
    return { task, item };
  }

  async function lease(
    user: User,
    item: Item,
    round: number,
    gold: boolean,
    now: Date,
  ): Promise<ValidationTask> {
    const minutes = (await repos.validations.settings(item.datasetId)).leaseMinutes;
    const id = await repos.validations.insertTask({
      itemId: item.id,
      datasetId: item.datasetId,
      round,
      validatorId: user.id,
      gold,
      itemVersion: item.version,
      leasedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
    });
    return toTask((await repos.validations.getTask(id))!, item);
  }

  /** When a round has its N validations: accept unanimous accepts (if the dataset says so), else review. */
  async function completeRound(user: User, item: Item, round: number): Promise<void> {
    const dataset = (await repos.datasets.get(item.datasetId))!;
    const validations = await repos.validations.roundValidations(item.id, round);
    if (validations.length < dataset.validatorsPerItem || item.status !== 'in_validation') return;
    const at = clock().toISOString();
    const unanimous = isUnanimousAccept(validations);
    const accept = unanimous && dataset.autoAccept;
    const next = await items.transition(user, item, accept ? 'accepted' : 'in_review');
    await repos.validations.saveRoundSummary(item.id, {
      round,
      validations: validations.length,
      agreement: roundAgreement(validations),
      unanimous,
      resolution: accept ? 'unanimous' : null,
      updatedAt: at,
    });
    if (accept) {
      await repos.validations.insertDecision({
        itemId: item.id,
        round,
        itemVersion: next.version,
        reviewerId: null,
        decision: 'accept',
        message: null,
        createdAt: at,
      });
    }
  }

  async function settings(datasetId: number): Promise<ValidationSettings> {
    if (!(await repos.datasets.exists(datasetId))) throw notFound('Dataset');
    return await repos.validations.settings(datasetId);
  }

  return {
    /**
     * Leases the caller one validation task, or returns the one they hold. One IMMEDIATE transaction
     * reclaims expired leases, picks the item and inserts the task, so concurrent callers (even in
     * other processes on the same file) never share a task or overfill an item.
     */
    async next(user: User, datasetId?: number): Promise<ValidationTask | null> {
      if (datasetId !== undefined && !(await repos.datasets.exists(datasetId))) throw notFound('Dataset');
      return repos.transaction(async () => {
        const now = clock();
        const nowIso = now.toISOString();
        await repos.validations.reclaimExpired(nowIso);
        const held = await repos.validations.heldTask(user.id, nowIso, datasetId);
        if (held) return toTask(held, (await repos.items.get(held.itemId))!);
        if (user.languages.length === 0) return null;

        const draw = random();
        const gold = await repos.validations.goldCandidate(user.id, user.languages, datasetId);
        if (gold && draw < (await repos.validations.settings(gold.datasetId)).goldRate) {
          return await lease(user, (await repos.items.get(gold.itemId))!, GOLD_ROUND, true, now);
        }
        let best: Awaited<ReturnType<typeof repos.validations.nextCandidate>>;
        for (const language of user.languages) {
          const c = await repos.validations.nextCandidate(user.id, language, datasetId);
          if (c && (!best || c.itemId < best.itemId)) best = c;
        }
        if (!best) return null;
        let item = (await repos.items.get(best.itemId))!;
        if (item.status === 'submitted') item = await items.transition(user, item, 'in_validation');
        return await lease(user, item, best.round, false, now);
      });
    },

    async get(user: User, taskId: number): Promise<ValidationTask> {
      const { task, item } = await ownTask(user, taskId);
      return toTask(task, item);
    },

    /** Step one: the validator's own answer, before the reference is revealed. Given once. */
    answer(user: User, taskId: number, ownAnswer: OwnAnswer): Promise<ValidationTask> {
      return repos.transaction(async () => {
        const { task, item } = await ownTask(user, taskId);
        if (task.status !== 'leased') throw conflict('already-submitted', 'This task is already submitted');
        if (!ownAnswerRequiredFor(item.kind))
          throw conflict('no-own-answer', 'This item takes no own answer; its reference is already shown');
        if (task.ownAnswer !== null)
          throw conflict(
            'already-answered',
            'Your answer is in and the reference was shown; it cannot change',
          );
        checkOwnAnswerShape(item, ownAnswer);
        // Conditional in SQL: another instance's answer to the same task, sent at once, may have landed first.
        const answered = await repos.validations.setOwnAnswer(
          task.id,
          ownAnswer,
          ownAnswerMatches(item, ownAnswer),
          clock().toISOString(),
        );
        if (!answered)
          throw conflict(
            'already-answered',
            'Your answer is in and the reference was shown; it cannot change',
          );
        return toTask((await repos.validations.getTask(task.id))!, item);
      });
    },

    /** Step two: the judgement. Completing the item's Nth validation routes the item. */
    submit(user: User, taskId: number, input: ValidationInput): Promise<ValidationTask> {
      return repos.transaction(async () => {
        const { task, item } = await ownTask(user, taskId);
        if (task.status !== 'leased') throw conflict('already-submitted', 'This task is already submitted');
        if (ownAnswerRequiredFor(item.kind) && task.ownAnswer === null)
          throw conflict('own-answer-first', 'Give your own answer before judging the reference');
        if (input.categoryPath !== null) {
          const taxonomy = item.kind === 'culture' ? 'socio-cultural' : 'safety-hazards';
          if (!(await repos.taxonomies.hasNode(taxonomy, input.categoryPath)))
            throw invalid(
              'categoryPath',
              'unknown-taxonomy-node',
              `"${input.categoryPath}" is not in ${taxonomy}`,
            );
        }
        // Conditional in SQL (still leased): the same task submitted at once through another instance.
        if (!(await repos.validations.submit(task.id, input, clock().toISOString())))
          throw conflict('already-submitted', 'This task is already submitted');
        if (!task.gold) await completeRound(user, item, task.round);
        return toTask((await repos.validations.getTask(task.id))!, (await repos.items.get(item.id))!);
      });
    },

    /** Gives a leased task back (the item is free for another validator). */
    async giveBack(user: User, taskId: number): Promise<void> {
      const { task } = await ownTask(user, taskId);
      if (task.status !== 'leased') throw conflict('already-submitted', 'This task is already submitted');
      await repos.validations.giveBackTask(task.id);
    },

    async myStats(user: User): Promise<MyValidationStats> {
      const s = await repos.validations.myStats(user.id);
      const counted = await repos.validations.validationProgress(user.id, user.languages);
      // Gold items are outside the queue, but a gold task held must count like any other, or the counts
      // would tell the validator that this task is a gold check.
      const gold = await repos.validations.heldGoldTasks(user.id, clock().toISOString());
      const q = { ...counted, left: counted.left + gold, total: counted.total + gold };
      const reason =
        q.left > 0
          ? null
          : user.languages.length === 0
            ? 'no-languages'
            : q.total === 0
              ? 'nothing-waiting'
              : q.own === q.total
                ? 'only-own'
                : 'all-done';
      return {
        validations: s.validations,
        goldValidations: s.gold,
        goldAccuracy: s.gold === 0 ? null : s.gold_correct / s.gold,
        queue: { left: q.left, total: q.total, reason, allLanguages: false },
      };
    },

    settings,

    updateSettings(datasetId: number, changes: UpdateValidationSettings): Promise<ValidationSettings> {
      return repos.transaction(async () => {
        const next = { ...(await settings(datasetId)), ...changes };
        await repos.validations.saveSettings(next);
        return next;
      });
    },

    /** Marks an item gold with its expected answers (maintainers; the route checks the role). */
    setGold(user: User, itemId: number, input: GoldInput): Promise<GoldItem> {
      return repos.transaction(async () => {
        const item = await repos.items.get(itemId);
        if (!item) throw notFound('Item');
        if (item.status === 'draft') throw conflict('draft-item', 'A draft cannot be a gold item');
        await repos.validations.setGold({
          itemId,
          ...input,
          createdBy: user.id,
          createdAt: clock().toISOString(),
        });
        return (await repos.validations.listGold(item.datasetId)).find((g) => g.itemId === itemId)!;
      });
    },

    async removeGold(itemId: number): Promise<void> {
      if (!(await repos.validations.removeGold(itemId))) throw notFound('Gold item');
    },

    async listGold(datasetId: number): Promise<GoldItem[]> {
      if (!(await repos.datasets.exists(datasetId))) throw notFound('Dataset');
      return await repos.validations.listGold(datasetId);
    },
  };
}
export type ValidationService = ReturnType<typeof createValidationService>;
