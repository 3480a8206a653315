import type { DatasetRecord, ReleaseSnapshot } from '../schema/release.ts';
import { canaryString } from './canary.ts';
import { csvPath } from './csv.ts';
import { jsonlPath } from './jsonl.ts';
import { licenseSection } from './licenses.ts';
import { compareIds } from './record.ts';
import { mdText, yamlString } from './text.ts';

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
interface AgreementSums {
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
  /** licence → its records and the benchmarks they come from (records' own `license` and `origin`). */
  readonly licenses: Map<string, { records: number; benchmarks: Set<string> }>;
}

const TABLE_KEYS: Record<keyof CardStats['tables'], (r: DatasetRecord) => string | null> = {
  category: (r) => (r.kind === 'culture' ? r.category : null),
  hazard: (r) => r.safety?.hazard ?? null,
  format: (r) => `${r.kind} / ${r.format}`,
};

const noSums = (): AgreementSums => ({
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
  const licenses: CardStats['licenses'] = new Map();
  return {
    add(r) {
      total++;
      let license = licenses.get(r.license);
      if (!license) licenses.set(r.license, (license = { records: 0, benchmarks: new Set() }));
      license.records++;
      if (r.origin) license.benchmarks.add(r.origin.benchmark);
      if (r.kind === 'safety') hasSafety = true;
      for (const t of tasksOf(r)) tasks.add(t);
      for (const name of ['category', 'hazard', 'format'] as const) {
        const key = TABLE_KEYS[name](r);
        if (key === null) continue;
        let row = tables[name].get(key);
        if (!row) tables[name].set(key, (row = new Map()));
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
    tables,
    agreement,
    agreementAll,
    licenses,
  };
}

function yamlList(key: string, values: readonly string[]): string[] {
  return values.length === 0 ? [`${key}: []`] : [`${key}:`, ...values.map((v) => `- ${yamlString(v)}`)];
}

function frontMatter(snapshot: ReleaseSnapshot, stats: CardStats, languages: string[]): string {
  const lines = [
    '---',
    `pretty_name: ${yamlString(snapshot.dataset.name)}`,
    ...yamlList('language', languages),
    `license: ${yamlString(snapshot.dataset.license)}`,
    ...yamlList('task_categories', stats.tasks),
    ...yamlList('size_categories', [sizeCategory(stats.total)]),
    ...yamlList('tags', ['culture', 'evaluation', 'multilingual', 'safety']),
    'configs:',
  ];
  for (const language of languages) {
    lines.push(
      `- config_name: ${yamlString(language)}`,
      '  data_files:',
      `  - split: ${yamlString('test')}`,
      `    path: ${yamlString(jsonlPath(language))}`,
    );
  }
  lines.push('---');
  return lines.join('\n') + '\n';
}

/** A Markdown table of counts: one row per key, one column per language, with totals. */
function countTable(heading: string, counts: Map<string, Map<string, number>>, languages: string[]): string {
  const keys = [...counts.keys()].sort(compareIds);
  const lines = [
    `| ${heading} | ${languages.join(' | ')} | total |`,
    `| --- | ${languages.map(() => '---:').join(' | ')} | ---: |`,
  ];
  const totals = new Map<string, number>();
  let all = 0;
  for (const key of keys) {
    const row = counts.get(key) ?? new Map<string, number>();
    const cells = languages.map((l) => String(row.get(l) ?? 0));
    let total = 0;
    for (const [language, n] of row) {
      total += n;
      totals.set(language, (totals.get(language) ?? 0) + n);
    }
    all += total;
    // Keys are taxonomy ids, kinds and formats ([a-z0-9_/-]): nothing to escape.
    lines.push(`| ${key} | ${cells.join(' | ')} | ${total} |`);
  }
  lines.push(`| **total** | ${languages.map((l) => String(totals.get(l) ?? 0)).join(' | ')} | ${all} |`);
  return lines.join('\n') + '\n';
}

function mean(sum: number, count: number, digits: number): string {
  return count === 0 ? '—' : (sum / count).toFixed(digits);
}

function agreementTable(stats: CardStats, languages: string[]): string {
  const lines = [
    '| language | items | validations per item (mean) | unanimous | adjudicated | agreement (mean) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const row = (label: string, s: AgreementSums) => {
    lines.push(
      `| ${label} | ${s.items} | ${mean(s.validations, s.items, 2)} | ${s.unanimous} | ${s.adjudicated} | ${mean(
        s.agreementSum,
        s.agreementCount,
        3,
      )} |`,
    );
  };
  for (const language of languages) row(language, stats.agreement.get(language) ?? noSums());
  row('**all**', stats.agreementAll);
  return lines.join('\n') + '\n';
}

/** README.md: the dataset card, with Hugging Face front matter, counts, agreement and the canary. */
export function datasetCard(snapshot: ReleaseSnapshot, records: readonly DatasetRecord[]): string {
  const stats = cardStats();
  for (const r of records) stats.add(r);
  return datasetCardOf(snapshot, stats);
}

/** README.md from figures gathered while streaming the records (see `cardStats`). */
export function datasetCardOf(snapshot: ReleaseSnapshot, stats: CardStats): string {
  const languages = stats.languages;
  const canary = canaryString(snapshot.dataset.slug);
  const parts = [
    frontMatter(snapshot, stats, languages),
    `# ${mdText(snapshot.dataset.name)}\n`,
    snapshot.dataset.description.trim() === '' ? '' : `${snapshot.dataset.description.trim()}\n`,
    [
      `- **Version:** ${snapshot.version}`,
      `- **Released:** ${snapshot.releasedAt}`,
      `- **Items:** ${stats.total} in ${languages.length} language${languages.length === 1 ? '' : 's'}`,
      `- **License:** ${mdText(snapshot.dataset.license)}`,
      ...(snapshot.dataset.url ? [`- **Home:** <${snapshot.dataset.url}>`] : []),
    ].join('\n') + '\n',
    '## Files\n',
    [
      '- `data/<language>/test.jsonl`: one record per line in the canonical format',
      '  (schema: `dataset-record.schema.json` in Culture Studio); one config per language.',
      `- \`${csvPath}\`: the same records as CSV (UTF-8 with BOM, Excel-safe).`,
      '- `croissant.json`: MLCommons Croissant 1.0 metadata.',
      '- `CHANGELOG.md`: added, removed and changed items since the previous release.',
      '- `harness/`: evaluation-harness views (multiple choice, short answer) and lm-evaluation-harness tasks.',
      '- `SHA256SUMS`: checksums of every other file (`sha256sum -c SHA256SUMS`).',
    ].join('\n') + '\n',
    licenseSection(snapshot.dataset.license, stats.licenses),
    '## Items per language and category\n',
    countTable('category', stats.tables.category, languages),
    ...(stats.hasSafety
      ? ['## Safety items per language and hazard\n', countTable('hazard', stats.tables.hazard, languages)]
      : []),
    '## Items per language and format\n',
    countTable('format', stats.tables.format, languages),
    '## Agreement\n',
    'Each item was validated independently by native speakers. *Unanimous* items were accepted on agreeing',
    'validations; *adjudicated* items were decided by a reviewer. Agreement is the per-item agreement among',
    'validators (−1 to 1), averaged over the items where it could be computed.\n',
    agreementTable(stats, languages),
    '## Canary\n',
    'This string identifies this dataset. It lets anyone find and remove the data from a training corpus,',
    'and a model that can complete it has probably been trained on the data (training-set contamination).',
    'Keep it with any copy of the data; never train on documents that contain it.\n',
    `\`${canary}\`\n`,
  ];
  return parts.filter((p) => p !== '').join('\n');
}
