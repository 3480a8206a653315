import { z } from 'zod';
import { countryCode, holdsNul, languageFilter, languageTag, noNul, text } from './common.ts';

export const itemKinds = ['culture', 'safety'] as const;
export const itemFormats = ['open_ended', 'short_answer', 'multiple_choice', 'true_false'] as const;
/**
 * The whole lifecycle, designed now although validation and review arrive later:
 * draft → submitted → in_validation → (accepted | in_review) → accepted | rejected | needs_revision;
 * needs_revision goes back to the author, who resubmits.
 */
export const itemStatuses = [
  'draft',
  'submitted',
  'in_validation',
  'in_review',
  'accepted',
  'rejected',
  'needs_revision',
] as const;
export const difficulties = ['easy', 'medium', 'hard'] as const;
export const expectedBehaviors = ['refuse', 'safe_complete', 'comply'] as const;

export type ItemKind = (typeof itemKinds)[number];
export type ItemFormat = (typeof itemFormats)[number];
export type ItemStatus = (typeof itemStatuses)[number];

/**
 * The release split an item goes to: `test` (the default: what models are scored on) or `dev` (a few-shot
 * exemplar, marked by a maintainer; lm-eval tasks take their examples from it). Migration 018.
 */
export const itemSplits = ['test', 'dev'] as const;
export type ItemSplit = (typeof itemSplits)[number];
/** PUT /api/items/:id/split */
export const itemSplitInputSchema = z.strictObject({ split: z.enum(itemSplits) });

/** Statuses in which the author may still edit the item. */
export const editableStatuses: readonly ItemStatus[] = ['draft', 'needs_revision'];

export const LIMITS = {
  question: 10_000,
  answer: 20_000,
  shortText: 2_000,
  notes: 20_000,
  listLength: 50,
  minOptions: 2,
  maxOptions: 6,
  sources: 20,
  region: 100,
  context: 20_000,
  /** The item's `metadata` object as JSON text. */
  metadata: 100_000,
} as const;

const taxonomyNodeId = z
  .string()
  .max(200)
  .regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/, { message: 'Not a taxonomy node id' });

export const sourceSchema = z.object({
  url: z.url({ protocol: /^https?$/, message: 'Use an http(s) URL' }).max(2_000),
  title: text(LIMITS.shortText),
});
export type Source = z.infer<typeof sourceSchema>;

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

/** A Hugging Face license id, e.g. `cc-by-4.0`, `cc-by-sa-4.0`, `apache-2.0`, `other`. */
export const licenseIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9.+-]*$/, { message: 'Use a license id such as cc-by-4.0' });

/**
 * Fields of a third-party source that no item field holds, kept as they were (e.g. KMMLU's `Human Accuracy`,
 * BLEnD's `annotations` with their counts and `idks`): a JSON object, exported with the item's record.
 */
export const itemMetadataSchema = z
  .record(z.string().min(1).max(200), z.json())
  .refine((m) => JSON.stringify(m).length <= LIMITS.metadata, {
    message: `At most ${LIMITS.metadata} characters of JSON`,
  })
  .refine((m) => !holdsNul(m), noNul());
export type ItemMetadata = z.infer<typeof itemMetadataSchema>;

/** Where an imported third-party item comes from: the benchmark, the file and row it was read from, its id there. */
export const itemOriginSchema = z.strictObject({
  benchmark: text(100),
  file: text(255),
  row: z.int().min(1),
  id: text(200).nullable(),
});
export type ItemOrigin = z.infer<typeof itemOriginSchema>;

/** Every field an author edits. Drafts may hold any subset; completeness is checked on submit. */
export const itemFieldsSchema = z.object({
  language: languageTag,
  country: nullable(countryCode),
  region: nullable(text(LIMITS.region)),
  kind: z.enum(itemKinds),
  format: z.enum(itemFormats),
  question: text(LIMITS.question),
  questionEn: nullable(text(LIMITS.question)),
  referenceAnswer: nullable(text(LIMITS.answer)),
  answerEn: nullable(text(LIMITS.answer)),
  acceptedAnswers: z.array(text(LIMITS.shortText)).max(LIMITS.listLength),
  options: z.array(text(LIMITS.shortText)).max(LIMITS.maxOptions),
  correctIndex: nullable(
    z
      .int()
      .min(0)
      .max(LIMITS.maxOptions - 1),
  ),
  trueFalseAnswer: nullable(z.boolean()),
  rationale: nullable(text(LIMITS.answer)),
  sources: z.array(sourceSchema).max(LIMITS.sources),
  primaryCategory: nullable(taxonomyNodeId),
  secondaryTags: z.array(taxonomyNodeId).max(LIMITS.listLength),
  difficulty: nullable(z.enum(difficulties)),
  hazard: nullable(taxonomyNodeId),
  attackStyle: nullable(taxonomyNodeId),
  expectedBehavior: nullable(z.enum(expectedBehaviors)),
  notes: nullable(text(LIMITS.notes)),
  /** A passage the question refers to (reading comprehension, CLIcK's `paragraph`). */
  context: nullable(text(LIMITS.context)),
  metadata: nullable(itemMetadataSchema),
  origin: nullable(itemOriginSchema),
  /** The item's own licence (a third-party source's); null: the release's licence. */
  license: nullable(licenseIdSchema),
});
export type ItemFields = z.infer<typeof itemFieldsSchema>;
export type ItemFieldName = keyof ItemFields;
export const itemFieldNames = Object.keys(itemFieldsSchema.shape) as ItemFieldName[];

/** POST /api/items: where the item lives and what it is; any other field may follow. */
export const createItemSchema = itemFieldsSchema.partial().extend({
  datasetId: z.int().positive(),
  language: languageTag,
  kind: z.enum(itemKinds),
  format: z.enum(itemFormats),
});
export type CreateItemInput = z.infer<typeof createItemSchema>;

/** PATCH /api/items/:id: the version being edited plus the changed fields. */
export const updateItemSchema = z.strictObject({
  version: z.int().positive(),
  changes: itemFieldsSchema.partial().strict(),
});
export type UpdateItemInput = z.infer<typeof updateItemSchema>;

export const versionSchema = z.strictObject({ version: z.int().positive() });

export interface Item extends ItemFields {
  id: number;
  uid: string;
  datasetId: number;
  externalId: string | null;
  status: ItemStatus;
  authorId: number;
  authorName: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  /** The release split the item goes to (`dev`: a few-shot exemplar); set by maintainers only. */
  split: ItemSplit;
  /** Set when the answers are withheld because the caller may still validate the item. */
  answersHidden?: boolean;
}

export interface ItemRevision {
  id: number;
  itemId: number;
  version: number;
  userId: number;
  userName: string;
  action: 'create' | 'update' | 'restore' | 'submit' | 'status';
  /** field → [before, after] */
  changes: Partial<Record<ItemFieldName | 'status', [unknown, unknown]>>;
  createdAt: string;
}

export interface ItemRevisionWithSnapshot extends ItemRevision {
  snapshot: Item;
}

export const itemSorts = [
  'updated_desc',
  'updated_asc',
  'created_desc',
  'created_asc',
  'id_asc',
  'id_desc',
] as const;
export type ItemSort = (typeof itemSorts)[number];

/** GET /api/items query string. */
export const itemListQuerySchema = z.object({
  dataset: z.coerce.number().int().positive().optional(),
  language: languageFilter.optional(),
  status: z.enum(itemStatuses).optional(),
  kind: z.enum(itemKinds).optional(),
  format: z.enum(itemFormats).optional(),
  category: taxonomyNodeId.optional(),
  author: z.coerce.number().int().positive().optional(),
  /** `unsolved`: items tried on models where no automatically scored answer of the latest tried revision was right. */
  trials: z.enum(['unsolved']).optional(),
  q: z.string().max(500).optional(),
  sort: z.enum(itemSorts).default('updated_desc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ItemListQuery = z.infer<typeof itemListQuerySchema>;

export interface ItemSummary {
  id: number;
  uid: string;
  datasetId: number;
  language: string;
  country: string | null;
  kind: ItemKind;
  format: ItemFormat;
  status: ItemStatus;
  question: string;
  questionEn: string | null;
  primaryCategory: string | null;
  hazard: string | null;
  authorId: number;
  authorName: string;
  version: number;
  updatedAt: string;
  /** With a search (`q`): the fields the terms were found in. */
  matches?: SearchMatch[];
}

/** The fields a search looks in (`q` of GET /api/items), question side first. */
export const searchFields = [
  'question',
  'questionEn',
  'options',
  'notes',
  'referenceAnswer',
  'answerEn',
  'acceptedAnswers',
  'rationale',
] as const;
export type SearchField = (typeof searchFields)[number];

/**
 * Where the search terms were found in one field: its text (a window of it, with `…`, when long; list
 * fields joined by ` · `) and the ranges to mark, as [start, end) JavaScript string indexes into
 * `text`, in order and not overlapping. Plain text, never HTML.
 */
export interface SearchMatch {
  field: SearchField;
  text: string;
  ranges: [number, number][];
}

export interface ItemListPage {
  items: ItemSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /api/items/similar query string: near-duplicates of `q` in one dataset and language. */
export const similarItemsQuerySchema = z.object({
  dataset: z.coerce.number().int().positive(),
  language: languageFilter,
  q: z.string().max(LIMITS.question),
  exclude: z.coerce.number().int().positive().optional(),
});
export type SimilarItemsQuery = z.infer<typeof similarItemsQuerySchema>;

export interface SimilarItem extends ItemSummary {
  /** Trigram Jaccard similarity of the questions, 0–1. */
  similarity: number;
}

export interface SubmissionProblem {
  path: string;
  code: string;
  message: string;
}

const blank = (s: string | null | undefined) => !s || s.trim().length === 0;
const problem = (path: string, code: string, message: string): SubmissionProblem => ({ path, code, message });
/** Languages whose lowercasing differs from the default (Unicode SpecialCasing: Turkish, Azerbaijani, Lithuanian). */
const LOCALE_CASING = new Set(['tr', 'az', 'lt']);
/** `toLocaleLowerCase(language)`, without ICU's per-call cost for the languages where it is `toLowerCase`. */
function lowerCaser(language: string): (s: string) => string {
  if (!LOCALE_CASING.has(language.split('-')[0].toLowerCase())) return (s) => s.toLowerCase();
  return (s) => s.toLocaleLowerCase(language);
}

/**
 * What stops an item from being submitted, per format and kind. Shared by the editor (to show
 * the problems inline) and the server (which refuses the submit with the same list).
 */
export function submissionProblems(item: ItemFields): SubmissionProblem[] {
  // Plain loops and no closures: a release checks every one of its items (100k in well under a second).
  const problems: SubmissionProblem[] = [];
  if (blank(item.question)) problems.push(problem('question', 'required', 'Write the question'));
  if (!item.country) problems.push(problem('country', 'required', 'Choose the country this item is about'));
  switch (item.format) {
    case 'open_ended':
      if (item.kind === 'culture' && blank(item.referenceAnswer))
        problems.push(problem('referenceAnswer', 'required', 'Write the reference answer'));
      break;
    case 'short_answer': {
      const lower = lowerCaser(item.language);
      const seen = new Set<string>();
      let variants = 0;
      for (const a of item.acceptedAnswers) {
        if (blank(a)) continue;
        variants++;
        seen.add(lower(a.trim()));
      }
      if (variants === 0)
        problems.push(problem('acceptedAnswers', 'required', 'Give at least one accepted answer'));
      if (seen.size !== variants)
        problems.push(problem('acceptedAnswers', 'duplicate', 'Accepted answers must differ'));
      break;
    }
    case 'multiple_choice': {
      const n = item.options.length;
      if (n < LIMITS.minOptions || n > LIMITS.maxOptions)
        problems.push(problem('options', 'count', `Give ${LIMITS.minOptions}–${LIMITS.maxOptions} options`));
      const lower = lowerCaser(item.language);
      // Empty options are reported one by one; only written ones must differ (four blanks are not duplicates).
      const distinct = new Set<string>();
      let written = 0;
      for (let i = 0; i < n; i++) {
        const o = item.options[i];
        if (blank(o)) {
          problems.push(problem(`options.${i}`, 'required', `Option ${i + 1} is empty`));
          continue;
        }
        written++;
        distinct.add(lower(o.trim()));
      }
      if (distinct.size !== written)
        problems.push(problem('options', 'duplicate', 'Options must be distinct'));
      if (item.correctIndex === null || item.correctIndex >= n)
        problems.push(problem('correctIndex', 'required', 'Mark the correct option'));
      break;
    }
    case 'true_false':
      if (item.trueFalseAnswer === null)
        problems.push(problem('trueFalseAnswer', 'required', 'Say whether the statement is true'));
      break;
  }
  if (item.kind === 'culture') {
    if (!item.primaryCategory)
      problems.push(problem('primaryCategory', 'required', 'Choose the primary category'));
  } else {
    if (!item.hazard) problems.push(problem('hazard', 'required', 'Choose the hazard category'));
    if (!item.attackStyle) problems.push(problem('attackStyle', 'required', 'Choose the attack style'));
    if (!item.expectedBehavior)
      problems.push(problem('expectedBehavior', 'required', 'Choose the expected behaviour'));
  }
  return problems;
}

/** The empty field set for a new item of a given shape. */
export function emptyItemFields(base: Pick<ItemFields, 'language' | 'kind' | 'format'>): ItemFields {
  return {
    ...base,
    country: null,
    region: null,
    question: '',
    questionEn: null,
    referenceAnswer: null,
    answerEn: null,
    acceptedAnswers: [],
    options: base.format === 'multiple_choice' ? ['', '', '', ''] : [],
    correctIndex: null,
    trueFalseAnswer: null,
    rationale: null,
    sources: [],
    primaryCategory: null,
    secondaryTags: [],
    difficulty: null,
    hazard: null,
    attackStyle: null,
    expectedBehavior: base.kind === 'safety' ? 'refuse' : null,
    notes: null,
    context: null,
    metadata: null,
    origin: null,
    license: null,
  };
}
