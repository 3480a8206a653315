import { z } from 'zod';
import { text } from './common.ts';
import type { Item, ItemFormat, ItemKind, ItemRevision, ItemStatus } from './item.ts';

/**
 * Independent validation, gold items, review and agreement reports (docs/product.md, Items and their lifecycle).
 * Shared by the server (input parsing) and the client (types).
 */

export const verdicts = ['yes', 'no', 'unsure'] as const;
export type Verdict = (typeof verdicts)[number];
export const categoryVerdicts = ['keep', 'other'] as const;
export type CategoryVerdict = (typeof categoryVerdicts)[number];
export const decisions = ['accept', 'reject', 'needs_revision'] as const;
export type Decision = (typeof decisions)[number];
export const validationResolutions = ['unanimous', 'adjudicated'] as const;
export type ValidationResolution = (typeof validationResolutions)[number];

export const VALIDATION_LIMITS = { answer: 2_000, variants: 10, comment: 5_000, message: 5_000 } as const;

const taxonomyNodeId = z
  .string()
  .max(200)
  .regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/, { message: 'Not a taxonomy node id' });

const nonBlank = (max: number) =>
  text(max).refine((s) => s.trim().length > 0, { message: 'Must not be blank' });

/**
 * The validator's own answer, written before the reference is revealed: answer variants (short
 * answer; one for open items), the option they would choose, or true/false.
 */
export const ownAnswerSchema = z.union([
  z.strictObject({
    variants: z.array(nonBlank(VALIDATION_LIMITS.answer)).min(1).max(VALIDATION_LIMITS.variants),
  }),
  z.strictObject({ choice: z.int().min(0).max(5) }),
  z.strictObject({ value: z.boolean() }),
]);
export type OwnAnswer = z.infer<typeof ownAnswerSchema>;

/** POST /api/tasks/:id/answer */
export const ownAnswerInputSchema = z.strictObject({ ownAnswer: ownAnswerSchema });

/** POST /api/tasks/:id/submit: the validation form. */
export const validationInputSchema = z
  .strictObject({
    grounded: z.enum(verdicts),
    correct: z.enum(verdicts),
    category: z.enum(categoryVerdicts),
    /** The category the validator would choose instead, when `category` is `other`. */
    categoryPath: taxonomyNodeId.nullable().default(null),
    quality: z.int().min(1).max(5),
    comment: text(VALIDATION_LIMITS.comment).nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.category === 'other' && !v.categoryPath)
      ctx.addIssue({ code: 'custom', path: ['categoryPath'], message: 'Choose the category it should have' });
    if (v.category === 'keep' && v.categoryPath)
      ctx.addIssue({ code: 'custom', path: ['categoryPath'], message: 'Only give a path with "other"' });
  });
export type ValidationInput = z.infer<typeof validationInputSchema>;

/** POST /api/tasks/next query string. */
export const nextTaskQuerySchema = z.object({ dataset: z.coerce.number().int().positive().optional() });

/** What a validator sees of an item: everything but the answer until their own answer is in. */
export interface TaskItem {
  id: number;
  uid: string;
  datasetId: number;
  language: string;
  country: string | null;
  region: string | null;
  kind: ItemKind;
  format: ItemFormat;
  question: string;
  questionEn: string | null;
  /** The passage the question refers to: part of the question, never withheld. */
  context: string | null;
  options: string[];
  primaryCategory: string | null;
  secondaryTags: string[];
  hazard: string | null;
  attackStyle: string | null;
  difficulty: Item['difficulty'];
  version: number;
}

/** The answer side of an item, shown once revealed. */
export interface TaskReference {
  referenceAnswer: string | null;
  answerEn: string | null;
  acceptedAnswers: string[];
  correctIndex: number | null;
  trueFalseAnswer: boolean | null;
  rationale: string | null;
  sources: Item['sources'];
  expectedBehavior: Item['expectedBehavior'];
  notes: string | null;
}

/** A validation task as its validator sees it (`/api/tasks`); a rating task is `RatingTask`. */
export interface ValidationTask {
  id: number;
  item: TaskItem;
  leasedAt: string;
  /**
   * The lease's end: then the task may go to someone else (gold items are not marked: validators are not
   * told).
   */
  expiresAt: string;
  /** Whether the validator must give their own answer before the reference is shown. */
  ownAnswerRequired: boolean;
  ownAnswer: OwnAnswer | null;
  /** Present once the own answer is in (or none is required). */
  reference: TaskReference | null;
  /** Whether the own answer matches the reference after normalisation (null: not comparable). */
  ownAnswerMatches: boolean | null;
  status: 'leased' | 'submitted';
}

export interface NextTaskResult {
  task: ValidationTask | null;
}

/** One submitted validation as reviewers (and nobody else) see it. */
export interface Validation {
  id: number;
  itemId: number;
  round: number;
  itemVersion: number;
  validatorId: number;
  validatorName: string;
  grounded: Verdict;
  correct: Verdict;
  category: CategoryVerdict;
  categoryPath: string | null;
  quality: number;
  comment: string | null;
  ownAnswer: OwnAnswer | null;
  ownAnswerMatches: boolean | null;
  leasedAt: string;
  submittedAt: string;
}

/** Validation figures of an item's current round; what a release records in `annotation`. */
export interface ValidationSummary {
  itemId: number;
  round: number;
  validations: number;
  /** Mean percent agreement over grounded / correct / category; null with fewer than two validations. */
  agreement: number | null;
  unanimous: boolean | null;
  resolution: ValidationResolution | null;
}

export interface ReviewDecision {
  id: number;
  itemId: number;
  round: number;
  itemVersion: number;
  /** null: decided automatically (unanimous accept). */
  reviewerId: number | null;
  reviewerName: string | null;
  decision: Decision;
  message: string | null;
  createdAt: string;
}

/** POST /api/review/items/:id/decision */
export const decisionInputSchema = z
  .strictObject({
    version: z.int().positive(),
    decision: z.enum(decisions),
    message: text(VALIDATION_LIMITS.message).nullable().default(null),
  })
  .superRefine((d, ctx) => {
    if (d.decision !== 'accept' && !d.message?.trim())
      ctx.addIssue({
        code: 'custom',
        path: ['message'],
        message: d.decision === 'reject' ? 'Give the reason for rejecting' : 'Tell the author what to change',
      });
  });
export type DecisionInput = z.infer<typeof decisionInputSchema>;

/** GET /api/review/queue query string. */
export const reviewQueueQuerySchema = z.object({
  dataset: z.coerce.number().int().positive().optional(),
  language: z.string().min(2).max(35).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuerySchema>;

export interface ReviewQueueEntry {
  id: number;
  uid: string;
  datasetId: number;
  language: string;
  kind: ItemKind;
  format: ItemFormat;
  question: string;
  primaryCategory: string | null;
  hazard: string | null;
  authorName: string;
  validations: number;
  agreement: number | null;
  updatedAt: string;
  /** No reviewer may decide it (each wrote or validated it, or none has the language): a maintainer must. */
  waitsForMaintainer: boolean;
}

export interface ReviewQueuePage {
  items: ReviewQueueEntry[];
  total: number;
  page: number;
  pageSize: number;
  /** The caller's share of the whole queue (not only this page). */
  progress: QueueProgress;
}

/**
 * Why a queue has nothing left for the caller: they have no languages, nothing at this stage is in their
 * languages, every item waiting is their own (or one they validated, in review), or they did all they may.
 */
export const queueEmptyReasons = ['no-languages', 'nothing-waiting', 'only-own', 'all-done'] as const;
export type QueueEmptyReason = (typeof queueEmptyReasons)[number];

/** How much of a queue (Validate, Review, a rating campaign) is left for the caller, in their languages. */
export interface QueueProgress {
  /** What the caller may still take, the task they hold included. */
  left: number;
  /** Everything at this stage in the caller's languages, theirs to take or not. */
  total: number;
  /** Why nothing is left for the caller; null while something is. */
  reason: QueueEmptyReason | null;
  /** The counts cover every language (maintainers), not only the caller's. */
  allLanguages: boolean;
}

/** Per question, the count of each answer among the current round's validations. */
export type AnswerCounts = Record<'grounded' | 'correct' | 'category', Record<string, number>>;

/** GET /api/review/items/:id: everything a reviewer needs side by side. */
export interface ReviewView {
  item: Item;
  revisions: ItemRevision[];
  summary: ValidationSummary;
  counts: AnswerCounts;
  /** Share of pairs of validators whose own answers share a normalised variant; null if < 2 answers. */
  ownAnswerAgreement: number | null;
  validations: Validation[];
  decisions: ReviewDecision[];
  canDecide: boolean;
}

/** PUT /api/gold/:itemId */
export const goldInputSchema = z.strictObject({ grounded: z.enum(verdicts), correct: z.enum(verdicts) });
export type GoldInput = z.infer<typeof goldInputSchema>;

export interface GoldItem {
  itemId: number;
  uid: string;
  language: string;
  question: string;
  grounded: Verdict;
  correct: Verdict;
  createdAt: string;
}

export interface ValidationSettings {
  datasetId: number;
  /** Share of tasks (0–1) that are gold items, when the validator has any left to do. */
  goldRate: number;
  /** How long a task is held for its validator before it returns to the pool. */
  leaseMinutes: number;
}

/** PATCH /api/validation-settings/:datasetId */
export const updateValidationSettingsSchema = z.strictObject({
  goldRate: z.number().min(0).max(1).optional(),
  leaseMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
});
export type UpdateValidationSettings = z.infer<typeof updateValidationSettingsSchema>;

export interface MyValidationStats {
  validations: number;
  goldValidations: number;
  goldAccuracy: number | null;
  /** Items in validation in the caller's languages, and how many are left for them. */
  queue: QueueProgress;
}

// ---------------------------------------------------------------------------------------------
// Agreement dashboard

export const agreementQuestions = ['grounded', 'correct', 'category', 'quality', 'ownAnswer'] as const;
export type AgreementQuestion = (typeof agreementQuestions)[number];

/** GET /api/agreement query string. */
export const agreementQuerySchema = z.object({
  dataset: z.coerce.number().int().positive(),
  language: z.string().min(2).max(35).optional(),
  /** `false`: only the overall row per question (faster on very large datasets). */
  breakdown: z.stringbool().default(true),
});
export type AgreementQuery = z.infer<typeof agreementQuerySchema>;

export const agreementTables = ['questions', 'annotators', 'coverage'] as const;
export const agreementExportQuerySchema = agreementQuerySchema.extend({ table: z.enum(agreementTables) });

/** One row of the agreement table: one question within one language × category ('*' = all). */
export interface QuestionAgreement {
  question: AgreementQuestion;
  language: string;
  category: string;
  /** Units (item rounds) with at least two validations. */
  units: number;
  values: number;
  /** Krippendorff's α: nominal, or ordinal for quality. */
  alpha: number | null;
  /** Quality only: α interval. */
  alphaInterval: number | null;
  /** Fleiss' κ when every unit has the same number of values; null otherwise. */
  fleissKappa: number | null;
  /** Mean pairwise Cohen's κ. */
  cohenKappa: number | null;
  percentAgreement: number | null;
}

export interface AnnotatorAgreement {
  userId: number;
  name: string;
  validations: number;
  /** Share of decided items where the validator's verdict (grounded & correct = yes) matched the outcome. */
  agreementWithFinal: number | null;
  decided: number;
  goldValidations: number;
  goldAccuracy: number | null;
  /** Mean Cohen's κ with co-validators, on grounded and on correct. */
  kappaGrounded: number | null;
  kappaCorrect: number | null;
  medianSeconds: number | null;
}

export interface CoverageCell {
  language: string;
  category: string;
  status: ItemStatus;
  count: number;
}

export interface AgreementReport {
  datasetId: number;
  questions: QuestionAgreement[];
  annotators: AnnotatorAgreement[];
  coverage: CoverageCell[];
  computedMs: number;
}

export const ownAnswerRequiredFor = (kind: ItemKind): boolean => kind === 'culture';
