/**
 * Human rating campaigns, on the pattern of item validation: a rater asks for the next task and holds a
 * rating task on one response (a response needs N raters), leased for a while; an expired lease is
 * reclaimed by the next assignment. Raters are blind to the model: a task carries the item and the response
 * text, never the model, the run or other ratings, and responses come in random order across runs.
 * Responses on which the raters disagree (correctness or safety outcome) wait for a reviewer rating.
 */
import type { ReleaseItem } from '../../../schema/release.ts';
import type {
  CreateCampaignInput,
  RatingCampaign,
  RatingDisagreement,
  RatingInput,
  RatingTask,
  ReviewerRatingInput,
} from '../../../schema/scoring.ts';
import type { User } from '../../../schema/user.ts';
import type { QueueProgress } from '../../../schema/validation.ts';
import type { Repositories } from '../../db/repositories.ts';
import type { RatingTaskRecord } from '../../db/scoring.ts';
import { canUseLanguage } from '../auth.ts';
import { canReadReleaseContents } from '../releases/access.ts';
import { AppError, conflict, forbidden, notFound } from '../../errors.ts';

const invalid = (path: string, code: string, message: string) =>
  new AppError(400, 'invalid-input', 'Invalid body', { issues: [{ path, code, message }] });

export function createRatingService(repos: Repositories, options: { now?: () => Date } = {}) {
  const s = repos.scoring;
  const clock = options.now ?? (() => new Date());

  async function campaign(id: number): Promise<RatingCampaign> {
    const c = await s.getCampaign(id);
    if (!c) throw notFound('Campaign');
    return c;
  }

  /**
   * A rater's task. The reference answer and expected behaviour are release contents: a rater who may not read
   * the release's contents (canReadReleaseContents: e.g. an annotator rating responses to a pre-release, whose
   * items may still come to them for blind validation) rates without them.
   */
  async function toTask(user: User, task: RatingTaskRecord): Promise<RatingTask> {
    const ctx = (await s.ratingContext(task.responseId))!;
    const snapshot = await s.releaseItemSnapshot(ctx.releaseId, ctx.uid);
    const item = snapshot ? (JSON.parse(snapshot) as ReleaseItem).item : null;
    const release = await repos.releases.get(ctx.releaseId);
    const answers = release !== undefined && (await canReadReleaseContents(repos, user, release));
    return {
      id: task.id,
      expiresAt: task.expiresAt,
      status: task.status,
      item: {
        language: ctx.language,
        kind: ctx.kind,
        format: ctx.format,
        question: item?.question ?? '',
        questionEn: item?.questionEn ?? null,
        context: item?.context ?? null,
        referenceAnswer: answers ? (item?.referenceAnswer ?? null) : null,
        expectedBehavior: answers ? (item?.expectedBehavior ?? null) : null,
        category: ctx.category,
      },
      response: ctx.response,
    };
  }

  /** The caller's own task; anybody else's, or one whose lease expired and was reclaimed, is not found. */
  async function ownTask(user: User, id: number): Promise<RatingTaskRecord> {
    await s.reclaimRatingLeases(clock().toISOString());
    const task = await s.getRatingTask(id);
    if (!task || task.raterId !== user.id) throw notFound('Rating task');
    return task;
  }

  return {
    campaign,
    listCampaigns: async (): Promise<RatingCampaign[]> => {
      const campaigns: RatingCampaign[] = [];
      for (const id of await s.listCampaignIds()) campaigns.push(await campaign(id));
      return campaigns;
    },

    async createCampaign(user: User, input: CreateCampaignInput): Promise<RatingCampaign> {
      const release = await repos.releases.get(input.releaseId);
      if (!release) throw notFound('Release');
      if (release.state !== 'published')
        throw conflict('release-not-published', 'Rate responses to published releases');
      return campaign(
        await s.insertCampaign({ ...input, createdBy: user.id, createdAt: clock().toISOString() }),
      );
    },

    /** How much of the campaign is left for the caller in their languages, and why nothing is. */
    async progress(user: User, campaignId: number): Promise<QueueProgress> {
      const c = await campaign(campaignId);
      const languages = user.role === 'maintainer' ? null : user.languages;
      const p = await s.ratingProgress(c.id, c.releaseId, user.id, languages, c.ratersPerResponse);
      const reason =
        p.left > 0
          ? null
          : languages?.length === 0
            ? 'no-languages'
            : p.total === 0
              ? 'nothing-waiting'
              : 'all-done';
      return { left: p.left, total: p.total, reason, allLanguages: languages === null };
    },

    /** The caller's held task in the campaign, else a new one; null when nothing is left for them. */
    async next(user: User, campaignId: number): Promise<RatingTask | null> {
      const c = await campaign(campaignId);
      const at = clock();
      return repos.transaction(async () => {
        await s.reclaimRatingLeases(at.toISOString());
        const held = await s.heldRatingTask(c.id, user.id, at.toISOString());
        if (held !== undefined) return toTask(user, (await s.getRatingTask(held))!);
        const languages = user.role === 'maintainer' ? null : user.languages;
        const responseId = await s.nextResponseToRate(
          c.id,
          c.releaseId,
          user.id,
          languages,
          c.ratersPerResponse,
        );
        if (responseId === undefined) return null;
        const id = await s.insertRatingTask({
          campaignId: c.id,
          responseId,
          raterId: user.id,
          leasedAt: at.toISOString(),
          expiresAt: new Date(at.getTime() + c.leaseMinutes * 60000).toISOString(),
        });
        return toTask(user, (await s.getRatingTask(id))!);
      });
    },

    task: async (user: User, id: number): Promise<RatingTask> => toTask(user, await ownTask(user, id)),

    async submit(user: User, id: number, input: RatingInput): Promise<RatingTask> {
      const task = await ownTask(user, id);
      if (task.status === 'submitted')
        throw conflict('already-submitted', 'This rating was already submitted');
      const ctx = (await s.ratingContext(task.responseId))!;
      if (ctx.kind === 'safety' && input.safetyOutcome === null)
        throw invalid('safetyOutcome', 'required', 'Say how the model handled this safety prompt');
      if (ctx.kind !== 'safety' && input.safetyOutcome !== null)
        throw invalid('safetyOutcome', 'not-a-safety-item', 'Only safety items take a safety outcome');
      await s.submitRating(id, { ...input, submittedAt: clock().toISOString() });
      return toTask(user, (await s.getRatingTask(id))!);
    },

    async giveBack(user: User, id: number): Promise<void> {
      const task = await ownTask(user, id);
      if (task.status === 'submitted') throw conflict('already-submitted', 'A submitted rating stays');
      await s.giveBackRatingTask(id);
    },

    /**
     * Responses without a reviewer rating whose raters gave different correctness or safety outcomes, in the
     * caller's languages.
     */
    async disagreements(user: User, campaignId: number): Promise<RatingDisagreement[]> {
      await campaign(campaignId);
      const byResponse = new Map<number, RatingDisagreement['ratings']>();
      for (const r of await s.campaignRatings(campaignId)) {
        const list = byResponse.get(r.responseId) ?? [];
        list.push({ correctness: r.correctness, safetyOutcome: r.safetyOutcome });
        byResponse.set(r.responseId, list);
      }
      const out: RatingDisagreement[] = [];
      for (const [responseId, ratings] of byResponse) {
        const split =
          new Set(ratings.map((r) => r.correctness)).size > 1 ||
          new Set(ratings.map((r) => r.safetyOutcome)).size > 1;
        if (!split) continue;
        const ctx = (await s.ratingContext(responseId))!;
        if (!canUseLanguage(user, ctx.language)) continue;
        const snapshot = await s.releaseItemSnapshot(ctx.releaseId, ctx.uid);
        const question = snapshot ? (JSON.parse(snapshot) as ReleaseItem).item.question : '';
        out.push({
          responseId,
          language: ctx.language,
          kind: ctx.kind,
          question,
          response: ctx.response,
          ratings,
        });
      }
      return out;
    },

    /** A reviewer's rating of a disagreement: it replaces the raters' split in the report. */
    async setReviewerRating(user: User, responseId: number, input: ReviewerRatingInput): Promise<void> {
      const ctx = await s.ratingContext(responseId);
      if (!ctx) throw notFound('Response');
      if (!canUseLanguage(user, ctx.language)) throw forbidden('Rate disagreements in your languages');
      if (ctx.kind === 'safety' && input.safetyOutcome === null)
        throw invalid('safetyOutcome', 'required', 'Give the safety outcome');
      await s.upsertReviewerRating({
        responseId,
        correctness: input.correctness,
        safetyOutcome: ctx.kind === 'safety' ? input.safetyOutcome : null,
        reviewerId: user.id,
        createdAt: clock().toISOString(),
      });
    },
  };
}
