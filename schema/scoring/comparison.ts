import { z } from 'zod';
import { type Figure, type FigureSource, reportQuerySchema } from './report.ts';

// Paired comparison and the headline table (docs/scoring.md, "Paired comparisons").

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
