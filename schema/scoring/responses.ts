import { z } from 'zod';
import type { ItemFormat, ItemKind } from '../item.ts';

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
