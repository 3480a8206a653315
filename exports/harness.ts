import type { ItemSplit } from '../schema/item.ts';
import type { DatasetRecord, ReleaseFile, ReleaseSnapshot } from '../schema/release.ts';
import { encodeLines, jsonlLine } from './jsonl.ts';
import { lmEvalFiles } from './lm-eval.ts';
import { recordsByLanguage } from './record.ts';

/** The source's own fields that an import kept (docs/import.md), or {} when the record has none. */
function sourceFields(r: DatasetRecord): Record<string, unknown> {
  if (!r.metadata) return {};
  const value = JSON.parse(r.metadata) as unknown;
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

const textOr = (value: unknown, fallback: string | null): string | null =>
  typeof value === 'string' ? value : fallback;

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

const named = (names: Intl.DisplayNames, cache: Map<string, string>, code: string) => {
  let name = cache.get(code);
  if (name === undefined) cache.set(code, (name = names.of(code) ?? code));
  return name;
};
const languageCache = new Map<string, string>();
const countryCache = new Map<string, string>();

/** A language as INCLUDE writes it: the English name of its primary language ("Korean" for ko-KR). */
export const languageName = (tag: string): string => named(languageNames, languageCache, tag.split('-')[0]);

/** A country as INCLUDE writes it: its English name ("South Korea" for KR). */
export const countryName = (code: string): string => named(regionNames, countryCache, code);

/**
 * The question as a view writes it: neither INCLUDE nor BLEnD has a passage field, so an item's passage (`context`)
 * goes before its question, a blank line between, as a model must read it (the same as model-run prompts).
 */
const withContext = (r: DatasetRecord): string => (r.context ? `${r.context}\n\n${r.question}` : r.question);

/** INCLUDE's items have exactly four options (option_a…option_d): only such items fit its shape. */
export const INCLUDE_OPTIONS = 4;

/**
 * A multiple-choice record in the shape of INCLUDE (CohereForAI/include-base-44): its twelve fields, in its
 * order and with its types — `language` and `country` as English names, `answer` the 0-based index of the
 * correct option. Fields an INCLUDE import kept (metadata) are written back as they were; for other items
 * `domain` is the top of the category path, `subject` the category, and `regional_feature` and `level`
 * (INCLUDE's own labels, which Culture Studio does not collect) are null.
 */
export function includeRecord(r: DatasetRecord) {
  const kept = sourceFields(r);
  const [a, b, c, d] = r.choices ?? [];
  return {
    language: textOr(kept.language, languageName(r.language)),
    country: textOr(kept.country, countryName(r.locale.country)),
    domain: textOr(kept.domain, r.category?.split('/')[0] ?? null),
    subject: textOr(kept.subject, r.category),
    regional_feature: textOr(kept.regional_feature, null),
    level: textOr(kept.level, null),
    question: withContext(r),
    option_a: a ?? null,
    option_b: b ?? null,
    option_c: c ?? null,
    option_d: d ?? null,
    answer: r.answer_index ?? 0,
  };
}

interface BlendAnnotation {
  answers: string[];
  en_answers: string[];
  count: number;
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A BLEnD import's annotation groups (with how many annotators gave each), if they are well formed. */
function keptAnnotations(value: unknown): BlendAnnotation[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const groups: BlendAnnotation[] = [];
  for (const g of value as unknown[]) {
    if (g === null || typeof g !== 'object') return null;
    const { answers, en_answers, count } = g as Record<string, unknown>;
    if (!isStringList(answers) || !isStringList(en_answers) || !Number.isInteger(count)) return null;
    groups.push({ answers, en_answers, count: count as number });
  }
  return groups;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  new Set(a).size === new Set(b).size && a.every((x) => b.includes(x));

/**
 * A short-answer record in the shape of BLEnD's annotation records (nayeon212/BLEnD): `ID`, `question`,
 * `en_question`, `annotations: [{answers, en_answers, count}]` and `idks`. A BLEnD import's groups and
 * idks (kept in metadata) are written back as they were while the accepted answers are still exactly
 * theirs; otherwise one group holds every accepted variant, its English gloss, and `count` = the item's
 * independent validations (each validator accepted the set), and `idks` are 0 (validators in Culture
 * Studio cannot answer "I don't know").
 */
export function blendRecord(r: DatasetRecord) {
  const kept = sourceFields(r);
  const accepted = r.accepted_answers ?? [];
  const groups = keptAnnotations(kept.annotations);
  const annotations: BlendAnnotation[] =
    groups &&
    sameSet(
      groups.flatMap((g) => g.answers),
      accepted,
    )
      ? groups
      : [
          {
            answers: accepted,
            en_answers: r.answer_en === null ? [] : [r.answer_en],
            count: r.annotation.validations,
          },
        ];
  const idks =
    groups === annotations && kept.idks !== null && typeof kept.idks === 'object'
      ? kept.idks
      : { idk: 0, 'no-answer': 0, 'not-applicable': 0 };
  return { ID: r.id, question: withContext(r), en_question: r.question_en, annotations, idks };
}

const isMcq = (r: DatasetRecord) =>
  r.kind === 'culture' && r.format === 'multiple_choice' && r.choices?.length === INCLUDE_OPTIONS;
const isShortAnswer = (r: DatasetRecord) => r.kind === 'culture' && r.format === 'short_answer';
/** A view file: `harness/<view>/<language>.jsonl` for the test split, `….dev.jsonl` for the few-shot exemplars. */
const viewPath = (view: HarnessView['view'], language: string, split: ItemSplit = 'test') =>
  `harness/${view}/${language}${split === 'test' ? '' : `.${split}`}.jsonl`;
const mcqPath = (language: string, split?: ItemSplit) => viewPath('mcq', language, split);
const shortAnswerPath = (language: string, split?: ItemSplit) => viewPath('short_answer', language, split);

/**
 * The harness view file a record has a row in (culture short-answer items, and culture multiple-choice
 * items with INCLUDE's four options), or null.
 */
export function harnessViewPath(r: DatasetRecord): string | null {
  return isMcq(r)
    ? mcqPath(r.language, r.split)
    : isShortAnswer(r)
      ? shortAnswerPath(r.language, r.split)
      : null;
}

/** The record's row in its harness view file (see harnessViewPath), or null. */
export function harnessViewRow(r: DatasetRecord): object | null {
  return isMcq(r) ? includeRecord(r) : isShortAnswer(r) ? blendRecord(r) : null;
}

/** A harness view file: its view, language and path. */
export interface HarnessView {
  view: 'mcq' | 'short_answer';
  language: string;
  path: string;
  /** The view file of the language's few-shot exemplars (the `dev` split), if it has any: the tasks' fewshot_split. */
  devPath?: string | null;
}

/** The view a harness file path names (harness/mcq/<language>.jsonl, harness/short_answer/…), or null. */
export function harnessViewOf(path: string): HarnessView | null {
  const m = /^harness\/(mcq|short_answer)\/([^/.]+)\.jsonl$/.exec(path);
  return m ? { view: m[1] as HarnessView['view'], language: m[2], path } : null;
}

/**
 * harness/: the INCLUDE-shaped multiple-choice view and the BLEnD-shaped short-answer view per language
 * (culture items of those shapes only), and the lm-evaluation-harness tasks over them (lm-eval.ts).
 */
export function harnessFiles(snapshot: ReleaseSnapshot, records: readonly DatasetRecord[]): ReleaseFile[] {
  const files: ReleaseFile[] = [];
  const views: HarnessView[] = [];
  for (const [language, rows] of recordsByLanguage(records)) {
    const shapes = [
      { view: 'mcq' as const, fits: isMcq, row: includeRecord },
      { view: 'short_answer' as const, fits: isShortAnswer, row: blendRecord },
    ];
    for (const { view, fits, row } of shapes) {
      const test = rows.filter((r) => fits(r) && r.split !== 'dev');
      const dev = rows.filter((r) => fits(r) && r.split === 'dev');
      const devPath = dev.length > 0 ? viewPath(view, language, 'dev') : null;
      if (devPath) files.push({ path: devPath, bytes: encodeLines(dev.map((r) => jsonlLine(row(r)))) });
      if (test.length === 0) continue;
      const path = viewPath(view, language);
      files.push({ path, bytes: encodeLines(test.map((r) => jsonlLine(row(r)))) });
      views.push({ view, language, path, devPath });
    }
  }
  return [...files, ...lmEvalFiles(snapshot, views)];
}
