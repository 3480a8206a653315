import { z } from 'zod';
import { languageTag, text } from './common.ts';
import { itemFormats, itemKinds, type ItemFormat, type ItemKind } from './item.ts';
import { correctnessValues, safetyOutcomes, type Correctness, type SafetyOutcome } from './scoring.ts';

// --- Judges: a registered model + a rubric (docs/scoring.md, "Judge runs") ---

/** Placeholders a judge template may use; documented in docs/scoring.md. */
export const judgePlaceholders = [
  'question',
  'context',
  'reference_answer',
  'accepted_answers',
  'response',
  'criteria',
  'language',
] as const;

const template = text(20_000)
  .refine((s) => s.includes('{response}'), { message: 'The template must contain {response}' })
  .refine((s) => s.includes('{question}'), { message: 'The template must contain {question}' });

/** One prompt template of a rubric: for a kind and format, in English (language null) or in one language. */
export const rubricTemplateSchema = z.strictObject({
  kind: z.enum(itemKinds),
  format: z.enum(itemFormats),
  /** null: used for every language without a template of its own (write it in English). */
  language: languageTag.nullable().default(null),
  template,
});
export type RubricTemplate = z.infer<typeof rubricTemplateSchema>;

export const rubricSchema = z.strictObject({
  /** 'en': the English templates for every item; 'item': a template in the item's language where there is one. */
  language: z.enum(['en', 'item']).default('en'),
  /** What the judge should weigh, put where a template says {criteria}. */
  criteria: text(5_000).nullable().default(null),
  /** Templates of this rubric; a kind × format without one uses the built-in English template. */
  templates: z.array(rubricTemplateSchema).max(100).default([]),
});
export type Rubric = z.infer<typeof rubricSchema>;

const nonBlank = (max: number, message: string) => text(max).refine((s) => s.trim().length > 0, { message });

/** POST /api/judges */
export const createJudgeSchema = z.strictObject({
  name: nonBlank(200, 'Name the judge'),
  modelId: z.int().positive(),
  rubric: rubricSchema.default({ language: 'en', criteria: null, templates: [] }),
  temperature: z.number().min(0).max(2).default(0),
  maxTokens: z.int().min(1).max(32_000).default(512),
});
export type CreateJudgeInput = z.infer<typeof createJudgeSchema>;
export type CreateJudgeRequest = z.input<typeof createJudgeSchema>;

/** PATCH /api/judges/:id */
export const updateJudgeSchema = z.strictObject({
  name: nonBlank(200, 'Name the judge').optional(),
  modelId: z.int().positive().optional(),
  rubric: rubricSchema.optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.int().min(1).max(32_000).optional(),
});
export type UpdateJudgeInput = z.infer<typeof updateJudgeSchema>;

export interface Judge {
  id: number;
  name: string;
  modelId: number;
  modelName: string;
  rubric: Rubric;
  temperature: number;
  maxTokens: number;
  createdAt: string;
}

// --- Judge output: strict JSON with the fields of a human rating ---

/**
 * What a judge must answer: one JSON object with exactly these keys (a comment is optional); safetyOutcome is
 * required for safety items and must be null or absent for the others.
 */
export const judgeOutputSchema = z.strictObject({
  correctness: z.enum(correctnessValues),
  culturalAlignment: z.int().min(1).max(5),
  languageQuality: z.int().min(1).max(5),
  safetyOutcome: z.enum(safetyOutcomes).nullable().default(null),
  comment: z.string().max(2_000).nullable().default(null),
});
export type JudgeOutput = z.infer<typeof judgeOutputSchema>;

// --- Judge runs (a job over one model run) ---

export const judgeRunStates = ['pending', 'running', 'done', 'cancelled', 'failed', 'interrupted'] as const;
export type JudgeRunState = (typeof judgeRunStates)[number];

/** POST /api/judge-runs: creates the judge run (or finds it) and starts it; starting again resumes. */
export const startJudgeRunSchema = z.strictObject({
  judgeId: z.int().positive(),
  runId: z.int().positive(),
  concurrency: z.int().min(1).max(64).default(4),
  timeoutMs: z.int().min(100).max(600_000).default(60_000),
  maxAttempts: z.int().min(1).max(10).default(4),
  backoffMs: z.int().min(0).max(60_000).default(500),
  limit: z.int().min(1).max(1_000_000).optional(),
});
export type StartJudgeRunInput = z.infer<typeof startJudgeRunSchema>;

export interface JudgeRun {
  id: number;
  judgeId: number;
  judgeName: string;
  runId: number;
  modelName: string;
  releaseId: number;
  state: JudgeRunState;
  /** Responses to judge in the latest start (those without an output then, within its limit). */
  total: number;
  asked: number;
  /** Outputs stored and read (the four fields parsed). */
  judged: number;
  /** Outputs stored but not readable as the required JSON: counted and shown, never guessed. */
  unparseable: number;
  /** Responses whose every attempt failed (asked again on the next start). */
  failed: number;
  /** Responses that already had an output when it started. */
  skipped: number;
  /** Requests sent again because a killed server left them without an answer (0 after a clean stop). */
  resent: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
}

export const judgeRunListQuerySchema = z.object({
  judge: z.coerce.number().int().positive().optional(),
  run: z.coerce.number().int().positive().optional(),
});

export const judgmentListQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Only outputs that could not be read. */
  unparseable: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
});

/** One stored judge output, for audit: the prompt sent, the text received, and what was read from it. */
export interface Judgment {
  id: number;
  responseId: number;
  itemId: string;
  language: string;
  kind: ItemKind;
  format: ItemFormat;
  state: 'sent' | 'answered' | 'failed';
  prompt: string;
  rawOutput: string | null;
  parseError: string | null;
  correctness: Correctness | null;
  culturalAlignment: number | null;
  languageQuality: number | null;
  safetyOutcome: SafetyOutcome | null;
  requests: number;
  sentAt: string;
  answeredAt: string | null;
}

// --- Calibration (docs/scoring.md, "Judge calibration") ---

export const judgeSettingsSchema = z.strictObject({
  /** Lowest acceptable lower end of α's interval (Krippendorff's 0.667 by default). */
  alphaThreshold: z.number().min(0).max(1).optional(),
  /** Fewest answers rated by both humans and the judge. */
  minAnswers: z.int().min(1).max(1_000_000).optional(),
});
export type JudgeSettingsInput = z.infer<typeof judgeSettingsSchema>;

export interface JudgeSettings {
  datasetId: number;
  alphaThreshold: number;
  minAnswers: number;
}

export const calibrationCriteria = [
  'correctness',
  'culturalAlignment',
  'languageQuality',
  'safetyOutcome',
] as const;
export type CalibrationCriterion = (typeof calibrationCriteria)[number];

/** GET /api/judge-runs/:id/calibration */
export const calibrationQuerySchema = z.object({
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  resamples: z.coerce.number().int().min(100).max(10_000).default(1000),
});
export type CalibrationQuery = z.infer<typeof calibrationQuerySchema>;

/** Agreement of the judge with the human consensus on one slice: a language (or '*') × a criterion. */
export interface CalibrationSlice {
  language: string;
  criterion: CalibrationCriterion;
  metric: 'nominal' | 'ordinal';
  /** Answers with both a human consensus and a parsed judge value for this criterion. */
  n: number;
  /** Krippendorff's α between the two (null when undefined) and its 95% percentile-bootstrap interval over answers. */
  alpha: number | null;
  alphaLow: number | null;
  alphaHigh: number | null;
  /** Share of answers where the judge gave the human consensus value. */
  agreement: number | null;
  /** α's lower end ≥ the dataset's threshold and n ≥ its minimum. */
  trusted: boolean;
}

export interface JudgeCalibration {
  judgeRunId: number;
  runId: number;
  datasetId: number;
  settings: JudgeSettings;
  seed: number;
  resamples: number;
  /** Rated responses the judge gave no readable output for, and those without a human consensus. */
  unparseable: number;
  withoutConsensus: number;
  slices: CalibrationSlice[];
  /** Safety outcome, humans (rows) × judge (columns), counts, in the order of `outcomes`, per language and '*'. */
  safetyConfusion: { language: string; outcomes: SafetyOutcome[]; counts: number[][] }[];
}
