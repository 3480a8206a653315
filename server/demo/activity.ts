import { Readable } from 'node:stream';
import { createReleaseSchema, type Release, type ReleaseItemFields } from '../../schema/release.ts';
import {
  createCampaignSchema,
  createModelSchema,
  createRunSchema,
  ratingInputSchema,
  type Correctness,
} from '../../schema/scoring.ts';
import type { User } from '../../schema/user.ts';
import { validationInputSchema, type OwnAnswer } from '../../schema/validation.ts';
import type { Item } from '../../schema/item.ts';
import type { Repositories } from '../db/repositories.ts';
import { createReleaseService } from '../domain/releases/service.ts';
import { createRatingService } from '../domain/scoring/rating.ts';
import { createScoringService, releaseItems } from '../domain/scoring/service.ts';
import { createValidationService } from '../domain/validation.ts';

/** One demo validation: who validates which item, and whether they raise a doubt. */
export interface DemoValidation {
  validator: string;
  item: Item;
  /** A doubt sends the item to review instead of auto-accepting it. */
  doubt?: {
    grounded?: 'no' | 'unsure';
    correct?: 'no' | 'unsure';
    ownAnswerWrong?: boolean;
    comment: string;
  };
}

const own = (item: Item, wrong: boolean): OwnAnswer => {
  if (item.format === 'multiple_choice') {
    const right = item.correctIndex ?? 0;
    return { choice: wrong ? (right + 1) % item.options.length : right };
  }
  if (item.format === 'true_false') return { value: wrong ? !item.trueFalseAnswer : !!item.trueFalseAnswer };
  const variant = item.acceptedAnswers[0] ?? (item.referenceAnswer ?? '').slice(0, 200);
  return { variants: [wrong ? '잘 모르겠다' : variant || '—'] };
};

/**
 * Runs the demo validations in order through the validation service, exactly as validators would:
 * next task, own answer (culture items), then the form. Each lease must land on the planned item.
 */
export async function validateDemoItems(
  repos: Repositories,
  users: Map<string, User>,
  datasetId: number,
  plan: DemoValidation[],
): Promise<void> {
  // No gold draws: the demo must come out the same every time.
  const validation = createValidationService(repos, { random: () => 1 });
  for (const v of plan) {
    const user = users.get(v.validator)!;
    const task = await validation.next(user, datasetId);
    if (task?.item.id !== v.item.id)
      throw new Error(`demo: ${v.validator} was given item ${task?.item.id} instead of ${v.item.id}`);
    if (task.ownAnswerRequired)
      await validation.answer(user, task.id, own(v.item, v.doubt?.ownAnswerWrong ?? false));
    await validation.submit(
      user,
      task.id,
      validationInputSchema.parse({
        grounded: v.doubt?.grounded ?? 'yes',
        correct: v.doubt?.correct ?? 'yes',
        category: 'keep',
        quality: v.doubt ? 3 : 5,
        comment: v.doubt?.comment ?? null,
      }),
    );
  }
}

/** Cuts release 1.0.0 of the dataset's accepted items (files go to releasesDir). */
export function releaseDemo(repos: Repositories, admin: User, datasetId: number, releasesDir: string) {
  return createReleaseService(repos, { releasesDir }).createAndWait(
    admin,
    createReleaseSchema.parse({
      datasetId,
      version: '1.0.0',
      title: 'Everyday culture 1.0.0 (demo)',
      notes: 'Demo release: the Korean and Arabic items two native speakers accepted unanimously.',
    }),
  );
}

/** The two fictional demo models and how each answers: `right(uid)` says whether it gets an item right. */
const demoModels = [
  {
    model: {
      name: 'Hangang-7B (demo)',
      developer: 'Demo Lab Seoul (fictional)',
      country: 'KR',
      sovereign: true,
    },
    wrong: (item: ReleaseItemFields) => item.language !== 'ko' && item.format === 'multiple_choice',
  },
  {
    model: {
      name: 'Globe-70B (demo)',
      developer: 'Demo Global AI (fictional)',
      country: 'US',
      sovereign: false,
    },
    wrong: (item: ReleaseItemFields) => item.language === 'ko',
  },
];

function responseTo(item: ReleaseItemFields, wrong: boolean): string {
  switch (item.format) {
    case 'multiple_choice': {
      const right = item.correctIndex ?? 0;
      return item.options[wrong ? (right + 1) % item.options.length : right] ?? '';
    }
    case 'true_false':
      return (wrong ? !item.trueFalseAnswer : item.trueFalseAnswer) ? 'True' : 'False';
    case 'short_answer':
      return wrong ? 'I am not sure.' : (item.acceptedAnswers[0] ?? '');
    default:
      return wrong
        ? 'I do not have reliable information about this custom.'
        : (item.referenceAnswer ?? item.answerEn ?? '');
  }
}

/**
 * Registers the demo models, gives each a run on the release with imported responses (scored on
 * import), opens a rating campaign and has the reviewer rate the open-ended responses.
 * Returns the number of runs.
 */
export async function scoreDemo(
  repos: Repositories,
  users: Map<string, User>,
  release: Release,
): Promise<number> {
  const admin = users.get('admin')!;
  const scoring = createScoringService(repos);
  const items = [...(await releaseItems(repos, release.id)).values()];
  for (const { model, wrong } of demoModels) {
    const m = await scoring.createModel(admin, createModelSchema.parse(model));
    const run = await scoring.createRun(
      admin,
      createRunSchema.parse({ modelId: m.id, releaseId: release.id }),
    );
    const lines = items.map((item) =>
      JSON.stringify({ id: item.uid, response: responseTo(item, wrong(item)) }),
    );
    await scoring.importResponses(run.id, 'jsonl', Readable.from([lines.join('\n') + '\n']), false);
  }

  const rating = createRatingService(repos);
  const campaign = await rating.createCampaign(
    admin,
    createCampaignSchema.parse({
      releaseId: release.id,
      name: 'Open-ended answers (demo)',
      ratersPerResponse: 2,
    }),
  );
  // The reviewer rates every response they can; a second rater is still wanted, so Rate keeps work.
  const reviewer = users.get('reviewer')!;
  for (
    let task = await rating.next(reviewer, campaign.id);
    task;
    task = await rating.next(reviewer, campaign.id)
  ) {
    const correct = task.response === (task.item.referenceAnswer ?? '');
    const correctness: Correctness = correct ? 'correct' : 'incorrect';
    await rating.submit(
      reviewer,
      task.id,
      ratingInputSchema.parse({
        correctness,
        culturalAlignment: correct ? 5 : 2,
        languageQuality: correct ? 5 : 3,
        safetyOutcome: task.item.kind === 'safety' ? 'safe_completion' : null,
      }),
    );
  }
  return demoModels.length;
}
