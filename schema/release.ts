import parseSemver from 'semver/functions/parse.js';
import { z } from 'zod';
import { languageTag, text } from './common.ts';
import { datasetSlugSchema } from './dataset.ts';
import {
  difficulties,
  expectedBehaviors,
  itemFieldsSchema,
  itemFormats,
  itemKinds,
  itemMetadataSchema,
  itemOriginSchema,
  itemSplits,
  type ItemSplit,
  licenseIdSchema,
  LIMITS,
  type ItemOrigin,
} from './item.ts';

/** Whether `version` is a semantic version (https://semver.org) written as the spec writes it: no "v", no spaces. */
export function isSemver(version: string): boolean {
  const v = parseSemver(version);
  return v !== null && (v.build.length === 0 ? v.version : `${v.version}+${v.build.join('.')}`) === version;
}

/** Semantic version, https://semver.org (no leading "v"), parsed by the `semver` package. */
export const semverSchema = z
  .string()
  .max(100)
  .refine(isSemver, { message: 'Use a semantic version such as 1.2.0', params: { code: 'invalid-version' } });

/** The stable id of an item (items.uid); it never changes across edits and releases. */
export const itemUidSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, { message: 'Not an item uid' });

export const resolutions = ['unanimous', 'adjudicated'] as const;
export type Resolution = (typeof resolutions)[number];

/** How an item came to be accepted: the annotation figures that travel with it into a release. */
export const releaseAnnotationSchema = z.strictObject({
  /** Independent validations the item received. */
  validations: z.int().min(0).max(1_000),
  /** Per-item agreement (e.g. Krippendorff's α), or null when it cannot be computed. */
  agreement: z.number().min(-1).max(1).nullable(),
  resolution: z.enum(resolutions).nullable(),
});
export type ReleaseAnnotation = z.infer<typeof releaseAnnotationSchema>;

/** An item as frozen into a release: its authored fields plus its stable id. Other keys are dropped. */
export const releaseItemFieldsSchema = itemFieldsSchema.extend({
  uid: itemUidSchema,
  // Absent from snapshots frozen before migration 017: null then.
  context: text(LIMITS.context).nullable().default(null),
  metadata: itemMetadataSchema.nullable().default(null),
  origin: itemOriginSchema.nullable().default(null),
  license: licenseIdSchema.nullable().default(null),
  // Absent from snapshots frozen before migration 018 (every item was in `test` then) and from items built
  // by hand: `test` then.
  split: z.enum(itemSplits).optional(),
});
export type ReleaseItemFields = z.infer<typeof releaseItemFieldsSchema>;

export const releaseItemSchema = z.strictObject({
  item: releaseItemFieldsSchema,
  annotation: releaseAnnotationSchema,
});
export type ReleaseItem = z.infer<typeof releaseItemSchema>;

/**
 * Everything the release writers need, and nothing they would have to look up: the writers are pure,
 * so the same snapshot always gives the same bytes. Dates come from here, never from the clock.
 */
export const releaseSnapshotSchema = z.strictObject({
  dataset: z.strictObject({
    slug: datasetSlugSchema,
    name: text(200),
    description: text(10_000),
    /** A Hugging Face license id, e.g. `cc-by-4.0`, `cc-by-sa-4.0`, `apache-2.0`, `other`. */
    license: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9][a-z0-9.+-]*$/, { message: 'Use a license id such as cc-by-4.0' }),
    /** Where the dataset lives (Hugging Face page, project site), if anywhere yet. */
    url: z
      .url({ protocol: /^https?$/ })
      .max(2_000)
      .nullable(),
  }),
  version: semverSchema,
  /** Release date, YYYY-MM-DD. */
  releasedAt: z.iso.date(),
  items: z.array(releaseItemSchema),
});
export type ReleaseSnapshot = z.infer<typeof releaseSnapshotSchema>;

/**
 * One record of the canonical dataset format: one line of `data/<language>/test.jsonl`.
 * schema/dataset-record.schema.json is the published contract; this interface mirrors it, and
 * `datasetRecordKeys` fixes the key order of every serialised record.
 */
export interface DatasetRecord {
  id: string;
  language: string;
  locale: { country: string; region: string | null };
  kind: (typeof itemKinds)[number];
  format: (typeof itemFormats)[number];
  question: string;
  question_en: string | null;
  /** The passage the question refers to, or null. */
  context: string | null;
  /** Multiple choice only; otherwise null. */
  choices: string[] | null;
  /** Multiple choice only: 0-based index into `choices`. */
  answer_index: number | null;
  /** True/false only. */
  answer: boolean | null;
  reference_answer: string | null;
  answer_en: string | null;
  /** Short answer only: every accepted variant. */
  accepted_answers: string[] | null;
  rationale: string | null;
  sources: { url: string; title: string }[];
  category: string | null;
  tags: string[];
  difficulty: (typeof difficulties)[number] | null;
  safety: {
    hazard: string;
    attack_style: string;
    expected_behavior: (typeof expectedBehaviors)[number];
  } | null;
  /** Where an imported third-party item comes from (benchmark, file, row, id there), or null. */
  origin: ItemOrigin | null;
  /** The licence of this record: the item's own (a third-party source's), else the release's. */
  license: string;
  /** The source's fields that no other key holds, as the text of a JSON object; null when there are none. */
  metadata: string | null;
  annotation: ReleaseAnnotation;
  release: string;
  /** The split the record is in: `test`, or `dev` for a few-shot exemplar (data/<language>/dev.jsonl). */
  split: ItemSplit;
}

export const datasetRecordKeys = [
  'id',
  'language',
  'locale',
  'kind',
  'format',
  'question',
  'question_en',
  'context',
  'choices',
  'answer_index',
  'answer',
  'reference_answer',
  'answer_en',
  'accepted_answers',
  'rationale',
  'sources',
  'category',
  'tags',
  'difficulty',
  'safety',
  'origin',
  'license',
  'metadata',
  'annotation',
  'release',
  'split',
] as const satisfies readonly (keyof DatasetRecord)[];

/** A previous release as the changelog needs it: its version and its records (e.g. read back from its JSONL). */
export interface PreviousRelease {
  version: string;
  records: DatasetRecord[];
}

/** One file of a release: a path relative to the release root and its exact bytes. */
export interface ReleaseFile {
  path: string;
  bytes: Uint8Array;
}

// --- Releases as the API serves them (POST /api/releases and friends) ---

const categoryId = z
  .string()
  .max(200)
  .regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/, { message: 'Not a taxonomy node id' });

/** Item statuses a release takes: accepted only, or (pre-release) everything submitted and not turned down. */
export const releasableStatuses = ['accepted'] as const;
export const preReleaseStatuses = ['submitted', 'in_validation', 'in_review', 'accepted'] as const;

/** Which items go into a release. Empty lists mean "all"; a category includes everything under it. */
export const releaseFilterSchema = z.strictObject({
  languages: z.array(languageTag).max(200).default([]),
  kinds: z.array(z.enum(itemKinds)).max(2).default([]),
  categories: z.array(categoryId).max(200).default([]),
  /** Also take submitted items not yet accepted; only for a pre-release version (1.0.0-rc.1). */
  includeSubmitted: z.boolean().default(false),
});
export type ReleaseFilter = z.infer<typeof releaseFilterSchema>;

/** Whether a semver carries a pre-release tag (`1.0.0-rc.1`; build metadata alone is not one). */
export const isPreRelease = (version: string) => (parseSemver(version)?.prerelease.length ?? 0) > 0;

const licenseId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9.+-]*$/, { message: 'Use a license id such as cc-by-4.0' });

/** POST /api/releases */
export const createReleaseSchema = z
  .strictObject({
    datasetId: z.int().positive(),
    version: semverSchema,
    title: text(200).refine((s) => s.trim().length > 0, { message: 'Give the release a title' }),
    notes: text(20_000).default(''),
    filter: releaseFilterSchema.default({
      languages: [],
      kinds: [],
      categories: [],
      includeSubmitted: false,
    }),
    license: licenseId.default('cc-by-4.0'),
    /**
     * The maintainer confirms publishing under `license` although some items carry a share-alike licence that
     * asks for the same one (without it such a release is refused with 409 license-conflict).
     */
    confirmLicense: z.boolean().optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2_000)
      .nullable()
      .default(null),
    /** Also publish the model trials of the release's items ("Try on models") as trials.jsonl. */
    includeTrials: z.boolean().optional(),
  })
  .refine((r) => !r.filter.includeSubmitted || isPreRelease(r.version), {
    message: 'A release with submitted items must be a pre-release, e.g. 1.0.0-rc.1',
    path: ['version'],
  });
export type CreateReleaseInput = z.infer<typeof createReleaseSchema>;
export type CreateReleaseRequest = z.input<typeof createReleaseSchema>;

/** POST /api/releases/preview: what a filter would take, before cutting the release. */
export const releasePreviewSchema = z.strictObject({
  datasetId: z.int().positive(),
  filter: releaseFilterSchema.default({ languages: [], kinds: [], categories: [], includeSubmitted: false }),
});
export type ReleasePreviewInput = z.infer<typeof releasePreviewSchema>;

/** POST /api/releases/preview/changes: how the items a filter takes differ from the release they would follow. */
export const releaseChangesQuerySchema = releasePreviewSchema.extend({
  /** The version about to be cut; without it, the selection is compared with the latest published release. */
  version: semverSchema.optional(),
  /** The licence the release would carry (records without their own carry it); default: the previous release's. */
  license: licenseId.optional(),
});
export type ReleaseChangesQuery = z.infer<typeof releaseChangesQuerySchema>;

/** What CHANGELOG.md would count against the previous release: items added, removed and changed. */
export interface ReleaseChanges {
  /** The release compared with: the greatest published version below the new one; null for a first release. */
  previousVersion: string | null;
  added: number;
  removed: number;
  changed: number;
}

/** Item counts by language × category (safety items count under `safety:<hazard>`), for tables and charts. */
export interface ReleaseCounts {
  total: number;
  languages: string[];
  categories: string[];
  /** [language, category, count], sorted. */
  cells: [string, string, number][];
}

export interface ReleaseFileEntry {
  path: string;
  size: number;
  sha256: string;
}

export const releaseStates = ['building', 'published', 'failed'] as const;
export type ReleaseState = (typeof releaseStates)[number];

export interface Release {
  id: number;
  datasetId: number;
  version: string;
  title: string;
  notes: string;
  filter: ReleaseFilter;
  license: string;
  url: string | null;
  releasedAt: string;
  previousVersion: string | null;
  itemCount: number;
  counts: ReleaseCounts;
  state: ReleaseState;
  files: ReleaseFileEntry[];
  archive: { name: string; size: number; sha256: string } | null;
  error: string | null;
  /** Why the last build failed, as the API error would have said it (e.g. `incomplete-items`); null otherwise. */
  errorCode: string | null;
  /** The details of that error (e.g. the incomplete items); null otherwise. */
  errorDetails: unknown;
  /** While building: the phase (`snapshot`, `files`, `archive`, `publish`) and how far it is. */
  progress: ReleaseProgress | null;
  createdBy: number;
  createdAt: string;
  publishedAt: string | null;
  /** Whether its files carry the model trials of its items (`trials.jsonl`; off unless the maintainer asks). */
  includeTrials: boolean;
}

/** How far a release build is: `done` of `total` items (snapshot, files) or files (archive). */
export interface ReleaseProgress {
  phase: 'queued' | 'snapshot' | 'files' | 'archive' | 'publish';
  done: number;
  total: number | null;
}
