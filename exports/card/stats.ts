// The figures a dataset card shows, gathered while the records stream past: counts per language, category,
// hazard and format, agreement sums, licences, task categories.
import type { DatasetRecord } from '../../schema/release.ts';
import { INCLUDE_OPTIONS } from '../harness.ts';
import { compareIds } from '../record.ts';

/** Hugging Face size category of a dataset with `n` records. */
export function sizeCategory(n: number): string {
  const bands: [number, string][] = [
    [1_000, 'n<1K'],
    [10_000, '1K<n<10K'],
    [100_000, '10K<n<100K'],
    [1_000_000, '100K<n<1M'],
    [10_000_000, '1M<n<10M'],
    [100_000_000, '10M<n<100M'],
    [1_000_000_000, '100M<n<1B'],
  ];
  return bands.find(([limit]) => n < limit)?.[1] ?? 'n>1T';
}

const TASKS = {
  safety: ['text-generation'],
  multipleChoice: ['multiple-choice'],
  openEnded: ['question-answering', 'text-generation'],
  other: ['question-answering'],
} as const;

/** The Hugging Face task categories one record serves. */
function tasksOf(r: DatasetRecord): readonly string[] {
  if (r.kind === 'safety') return TASKS.safety;
  if (r.format === 'multiple_choice') return TASKS.multipleChoice;
  if (r.format === 'open_ended') return TASKS.openEnded;
  return TASKS.other;
}

/** The Hugging Face task categories the records serve. */
export function taskCategories(records: readonly DatasetRecord[]): string[] {
  const tasks = new Set<string>();
  for (const r of records) for (const t of tasksOf(r)) tasks.add(t);
  return [...tasks].sort(compareIds);
}

/** Per-language figures of the agreement table, summed in record order. */
export interface AgreementSums {
  items: number;
  validations: number;
  unanimous: number;
  adjudicated: number;
  agreementSum: number;
  agreementCount: number;
}

/**
 * Everything the dataset card shows, gathered one record at a time (records in id order): the card of a
 * large release is written without holding its records. `datasetCard` is this over an array.
 */
export interface CardStats {
  add(record: DatasetRecord): void;
  readonly total: number;
  readonly languages: string[];
  readonly tasks: string[];
  readonly hasSafety: boolean;
  /** key → language → count, for the category, hazard and format tables. */
  readonly tables: Record<'category' | 'hazard' | 'format', Map<string, Map<string, number>>>;
  readonly agreement: Map<string, AgreementSums>;
  readonly agreementAll: AgreementSums;
  /** Culture items in the harness views, and multiple-choice items left out of the INCLUDE-shaped one. */
  readonly harness: { mcq: number; shortAnswer: number; mcqOtherOptions: number };
  /** licence → its records and the benchmarks they come from (records' own `license` and `origin`). */
  readonly licenses: Map<string, { records: number; benchmarks: Set<string> }>;
  /** The languages with few-shot exemplars (records of the `dev` split), sorted. */
  readonly devLanguages: string[];
}

const TABLE_KEYS: Record<keyof CardStats['tables'], (r: DatasetRecord) => string | null> = {
  category: (r) => (r.kind === 'culture' ? r.category : null),
  hazard: (r) => r.safety?.hazard ?? null,
  format: (r) => `${r.kind} / ${r.format}`,
};

export const noSums = (): AgreementSums => ({
  items: 0,
  validations: 0,
  unanimous: 0,
  adjudicated: 0,
  agreementSum: 0,
  agreementCount: 0,
});

function addSums(s: AgreementSums, r: DatasetRecord) {
  s.items++;
  s.validations += r.annotation.validations;
  if (r.annotation.resolution === 'unanimous') s.unanimous++;
  if (r.annotation.resolution === 'adjudicated') s.adjudicated++;
  if (r.annotation.agreement !== null) {
    s.agreementSum += r.annotation.agreement;
    s.agreementCount++;
  }
}

export function cardStats(): CardStats {
  let total = 0;
  let hasSafety = false;
  const tasks = new Set<string>();
  const tables: CardStats['tables'] = { category: new Map(), hazard: new Map(), format: new Map() };
  const agreement = new Map<string, AgreementSums>();
  const agreementAll = noSums();
  const harness = { mcq: 0, shortAnswer: 0, mcqOtherOptions: 0 };
  const licenses: CardStats['licenses'] = new Map();
  const devLanguages = new Set<string>();
  return {
    add(r) {
      total++;
      if (r.split === 'dev') devLanguages.add(r.language);
      let license = licenses.get(r.license);
      if (!license) licenses.set(r.license, (license = { records: 0, benchmarks: new Set() }));
      license.records++;
      if (r.origin) license.benchmarks.add(r.origin.benchmark);
      if (r.kind === 'safety') hasSafety = true;
      if (r.kind === 'culture' && r.format === 'short_answer') harness.shortAnswer++;
      if (r.kind === 'culture' && r.format === 'multiple_choice') {
        if (r.choices?.length === INCLUDE_OPTIONS) harness.mcq++;
        else harness.mcqOtherOptions++;
      }
      for (const t of tasksOf(r)) tasks.add(t);
      for (const name of ['category', 'hazard', 'format'] as const) {
        const key = TABLE_KEYS[name](r);
        if (key === null) continue;
        let row = tables[name].get(key);
        if (!row) tables[name].set(key, (row = new Map<string, number>()));
        row.set(r.language, (row.get(r.language) ?? 0) + 1);
      }
      let sums = agreement.get(r.language);
      if (!sums) agreement.set(r.language, (sums = noSums()));
      addSums(sums, r);
      addSums(agreementAll, r);
    },
    get total() {
      return total;
    },
    get languages() {
      return [...agreement.keys()].sort(compareIds);
    },
    get tasks() {
      return [...tasks].sort(compareIds);
    },
    get hasSafety() {
      return hasSafety;
    },
    get devLanguages() {
      return [...devLanguages].sort(compareIds);
    },
    tables,
    agreement,
    agreementAll,
    licenses,
    harness,
  };
}
