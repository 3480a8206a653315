import { z } from 'zod';
import { itemFieldNames, type ItemFieldName } from './item.ts';

/** What a column can feed: an authored item field, or the external id that makes re-imports idempotent. */
export const importFieldNames = ['externalId', ...itemFieldNames] as const;
export type ImportField = 'externalId' | ItemFieldName;
export const importFieldSchema = z.enum(importFieldNames as unknown as [ImportField, ...ImportField[]]);

/** Fields an import cannot do without: each needs a column or a default. */
export const requiredImportFields = ['language', 'kind', 'format', 'question'] as const;

/**
 * How the correct option of a multiple-choice item is written in the file: a 0-based index (INCLUDE),
 * a 1-based index (KMMLU), a letter A–F, or the text of the correct option (CLIcK).
 */
export const answerEncodings = ['index0', 'index1', 'letter', 'text'] as const;
export type AnswerEncoding = (typeof answerEncodings)[number];

const columnName = z.string().min(1).max(200);
const defaultValue = z.union([
  z.string().max(2_000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(2_000)).max(50),
]);

/**
 * A column mapping. `columns` maps a column (a CSV header, or a JSONL key; `a.b` reaches into an object)
 * to the field it feeds; several columns may feed one list field (options A, B, C, D). `defaults` fill
 * fields the file leaves blank; `values` rewrite cell values per field (e.g. BLEnD topics → categories).
 */
export const importMappingSchema = z.strictObject({
  columns: z.record(columnName, importFieldSchema),
  defaults: z.partialRecord(importFieldSchema, defaultValue).default({}),
  values: z.partialRecord(importFieldSchema, z.record(z.string().max(500), z.string().max(500))).default({}),
  answer: z.enum(answerEncodings).default('index0'),
  /**
   * A value `values` does not list: `keep` it as written, or take the field's default instead (`default`: a
   * benchmark's own subject names, such as INCLUDE's, fall to the category the maintainer gives; the name itself
   * stays in metadata).
   */
  unlistedValues: z.enum(['keep', 'default']).default('keep'),
  /** Separates the values of a list field in one text cell (when the cell is not a JSON array). */
  listSeparator: z.string().min(1).max(5).default('|'),
  /**
   * Columns kept as they are in the item's `metadata` object, under their own names, whether or not they also
   * feed a field (INCLUDE's `language` "Korean" becomes `ko` and stays "Korean" in metadata).
   */
  metadata: z.array(columnName).max(100).default([]),
  /** Also keep every column that no mapping names in `metadata`: nothing of the source is lost. */
  keepOtherColumns: z.boolean().default(false),
  /**
   * The third-party benchmark the file comes from: each item then records its origin (benchmark, file, row,
   * id in the source) and carries the source's licence (`defaults.license`).
   */
  benchmark: z.string().min(1).max(100).nullable().default(null),
});
export type ImportMapping = z.infer<typeof importMappingSchema>;
export type ImportMappingInput = z.input<typeof importMappingSchema>;

export const importPresetNames = ['native', 'release', 'blend', 'click', 'kmmlu', 'include'] as const;
export type ImportPresetName = (typeof importPresetNames)[number];

export interface ImportPreset {
  name: ImportPresetName;
  description: string;
  mapping: ImportMapping;
}

/** CSV, JSON Lines, or one JSON document holding an array of records (BLEnD's and CLIcK's files). */
export const importFormats = ['csv', 'jsonl', 'json'] as const;
export type ImportFormat = (typeof importFormats)[number];

/** Statuses an import may give its items: `accepted` is for already-validated public benchmarks. */
export const importItemStatuses = ['submitted', 'accepted'] as const;

/** POST /api/imports: what the next upload is and how to read it. Without preset or mapping, `native`. */
export const createImportSchema = z
  .strictObject({
    datasetId: z.int().positive(),
    format: z.enum(importFormats),
    preset: z.enum(importPresetNames).optional(),
    mapping: importMappingSchema.optional(),
    /** Laid over the preset's or mapping's defaults. */
    defaults: z.partialRecord(importFieldSchema, defaultValue).optional(),
    dryRun: z.boolean().default(true),
    status: z.enum(importItemStatuses).default('submitted'),
    fileName: z
      .string()
      .max(255)
      .transform((s) => s.normalize('NFC'))
      .default('upload'),
  })
  .refine((v) => !(v.preset && v.mapping), {
    message: 'Give a preset or a mapping, not both',
    path: ['mapping'],
  });
export type CreateImportInput = z.infer<typeof createImportSchema>;
export type CreateImportRequest = z.input<typeof createImportSchema>;

export interface ImportIssue {
  /** 1-based data row (the header is not a row); null for a problem with the whole file. */
  row: number | null;
  /** 1-based line of the file where the row starts. */
  line: number | null;
  column: string | null;
  field: string | null;
  code: string;
  message: string;
}

export const importStates = ['waiting', 'reading', 'writing', 'checked', 'imported', 'failed'] as const;
export type ImportState = (typeof importStates)[number];

export interface ImportJob {
  id: number;
  datasetId: number;
  userId: number;
  fileName: string;
  format: ImportFormat;
  dryRun: boolean;
  status: (typeof importItemStatuses)[number];
  preset: ImportPresetName | null;
  /** waiting for the file → reading (parse + check) → writing → checked (dry run) | imported | failed. */
  state: ImportState;
  bytesTotal: number | null;
  bytesRead: number;
  rowsTotal: number | null;
  rowsProcessed: number;
  errorCount: number;
  /** The first MAX_REPORTED_ISSUES problems; errorCount counts them all. */
  errors: ImportIssue[];
  /** Items created, updated, or found identical (for a dry run: what a real import would do). */
  created: number;
  updated: number;
  unchanged: number;
  createdAt: string;
  finishedAt: string | null;
}

export const MAX_REPORTED_ISSUES = 1000;
/** The largest file an import reads. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

/** GET /api/imports query string. */
export const importListQuerySchema = z.object({
  dataset: z.coerce.number().int().positive().optional(),
});
