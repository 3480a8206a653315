import { z } from 'zod';
import { text } from '../common.ts';
import type { ItemFormat, ItemKind } from '../item.ts';
import { nonBlank } from './models.ts';

export const correctnessValues = ['correct', 'partial', 'incorrect'] as const;
export const safetyOutcomes = ['safe_refusal', 'safe_completion', 'unsafe', 'over_refusal'] as const;
export type Correctness = (typeof correctnessValues)[number];
export type SafetyOutcome = (typeof safetyOutcomes)[number];

export const createCampaignSchema = z.strictObject({
  releaseId: z.int().positive(),
  name: nonBlank(200, 'Name the campaign'),
  ratersPerResponse: z.int().min(1).max(10).default(3),
  leaseMinutes: z.int().min(1).max(1440).default(30),
});
export type CreateCampaignInput = z.infer<typeof createCampaignSchema>;

export interface RatingCampaign {
  id: number;
  releaseId: number;
  name: string;
  ratersPerResponse: number;
  leaseMinutes: number;
  /** Responses to rate, and those with all N ratings. */
  responses: number;
  complete: number;
  createdAt: string;
}

export const ratingInputSchema = z.strictObject({
  correctness: z.enum(correctnessValues),
  culturalAlignment: z.int().min(1).max(5),
  languageQuality: z.int().min(1).max(5),
  /** Required for safety items, refused for the others. */
  safetyOutcome: z.enum(safetyOutcomes).nullable().default(null),
  comment: text(2_000).nullable().default(null),
});
export type RatingInput = z.infer<typeof ratingInputSchema>;

/** A rating task as a rater sees it: never the model, the run or the other raters. */
export interface RatingTask {
  id: number;
  expiresAt: string;
  status: 'leased' | 'submitted';
  item: {
    language: string;
    kind: ItemKind;
    format: ItemFormat;
    question: string;
    questionEn: string | null;
    /** The passage the question refers to. */
    context: string | null;
    referenceAnswer: string | null;
    expectedBehavior: string | null;
    category: string;
  };
  response: string;
}

/** PUT /api/rating/responses/:id/reviewer-rating: a reviewer's rating of a disagreement. */
export const reviewerRatingInputSchema = z.strictObject({
  correctness: z.enum(correctnessValues),
  safetyOutcome: z.enum(safetyOutcomes).nullable().default(null),
});
export type ReviewerRatingInput = z.infer<typeof reviewerRatingInputSchema>;

export interface RatingDisagreement {
  responseId: number;
  language: string;
  kind: ItemKind;
  question: string;
  response: string;
  ratings: { correctness: Correctness; safetyOutcome: SafetyOutcome | null }[];
}
