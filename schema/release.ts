import { z } from 'zod';
import { text } from './common.ts';
import { datasetSlugSchema } from './dataset.ts';
import { difficulties, expectedBehaviors, itemFieldsSchema, itemFormats, itemKinds } from './item.ts';

/** Semantic version, https://semver.org (no leading "v"). */
export const semverSchema = z
  .string()
  .max(100)
  .regex(
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/,
    { message: 'Use a semantic version such as 1.2.0' },
  );

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
export const releaseItemFieldsSchema = itemFieldsSchema.extend({ uid: itemUidSchema });
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
  annotation: ReleaseAnnotation;
  release: string;
}

export const datasetRecordKeys = [
  'id',
  'language',
  'locale',
  'kind',
  'format',
  'question',
  'question_en',
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
  'annotation',
  'release',
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
