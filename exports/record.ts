import { submissionProblems, type ItemSplit } from '../schema/item.ts';
import type {
  DatasetRecord,
  ReleaseAnnotation,
  ReleaseItemFields,
  ReleaseSnapshot,
} from '../schema/release.ts';

/** Ids compare by UTF-16 code units, never by locale, so that every machine sorts them alike. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Optional text left blank is absent: "" and null mean the same thing in the editor. */
const orNull = (value: string | null): string | null =>
  value === null || value.trim() === '' ? null : value;

/**
 * The canonical record of an accepted item. Fields that do not apply to the item's format are null
 * (leftovers from a format change never leak into a release). Refuses an incomplete item: a release
 * holds accepted items only, and an accepted item always passes the submission checks.
 */
export function toRecord(
  item: ReleaseItemFields,
  annotation: ReleaseAnnotation,
  version: string,
  license: string,
): DatasetRecord {
  const problems = releaseProblems(item);
  if (problems.length > 0) {
    throw new Error(`Item ${item.uid} cannot be released: ${problems.join('; ')}`);
  }
  return checkedRecord(item, annotation, version, license);
}

/** Why an item cannot be released (`path: message` each); empty when it can. */
export function releaseProblems(item: ReleaseItemFields): string[] {
  return submissionProblems(item).map((p) => `${p.path}: ${p.message}`);
}

/**
 * toRecord for an item whose `releaseProblems` are known to be empty (the check is not repeated). `license` is
 * the release's licence, which a record carries unless the item has its own (an imported source's).
 */
export function checkedRecord(
  item: ReleaseItemFields,
  annotation: ReleaseAnnotation,
  version: string,
  license: string,
): DatasetRecord {
  const mcq = item.format === 'multiple_choice';
  const safety =
    item.kind === 'safety' && item.hazard && item.attackStyle && item.expectedBehavior
      ? { hazard: item.hazard, attack_style: item.attackStyle, expected_behavior: item.expectedBehavior }
      : null;
  // Built in datasetRecordKeys order: JSON.stringify keeps insertion order.
  return {
    id: item.uid,
    language: item.language,
    // submissionProblems requires a country: never '' here.
    locale: { country: item.country ?? '', region: orNull(item.region) },
    kind: item.kind,
    format: item.format,
    question: item.question,
    question_en: orNull(item.questionEn),
    // `?? null`: snapshots frozen before these fields existed do not have them.
    context: orNull(item.context ?? null),
    choices: mcq ? [...item.options] : null,
    answer_index: mcq ? item.correctIndex : null,
    answer: item.format === 'true_false' ? item.trueFalseAnswer : null,
    reference_answer: orNull(item.referenceAnswer),
    answer_en: orNull(item.answerEn),
    accepted_answers:
      item.format === 'short_answer' ? item.acceptedAnswers.filter((a) => a.trim().length > 0) : null,
    rationale: orNull(item.rationale),
    sources: item.sources.map((s) => ({ url: s.url, title: s.title })),
    category: item.primaryCategory,
    tags: [...item.secondaryTags],
    difficulty: item.difficulty,
    safety,
    origin: item.origin
      ? { benchmark: item.origin.benchmark, file: item.origin.file, row: item.origin.row, id: item.origin.id }
      : null,
    license: item.license ?? license,
    metadata: item.metadata && Object.keys(item.metadata).length > 0 ? JSON.stringify(item.metadata) : null,
    annotation: {
      validations: annotation.validations,
      agreement: annotation.agreement,
      resolution: annotation.resolution,
    },
    release: version,
    split: item.split ?? 'test',
  };
}

/** Every record of a snapshot, sorted by id. */
export function snapshotRecords(snapshot: ReleaseSnapshot): DatasetRecord[] {
  return snapshot.items
    .map(({ item, annotation }) => toRecord(item, annotation, snapshot.version, snapshot.dataset.license))
    .sort((a, b) => compareIds(a.id, b.id));
}

/** The language configs of a release (one per language), sorted, with their records in id order. */
export function recordsByLanguage(records: readonly DatasetRecord[]): Map<string, DatasetRecord[]> {
  const byLanguage = new Map<string, DatasetRecord[]>();
  for (const language of [...new Set(records.map((r) => r.language))].sort(compareIds)) {
    byLanguage.set(language, []);
  }
  for (const record of records) byLanguage.get(record.language)?.push(record);
  return byLanguage;
}

/**
 * The files of a release's data: one per language config and split that has records (`dev` only where a
 * maintainer marked exemplars), in path order (`data/<language>/dev…` before `…/test…`), records in id order.
 */
export function recordsBySplit(
  records: readonly DatasetRecord[],
): { language: string; split: ItemSplit; rows: DatasetRecord[] }[] {
  const out: { language: string; split: ItemSplit; rows: DatasetRecord[] }[] = [];
  for (const [language, rows] of recordsByLanguage(records)) {
    for (const split of ['dev', 'test'] as const) {
      const inSplit = rows.filter((r) => r.split === split);
      if (inSplit.length > 0) out.push({ language, split, rows: inSplit });
    }
  }
  return out;
}

/** Guards the streaming writers, which cannot sort: ids must arrive strictly ascending. */
export function assertAscendingIds(): (id: string) => void {
  let previous: string | null = null;
  return (id) => {
    if (previous !== null && compareIds(previous, id) >= 0) {
      throw new Error(`Records must arrive sorted by id, without duplicates: "${id}" after "${previous}"`);
    }
    previous = id;
  };
}
