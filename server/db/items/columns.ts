import {
  itemFieldNames,
  type Item,
  type ItemFieldName,
  type ItemFormat,
  type ItemKind,
  type ItemSplit,
  type ItemStatus,
  type ItemSummary,
} from '../../../schema/item.ts';
import type { Db } from '../connection.ts';

export type SqlValue = string | number | null;

/** Fields stored as JSON text (metadata and origin may be NULL). */
export const JSON_FIELDS = new Set<ItemFieldName>([
  'acceptedAnswers',
  'options',
  'sources',
  'secondaryTags',
  'metadata',
  'origin',
]);
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** field name → column name; field names come from the schema, never from the request. */
export const COLUMN = Object.fromEntries(itemFieldNames.map((f) => [f, snake(f)])) as Record<
  ItemFieldName,
  string
>;

export const encodeField = (field: ItemFieldName, value: unknown): SqlValue => {
  if (JSON_FIELDS.has(field)) return value === null ? null : JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as SqlValue;
};

/** An item row as read, with its author's name. */
export interface ItemRow {
  id: number;
  uid: string;
  dataset_id: number;
  external_id: string | null;
  language: string;
  country: string | null;
  region: string | null;
  kind: ItemKind;
  format: ItemFormat;
  status: ItemStatus;
  question: string;
  question_en: string | null;
  reference_answer: string | null;
  answer_en: string | null;
  accepted_answers: string;
  options: string;
  correct_index: number | null;
  true_false_answer: number | null;
  rationale: string | null;
  sources: string;
  primary_category: string | null;
  secondary_tags: string;
  difficulty: Item['difficulty'];
  hazard: string | null;
  attack_style: string | null;
  expected_behavior: Item['expectedBehavior'];
  notes: string | null;
  context: string | null;
  metadata: string | null;
  origin: string | null;
  license: string | null;
  author_id: number;
  author_name: string;
  version: number;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  split: ItemSplit;
}

export const toItem = (r: ItemRow): Item => ({
  id: r.id,
  uid: r.uid,
  datasetId: r.dataset_id,
  externalId: r.external_id,
  language: r.language,
  country: r.country,
  region: r.region,
  kind: r.kind,
  format: r.format,
  status: r.status,
  question: r.question,
  questionEn: r.question_en,
  referenceAnswer: r.reference_answer,
  answerEn: r.answer_en,
  acceptedAnswers: JSON.parse(r.accepted_answers) as string[],
  options: JSON.parse(r.options) as string[],
  correctIndex: r.correct_index,
  trueFalseAnswer: r.true_false_answer === null ? null : r.true_false_answer === 1,
  rationale: r.rationale,
  sources: JSON.parse(r.sources) as Item['sources'],
  primaryCategory: r.primary_category,
  secondaryTags: JSON.parse(r.secondary_tags) as string[],
  difficulty: r.difficulty,
  hazard: r.hazard,
  attackStyle: r.attack_style,
  expectedBehavior: r.expected_behavior,
  notes: r.notes,
  context: r.context,
  metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Item['metadata']),
  origin: r.origin === null ? null : (JSON.parse(r.origin) as Item['origin']),
  license: r.license,
  authorId: r.author_id,
  authorName: r.author_name,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  submittedAt: r.submitted_at,
  split: r.split,
});

export type SummaryRow = Pick<
  ItemRow,
  | 'id'
  | 'uid'
  | 'dataset_id'
  | 'language'
  | 'country'
  | 'kind'
  | 'format'
  | 'status'
  | 'question'
  | 'question_en'
  | 'primary_category'
  | 'hazard'
  | 'author_id'
  | 'author_name'
  | 'version'
  | 'updated_at'
>;

export const SUMMARY_COLUMNS = `i.id, i.uid, i.dataset_id, i.language, i.country, i.kind, i.format, i.status, i.question,
  i.question_en, i.primary_category, i.hazard, i.author_id, u.display_name AS author_name, i.version, i.updated_at`;

export const toSummary = (r: SummaryRow): ItemSummary => ({
  id: r.id,
  uid: r.uid,
  datasetId: r.dataset_id,
  language: r.language,
  country: r.country,
  kind: r.kind,
  format: r.format,
  status: r.status,
  question: r.question,
  questionEn: r.question_en,
  primaryCategory: r.primary_category,
  hazard: r.hazard,
  authorId: r.author_id,
  authorName: r.author_name,
  version: r.version,
  updatedAt: r.updated_at,
});

/** Dynamic SQL (filters, changed columns) is prepared once per distinct shape. */
export function statementCache(db: Db) {
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  return (sql: string) => {
    let s = statements.get(sql);
    if (!s) {
      if (statements.size > 500) statements.clear();
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };
}
