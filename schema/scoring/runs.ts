import { z } from 'zod';
import { text } from '../common.ts';

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
