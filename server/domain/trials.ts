/**
 * Model-in-the-loop authoring ("Try on models", docs/scoring.md): an item as saved is sent through each
 * chosen model's prompt template, each answer is scored as a run's would be (multiple choice, short answer,
 * true/false) and stored with the item's revision. Maintainers choose per dataset which models may be tried and
 * whether an item needs a trial before it is submitted. Requests go through the outbound client (address
 * policy, no redirects); keys go only into the Authorization header.
 */
import { editableStatuses, type Item } from '../../schema/item.ts';
import type { ReleaseItemFields } from '../../schema/release.ts';
import type { Model } from '../../schema/scoring.ts';
import type {
  Trial,
  TrialResult,
  TrialSafetyOutcome,
  TrialSettings,
  TrialSettingsInput,
  TryModelsInput,
} from '../../schema/trials.ts';
import type { User } from '../../schema/user.ts';
import type { Repositories } from '../db/repositories.ts';
import { AppError, conflict, forbidden, notFound } from '../errors.ts';
import { createOutboundClient, type OutboundOptions } from '../outbound/client.ts';
import { answerScope, canSeeItem } from './items.ts';
import { AttemptError, requestCompletion, UnreachableError } from './scoring/chat-completion.ts';
import { endpointUnreachable } from './scoring/collect.ts';
import { parseJudgeOutput, renderJudgePrompt } from './scoring/judge-rubric.ts';
import { modelEndpoint } from './scoring/endpoint.ts';
import { optionLabels } from './scoring/extract.ts';
import { renderPrompt } from './scoring/prompts.ts';
import { scoreResponse } from './scoring/score.ts';
import { MAX_RESPONSE_CHARS } from './scoring/service.ts';
import type { TrialThrottle } from './trial-throttle.ts';

/** One trial waits this long for its model (an author is watching the panel). */
const TRIAL_TIMEOUT_MS = 60_000;
const TRIAL_MAX_TOKENS = 512;

/** The reference an answer is scored against, as one line of text (what the panel shows next to the answer). */
export function referenceText(item: ReleaseItemFields): string | null {
  if (item.kind === 'safety') return item.expectedBehavior;
  switch (item.format) {
    case 'multiple_choice':
      return item.correctIndex === null || item.options[item.correctIndex] === undefined
        ? null
        : `${optionLabels(item.language)[item.correctIndex]}. ${item.options[item.correctIndex]}`;
    case 'short_answer':
      return item.acceptedAnswers.filter((a) => a.trim() !== '').join(' · ') || null;
    case 'true_false':
      return item.trueFalseAnswer === null ? null : String(item.trueFalseAnswer);
    default:
      return item.referenceAnswer;
  }
}

export interface TrialServiceOptions {
  throttle: TrialThrottle;
  /** Where API keys named by models are read (default process.env). */
  env?: Record<string, string | undefined>;
  /** Address policy and DNS of requests to model endpoints. */
  outbound?: OutboundOptions;
}

/** A dataset's trial settings: everyone reads them (the editor lists the models), maintainers set them. */
export function createTrialSettingsService(repos: Repositories) {
  async function get(datasetId: number): Promise<TrialSettings> {
    if (!(await repos.datasets.exists(datasetId))) throw notFound('Dataset');
    const judge = await repos.trials.judge(datasetId);
    return {
      datasetId,
      requireTrial: await repos.trials.requireTrial(datasetId),
      judgeId: judge?.id ?? null,
      judgeName: judge?.name ?? null,
      models: await repos.trials.models(datasetId),
    };
  }

  return {
    get,

    async update(datasetId: number, input: TrialSettingsInput): Promise<TrialSettings> {
      await get(datasetId);
      const issues: { path: string; code: string; message: string }[] = [];
      for (const [i, m] of input.models.entries())
        if (!(await repos.scoring.getModel(m.modelId)))
          issues.push({
            path: `models.${i}.modelId`,
            code: 'unknown-model',
            message: `No model ${m.modelId}`,
          });
      if (input.judgeId !== null && !(await repos.scoring.getJudge(input.judgeId))) {
        issues.push({ path: 'judgeId', code: 'unknown-judge', message: `No judge ${input.judgeId}` });
      }
      if (issues.length > 0) throw new AppError(400, 'invalid-input', 'Invalid body', { issues });
      await repos.transaction(
        async () =>
          await repos.trials.saveSettings(datasetId, input.requireTrial, input.judgeId, input.models),
      );
      return get(datasetId);
    },
  };
}

/** Trying items on models and reading their trials. */
export function createTrialService(repos: Repositories, options: TrialServiceOptions) {
  const outbound = createOutboundClient(options.outbound);

  /** The item if `user` may read its trials: they show the answers, so the item's answers must be open to them. */
  async function readable(user: User, itemId: number): Promise<Item> {
    const item = await repos.items.get(itemId);
    if (!item || !canSeeItem(user, item)) throw notFound('Item');
    if (await repos.items.answersWithheld(item.id, answerScope(user))) {
      throw forbidden('Trials show the answers; they open once you have validated the item');
    }
    return item;
  }

  /**
   * One chat completion from `model`: its answer text, or the AppError saying why there is none (only the
   * status of a failed answer: an endpoint's body may repeat the key, as a careless proxy does).
   */
  async function complete(model: Model, prompt: string, temperature: number, maxTokens: number) {
    try {
      const { url, apiKey } = await modelEndpoint(repos, model, options.env);
      const request = {
        url,
        apiKey,
        model: model.endpointModel,
        prompt,
        temperature,
        maxTokens,
        timeoutMs: TRIAL_TIMEOUT_MS,
      };
      return await requestCompletion(outbound, request);
    } catch (e) {
      if (e instanceof AppError) return e;
      if (e instanceof UnreachableError) return endpointUnreachable(e.notAllowed);
      if (!(e instanceof AttemptError)) throw e;
      return e.failure === 'status'
        ? new AppError(502, 'model-error', `The model's endpoint answered ${e.message}`)
        : new AppError(502, 'malformed-answer', "The model's endpoint sent no answer text");
    }
  }

  /**
   * The dataset's judge on a safety answer: `refused` (safe or over-refusal) or `complied` (safe completion or
   * unsafe); null without a judge, or when the judge gave no answer or one that is not its strict JSON.
   */
  async function judgeSafety(item: Item, answer: string): Promise<TrialSafetyOutcome | null> {
    const set = await repos.trials.judge(item.datasetId);
    const judge = set && (await repos.scoring.getJudge(set.id));
    const model = judge && (await repos.scoring.getModel(judge.modelId));
    if (!judge || !model) return null;
    const raw = await complete(
      model,
      renderJudgePrompt(judge.rubric, item, answer),
      judge.temperature,
      judge.maxTokens,
    );
    if (raw instanceof AppError) return null;
    const parsed = parseJudgeOutput(raw, 'safety');
    if (!parsed.ok) return null;
    const outcome = parsed.value.safetyOutcome;
    return outcome === 'safe_refusal' || outcome === 'over_refusal' ? 'refused' : 'complied';
  }

  /** One model asked about the item: its stored trial, or why it gave no answer. */
  async function ask(
    user: User,
    item: Item,
    model: Model,
    template: string | null,
    at: () => string,
  ): Promise<TrialResult> {
    const failed = (e: AppError): TrialResult => ({
      modelId: model.id,
      trial: null,
      error: { code: e.code, message: e.message },
    });
    const fields: ReleaseItemFields = item;
    const prompt = renderPrompt(template, fields);
    const answer = await complete(model, prompt, 0, TRIAL_MAX_TOKENS);
    if (answer instanceof AppError) return failed(answer);
    const text = answer.slice(0, MAX_RESPONSE_CHARS).normalize('NFC');
    const score = scoreResponse(fields, text);
    const safetyOutcome = item.kind === 'safety' ? await judgeSafety(item, text) : null;
    const trial = await repos.transaction(() =>
      repos.trials.insert({
        itemId: item.id,
        itemVersion: item.version,
        modelId: model.id,
        userId: user.id,
        prompt,
        answer: text,
        reference: referenceText(fields),
        scoring: score.scoring,
        extracted: score.extracted,
        correct: score.correct,
        safetyOutcome,
        createdAt: at(),
      }),
    );
    return { modelId: model.id, trial, error: null };
  }

  return {
    list: async (user: User, itemId: number): Promise<Trial[]> =>
      await repos.trials.listForItem((await readable(user, itemId)).id),

    /**
     * Asks each model about the item as saved at `input.version` (its author while it is editable, or a
     * maintainer), only models the dataset allows; every check and the rate limit pass before any model is
     * asked. Answers one entry per model: the stored trial, or why that model gave none.
     */
    async tryModels(user: User, itemId: number, input: TryModelsInput): Promise<TrialResult[]> {
      const item = await readable(user, itemId);
      const author = item.authorId === user.id && editableStatuses.includes(item.status);
      if (!author && user.role !== 'maintainer') {
        throw forbidden('Only the author of a draft (or a maintainer) can try it on models');
      }
      if (input.version !== item.version) {
        throw conflict(
          'stale-version',
          'The item was saved again after you loaded it; reload and try again',
          {
            current: item.version,
          },
        );
      }
      const allowed = new Map((await repos.trials.models(item.datasetId)).map((m) => [m.modelId, m]));
      const refused = input.modelIds.filter((id) => !allowed.has(id));
      if (refused.length > 0) {
        throw new AppError(403, 'model-not-allowed', 'This dataset does not offer these models for trials', {
          modelIds: refused,
        });
      }
      const models: Model[] = [];
      for (const id of input.modelIds) models.push((await repos.scoring.getModel(id))!);
      await options.throttle.take(repos, user.id, input.modelIds);
      const at = () => new Date().toISOString();
      return Promise.all(models.map((m) => ask(user, item, m, allowed.get(m.id)!.promptTemplate, at)));
    },
  };
}
export type TrialService = ReturnType<typeof createTrialService>;
