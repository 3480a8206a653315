import { z } from 'zod';
import type { ItemFormat, ItemKind } from '../item.ts';

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
