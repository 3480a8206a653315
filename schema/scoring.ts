import { z } from 'zod';
import { countryCode, text } from './common.ts';
import type { ItemFormat, ItemKind } from './item.ts';

// --- Models ---

/** The only environment variables a model may name for its key: the server's other secrets stay out of reach. */
export const MODEL_KEY_ENV_PREFIX = 'CS_MODEL_KEY_';

export const modelKeyEnvName = z
  .string()
  .max(100)
  .regex(/^CS_MODEL_KEY_[A-Z0-9_]+$/, {
    message: `apiKeyEnv must name an environment variable starting with ${MODEL_KEY_ENV_PREFIX}, e.g. ${MODEL_KEY_ENV_PREFIX}OPENAI`,
  });

/** What can go in an Authorization header: printable ASCII, no spaces (so no header injection). */
export const apiKeyValue = z
  .string()
  .max(500)
  .regex(/^[\x21-\x7e]+$/, { message: 'apiKey must be printable ASCII without spaces' });

/** An endpoint's base URL: http or https, and no user name or password in it. */
const baseUrl = z
  .url({ protocol: /^https?$/, message: 'baseUrl must be an http:// or https:// URL' })
  .max(2_000)
  .refine(
    (u) => {
      const parsed = new URL(u);
      return parsed.username === '' && parsed.password === '';
    },
    { message: 'baseUrl may not contain a user name or password; give the key in apiKey or apiKeyEnv' },
  );

const nonBlank = (max: number, message: string) => text(max).refine((s) => s.trim().length > 0, { message });

/** The endpoint part of a model: an OpenAI-compatible server (vLLM, Ollama, hosted APIs). */
export const modelEndpointSchema = z.strictObject({
  /** Base URL up to (not including) `/chat/completions`, e.g. `http://localhost:8000/v1`. */
  baseUrl: baseUrl.nullable().default(null),
  /** The model name the endpoint expects in `model`. */
  endpointModel: text(200).nullable().default(null),
  /** Name of the environment variable (CS_MODEL_KEY_…) that holds the API key (the key itself is never stored then). */
  apiKeyEnv: modelKeyEnvName.nullable().default(null),
  /** The API key itself, stored write-only: no answer ever contains it. */
  apiKey: apiKeyValue.nullable().optional(),
});

/** POST /api/models */
export const createModelSchema = z
  .strictObject({
    name: nonBlank(200, 'Give the model a name'),
    developer: nonBlank(200, 'Name the developer'),
    country: countryCode.nullable().default(null),
    sovereign: z.boolean().default(false),
  })
  .extend(modelEndpointSchema.shape);
export type CreateModelInput = z.infer<typeof createModelSchema>;
export type CreateModelRequest = z.input<typeof createModelSchema>;

/** PATCH /api/models/:id: any field; `apiKey: null` forgets a stored key. */
export const updateModelSchema = z.strictObject({
  name: nonBlank(200, 'Give the model a name').optional(),
  developer: nonBlank(200, 'Name the developer').optional(),
  country: countryCode.nullable().optional(),
  sovereign: z.boolean().optional(),
  /** A new scheme, host or port drops the stored key and apiKeyEnv unless this request gives them again. */
  baseUrl: baseUrl.nullable().optional(),
  endpointModel: text(200).nullable().optional(),
  apiKeyEnv: modelKeyEnvName.nullable().optional(),
  apiKey: apiKeyValue.nullable().optional(),
});
export type UpdateModelInput = z.infer<typeof updateModelSchema>;

export interface Model {
  id: number;
  name: string;
  developer: string;
  country: string | null;
  sovereign: boolean;
  baseUrl: string | null;
  endpointModel: string | null;
  apiKeyEnv: string | null;
  /** Whether a key is stored (the key itself is never returned). */
  hasApiKey: boolean;
  createdAt: string;
}

// --- Runs ---

export const runStatuses = ['pending', 'collecting', 'complete', 'failed'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Placeholders a prompt template may use; documented in docs/scoring.md. */
export const promptPlaceholders = ['question', 'options', 'language', 'country', 'region'] as const;

/** POST /api/runs */
export const createRunSchema = z.strictObject({
  modelId: z.int().positive(),
  releaseId: z.int().positive(),
  /** A template with {question}, {options}, …; null uses the per-format defaults in each item's language. */
  promptTemplate: text(20_000)
    .refine((s) => s.includes('{question}'), { message: 'The template must contain {question}' })
    .nullable()
    .default(null),
  temperature: z.number().min(0).max(2).default(0),
  maxTokens: z.int().min(1).max(32_000).default(512),
});
export type CreateRunInput = z.infer<typeof createRunSchema>;
export type CreateRunRequest = z.input<typeof createRunSchema>;

export const runListQuerySchema = z.object({
  release: z.coerce.number().int().positive().optional(),
  model: z.coerce.number().int().positive().optional(),
});

export interface RunProgress {
  /** Items in the release. */
  items: number;
  responses: number;
  autoScored: number;
  correct: number;
  /** Responses that need human rating (open-ended and safety items). */
  toRate: number;
}

/** Where a run's latest collection stands: under way, ended (done, cancelled, failed) or cut off by a stop. */
export const collectionStates = ['running', 'done', 'cancelled', 'failed', 'interrupted'] as const;
export type CollectionState = (typeof collectionStates)[number];

/** A run's latest collection of responses from the model's endpoint (a job; GET the run to follow it). */
export interface RunCollection {
  state: CollectionState;
  /** Items this collection asks: those without a response when it started, within its limit. */
  total: number;
  /** Items asked so far (each once, however many attempts). */
  asked: number;
  /** Items answered (stored and scored) in this collection. */
  answered: number;
  /** Items whose every attempt failed. */
  failed: number;
  /** Items that already had a response (resume never asks twice). */
  skipped: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  /** The failed items with the last reason (never the API key), by id; the first 100. */
  failures: { id: string; reason: string }[];
  startedAt: string;
  finishedAt: string | null;
}

export interface Run {
  id: number;
  modelId: number;
  modelName: string;
  releaseId: number;
  releaseVersion: string;
  promptTemplate: string | null;
  temperature: number;
  maxTokens: number;
  status: RunStatus;
  error: string | null;
  progress: RunProgress;
  /** The latest collection from the endpoint; null if the run was never collected. */
  collection: RunCollection | null;
  createdAt: string;
  updatedAt: string;
}

/** POST /api/runs/:id/collect: collection settings (the endpoint comes from the model). */
export const collectSchema = z.strictObject({
  concurrency: z.int().min(1).max(64).default(4),
  /** Per-request timeout. */
  timeoutMs: z.int().min(100).max(600_000).default(60_000),
  /** Attempts per item (the first try included) on 429, 5xx, timeouts and malformed bodies. */
  maxAttempts: z.int().min(1).max(10).default(4),
  /** First retry delay; doubled per attempt, with jitter (a Retry-After header takes precedence). */
  backoffMs: z.int().min(0).max(60_000).default(500),
  /** Only this many items in this call (the rest on the next call); default all. */
  limit: z.int().min(1).max(1_000_000).optional(),
});
export type CollectInput = z.infer<typeof collectSchema>;

// --- Responses ---

export const responseImportQuerySchema = z.object({
  dryRun: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  format: z.enum(['csv', 'jsonl']).optional(),
});

export interface ResponseImportIssue {
  row: number | null;
  line: number | null;
  id: string | null;
  code: string;
  message: string;
}

export interface ResponseImportReport {
  dryRun: boolean;
  rows: number;
  /** Responses written (0 for a dry run or a refused file). */
  imported: number;
  /** Responses that would be written (all valid rows). */
  valid: number;
  errorCount: number;
  errors: ResponseImportIssue[];
}

export interface ScoredResponse {
  id: string;
  language: string;
  kind: ItemKind;
  format: ItemFormat;
  category: string;
  response: string;
  source: 'import' | 'endpoint';
  scoring: 'auto' | 'rating';
  /** What automatic scoring read from the response (an option index, a variant, true/false), for audit. */
  extracted: string | null;
  correct: boolean | null;
}

export const responseListQuerySchema = z.object({
  after: z.string().max(100).default(''),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

// --- Rating ---

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

// --- Report ---

export const reportQuerySchema = z.object({
  release: z.coerce.number().int().positive(),
  /** Seed of the bootstrap's PRNG: the same seed gives the same intervals. */
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  resamples: z.coerce.number().int().min(100).max(10_000).default(1000),
  /** A judge whose trusted slices score the answers no person rated (docs/scoring.md); none: people only. */
  judge: z.coerce.number().int().positive().optional(),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** A point estimate with its 95% interval; all null without data. */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

/** Where a figure comes from: automatic scoring of the answers, or people's ratings. */
/**
 * Where a figure's values come from: automatic scoring, human raters, an LLM judge in the slices its calibration
 * trusts (for answers no person rated), or both humans and the judge ('mixed': never silently).
 */
export type FigureSource = 'human' | 'automatic' | 'judge' | 'mixed';

/** Below this many observations a figure is shown, but marked as too small to read. */
export const SMALL_SAMPLE = 10;

/**
 * A figure of the report: an estimate with its 95% interval, how the interval was made (Wilson score for
 * proportions, percentile bootstrap for means of ratings), where the figure comes from, and whether its n is
 * below SMALL_SAMPLE (docs/scoring.md, "Honest intervals").
 */
export interface Figure extends Estimate {
  interval: 'wilson' | 'bootstrap';
  source: FigureSource;
  smallSample: boolean;
  /** Of the n values, how many are the judge's (on judge and mixed figures only). */
  judged?: number;
}

export interface ReportCell {
  runId: number;
  modelName: string;
  /** '*' when the cell totals over that dimension. */
  language: string;
  category: string;
  kind: string;
  format: string;
  responses: number;
  /** Share of automatically scored responses that are correct (Wilson interval). */
  accuracy: Figure;
  /** Rated responses: correctness (correct 1, partial 0.5, incorrect 0), alignment and quality 1–5 (bootstrap). */
  ratedCorrectness: Figure;
  culturalAlignment: Figure;
  languageQuality: Figure;
  /** Safety responses rated unsafe / over-refusing, as shares of the rated safety responses (Wilson interval). */
  unsafeRate: Figure;
  overRefusalRate: Figure;
  /** Krippendorff's alpha among raters (nominal for outcomes, ordinal for scales); null when undefined. */
  agreement: {
    correctness: number | null;
    culturalAlignment: number | null;
    languageQuality: number | null;
    safetyOutcome: number | null;
  };
}

export interface ScoringReport {
  releaseId: number;
  releaseVersion: string;
  seed: number;
  resamples: number;
  /** The judge whose trusted slices fill answers no person rated, or null (people only). */
  judgeId: number | null;
  models: { runId: number; modelId: number; modelName: string; sovereign: boolean; country: string | null }[];
  cells: ReportCell[];
}

export const reportItemsQuerySchema = z.object({
  release: z.coerce.number().int().positive(),
  after: z.string().max(100).default(''),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

/** The report's drill-down: one release item, its reference and each model's answer. */
export interface ReportItem {
  id: string;
  language: string;
  kind: ItemKind;
  format: ItemFormat;
  question: string;
  /** The reference as text: the correct option, the accepted variants, true/false, the reference answer or expected behaviour. */
  reference: string | null;
  answers: {
    runId: number;
    modelName: string;
    response: string;
    extracted: string | null;
    correct: boolean | null;
  }[];
}

// --- Paired comparison and the headline table (docs/scoring.md, "Paired comparisons") ---

/** GET /api/reports/compare: run `a` against run `b`, both on `release`. */
export const compareQuerySchema = reportQuerySchema.extend({
  a: z.coerce.number().int().positive(),
  b: z.coerce.number().int().positive(),
});
export type CompareQuery = z.infer<typeof compareQuerySchema>;

/** How many items both runs answered one way or the other (right/wrong, or unsafe/not). */
export interface PairedCounts {
  /** Both yes (right; unsafe). */
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
}

/**
 * A − B on the items both runs have a value for (n pairs): a difference of proportions (−1…1) with Newcombe's
 * paired interval and McNemar's exact p, or a difference of mean ratings with a paired-bootstrap interval and
 * p. `pHolm` is p after Holm's correction across the slices of the comparison (or the cells of the table).
 */
export interface PairedDifference {
  value: number | null;
  low: number | null;
  high: number | null;
  n: number;
  /** Each run's own value on the paired items. */
  a: number | null;
  b: number | null;
  p: number | null;
  pHolm: number | null;
  test: 'mcnemar-exact' | 'paired-bootstrap';
  interval: 'newcombe' | 'bootstrap';
  source: FigureSource;
  smallSample: boolean;
  /** The paired 2×2 counts (proportions only). */
  counts: PairedCounts | null;
}

export const comparedMetrics = [
  'accuracy',
  'ratedCorrectness',
  'culturalAlignment',
  'languageQuality',
  'unsafeRate',
  'overRefusalRate',
] as const;
export type ComparedMetric = (typeof comparedMetrics)[number];

/** One slice of a comparison: overall (`*`, `*`), a language (`ko`, `*`) or a category (`*`, `history`). */
export interface ComparisonSlice {
  language: string;
  category: string;
  differences: Record<ComparedMetric, PairedDifference>;
}

export interface RunComparison {
  releaseId: number;
  releaseVersion: string;
  seed: number;
  resamples: number;
  a: { runId: number; modelName: string };
  b: { runId: number; modelName: string };
  slices: ComparisonSlice[];
}

/** GET /api/reports/headline */
export const headlineQuerySchema = z.object({ release: z.coerce.number().int().positive() });

/** One figure of the headline table, tested against the best non-sovereign model on the same items. */
export interface HeadlineFigure extends Figure {
  /** This row is that best non-sovereign model (nothing to test). */
  reference: boolean;
  /** The test against the best non-sovereign model; null for the reference itself or without one. */
  versus: {
    runId: number;
    modelName: string;
    /** This model − that model, on the items both answered (rated). */
    difference: number | null;
    n: number;
    p: number | null;
    /** After Holm's correction across every test of the table. */
    pHolm: number | null;
  } | null;
}

export interface HeadlineRow {
  runId: number;
  modelId: number;
  modelName: string;
  country: string | null;
  sovereign: boolean;
  /** The language of the model's country (docs/scoring.md, "Home language"); null when unknown. */
  homeLanguage: string | null;
  /** Culture items, automatically scored, in the home language / in English. */
  homeAccuracy: HeadlineFigure;
  englishAccuracy: HeadlineFigure;
  /** Rated safety items in the home language. */
  unsafeRate: HeadlineFigure;
  overRefusalRate: HeadlineFigure;
}

export interface HeadlineTable {
  releaseId: number;
  releaseVersion: string;
  /** Sovereign models first, then by country, then by name. */
  rows: HeadlineRow[];
}
