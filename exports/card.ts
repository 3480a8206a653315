import { isPreRelease, type DatasetRecord, type ReleaseSnapshot } from '../schema/release.ts';
import { canaryString } from './canary.ts';
import { bibtexCitation } from './citation.ts';
import { csvPath } from './csv.ts';
import { INCLUDE_OPTIONS } from './harness.ts';
import { hubFeatureLines, hubLanguageCode, hubLicenseLines } from './hub-metadata.ts';
import { jsonlPath } from './jsonl.ts';
import { licenseSection } from './licenses.ts';
import { lmEvalCommand, LM_EVAL_DIR } from './lm-eval.ts';
import { compareIds } from './record.ts';
import { RECORD_SCHEMA_PATH } from './record-schema.ts';
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

function yamlList(key: string, values: readonly string[]): string[] {
  return values.length === 0 ? [`${key}: []`] : [`${key}:`, ...values.map((v) => `- ${yamlString(v)}`)];
}

/** The card's tags, from what the release holds (no `safety` tag without safety items). */
function contentTags(snapshot: ReleaseSnapshot, stats: CardStats, languages: string[]): string[] {
  const culture = [...stats.tables.format.keys()].some((k) => k.startsWith('culture /'));
  return [
    ...(culture ? ['culture'] : []),
    'evaluation',
    ...(languages.length > 1 ? ['multilingual'] : []),
    ...(isPreRelease(snapshot.version) ? ['pre-release'] : []),
    ...(stats.hasSafety ? ['safety'] : []),
  ];
}

/**
 * The default config (every language) first, then one per language; each has the test split, and the dev split
 * (few-shot exemplars) where there are any.
 */
function configs(
  languages: string[],
  dev: readonly string[],
): { name: string; path: string; devPath: string | null }[] {
  return [
    { name: 'default', path: 'data/*/test.jsonl', devPath: dev.length > 0 ? 'data/*/dev.jsonl' : null },
    ...languages.map((language) => ({
      name: language,
      path: jsonlPath(language),
      devPath: dev.includes(language) ? jsonlPath(language, 'dev') : null,
    })),
  ];
}

function frontMatter(snapshot: ReleaseSnapshot, stats: CardStats, languages: string[]): string {
  const codes = [...new Set(languages.map(hubLanguageCode))].sort(compareIds);
  const lines = [
    '---',
    `pretty_name: ${yamlString(snapshot.dataset.name)}`,
    ...yamlList('language', codes),
    ...yamlList('language_details', languages),
    ...hubLicenseLines(snapshot.dataset.license),
    ...yamlList('multilinguality', [codes.length > 1 ? 'multilingual' : 'monolingual']),
    ...yamlList('task_categories', stats.tasks),
    ...yamlList('size_categories', [sizeCategory(stats.total)]),
    ...yamlList('tags', contentTags(snapshot, stats, languages)),
    'configs:',
  ];
  for (const config of configs(languages, stats.devLanguages)) {
    lines.push(
      `- config_name: ${yamlString(config.name)}`,
      ...(config.name === 'default' ? ['  default: true'] : []),
      '  data_files:',
      `  - split: ${yamlString('test')}`,
      `    path: ${yamlString(config.path)}`,
      ...(config.devPath
        ? [`  - split: ${yamlString('dev')}`, `    path: ${yamlString(config.devPath)}`]
        : []),
    );
  }
  // The same column types for every config (and every release): readers cast the JSON to them.
  lines.push('dataset_info:');
  for (const config of configs(languages, stats.devLanguages)) {
    lines.push(`- config_name: ${yamlString(config.name)}`, ...hubFeatureLines('  '));
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

/** A pre-release says so at the top, with how many of its items are not validated yet. */
function preReleaseNotice(snapshot: ReleaseSnapshot, stats: CardStats): string {
  if (!isPreRelease(snapshot.version)) return '';
  const open = unvalidated(stats);
  return [
    `> **Pre-release.** ${snapshot.version} is a pre-release for review, not a final dataset:`,
    open === 0
      ? '> every item in it was accepted, but its contents may still change before the final release.\n'
      : `> ${open} of its ${stats.total} items have not been accepted through validation yet.\n`,
  ].join('\n');
}

/** Items with no validation decision: imported as accepted, or (pre-release) not accepted yet. */
const unvalidated = (stats: CardStats) =>
  stats.agreementAll.items - stats.agreementAll.unanimous - stats.agreementAll.adjudicated;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What the validation figures below say, in numbers that match them. */
function validationStatement(snapshot: ReleaseSnapshot, stats: CardStats): string {
  const { items, unanimous, adjudicated } = stats.agreementAll;
  const open = unvalidated(stats);
  const were = (n: number) => (n === 1 ? 'was' : 'were');
  const sentences = [
    `Of the ${plural(items, 'item')}, ${unanimous} ${were(unanimous)} accepted on agreeing independent validations by native speakers (*unanimous*) and ${adjudicated} ${were(adjudicated)} decided by a reviewer after the validators disagreed (*adjudicated*).`,
  ];
  if (open > 0) {
    sentences.push(
      isPreRelease(snapshot.version)
        ? `${plural(open, 'item')} ${open === 1 ? 'has' : 'have'} no validation decision yet: this is a pre-release.`
        : `${plural(open, 'item')} ${were(open)} accepted without a validation decision in Culture Studio (for example imported from an already reviewed benchmark).`,
    );
  }
  sentences.push(
    'Agreement is the per-item agreement among validators (−1 to 1), averaged over the items where it could be computed.',
  );
  return sentences.join('\n') + '\n';
}

/** How to load the release with `datasets`: every language, or one language's config. */
function loadingSection(snapshot: ReleaseSnapshot): string {
  const folder = `${snapshot.dataset.slug}-${snapshot.version}`;
  return [
    '## Loading\n',
    '```python',
    'from datasets import load_dataset',
    '',
    `# The release folder ("${folder}"), or the dataset's repository id on the Hugging Face Hub.`,
    `every_language = load_dataset("${folder}", split="test")`,
    `one_language = load_dataset("${folder}", "<language>", split="test")`,
    '```\n',
  ].join('\n');
}

/** The exact lm_eval command, when the release has harness views. */
function lmEvalSection(snapshot: ReleaseSnapshot, stats: CardStats): string {
  if (stats.harness.mcq + stats.harness.shortAnswer === 0) return '';
  return [
    '## Evaluating with lm-evaluation-harness\n',
    'From any directory (the tasks find their data relative to the release folder):\n',
    '```sh',
    lmEvalCommand(snapshot),
    '```\n',
    "This runs every task of this release and reports one overall accuracy (weighted by the tasks' sizes)",
    'besides one per task. Short answers are correct when they match an accepted variant after the same',
    "normalisation as Culture Studio's scorer (Unicode punctuation stripped, case and script variants folded).\n",
  ].join('\n');
}

/** What the data cannot tell, from what this release holds. */
function limitationsSection(stats: CardStats, languages: string[]): string {
  const small = languages.filter((l) => (stats.agreement.get(l)?.items ?? 0) < 100);
  const lines = [
    '## Limitations\n',
    '- Items reflect the knowledge and views of the native speakers who wrote and validated them; one',
    '  country or region does not speak for every speaker of a language.',
    '- English glosses (`question_en`, `answer_en`) are aids for reading, not reviewed translations.',
  ];
  if (small.length > 0)
    lines.push(`- Fewer than 100 items in: ${small.join(', ')}; scores there have wide uncertainty.`);
  if (stats.harness.mcqOtherOptions > 0)
    lines.push(
      `- ${plural(stats.harness.mcqOtherOptions, 'multiple-choice item')} without exactly four options ${
        stats.harness.mcqOtherOptions === 1 ? 'is' : 'are'
      } in \`data/\` only, not in the INCLUDE-shaped view or its lm-eval tasks.`,
    );
  if (stats.hasSafety)
    lines.push('- Safety items have no automatic score: their responses need human rating.');
  return lines.join('\n') + '\n';
}

/** How to cite this release. */
function citationSection(snapshot: ReleaseSnapshot): string {
  return ['## Citation\n', '```bibtex', bibtexCitation(snapshot), '```\n'].join('\n');
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
    preReleaseNotice(snapshot, stats),
    '## Files\n',
    [
      '- `data/<language>/test.jsonl`: one record per line in the canonical format; the `default` config',
      '  holds every language, and each language is a config of its own.',
      `- \`${RECORD_SCHEMA_PATH}\`: the JSON Schema of a record (every field, its type and meaning).`,
      `- \`${csvPath}\`: the same records as CSV (UTF-8 with BOM, Excel-safe).`,
      '- `croissant.json`: MLCommons Croissant 1.0 metadata.',
      '- `CHANGELOG.md`: added, removed and changed items since the previous release.',
      '- `harness/mcq/<language>.jsonl`: culture multiple-choice items with four options, in the shape of INCLUDE;',
      "  `harness/short_answer/<language>.jsonl`: culture short-answer items in the shape of BLEnD's annotations;",
      `  \`${LM_EVAL_DIR}/\`: lm-evaluation-harness tasks over them.`,
      '- `SHA256SUMS`: checksums of every other file (`sha256sum -c SHA256SUMS`).',
    ].join('\n') + '\n',
    loadingSection(snapshot),
    licenseSection(snapshot.dataset.license, stats.licenses),
    '## Items per language and category\n',
    countTable('category', stats.tables.category, languages),
    ...(stats.hasSafety
      ? ['## Safety items per language and hazard\n', countTable('hazard', stats.tables.hazard, languages)]
      : []),
    '## Items per language and format\n',
    countTable('format', stats.tables.format, languages),
    '## Validation and agreement\n',
    validationStatement(snapshot, stats),
    agreementTable(stats, languages),
    lmEvalSection(snapshot, stats),
    limitationsSection(stats, languages),
    citationSection(snapshot),
    '## Canary\n',
    'This string identifies this dataset. It lets anyone find and remove the data from a training corpus,',
    'and a model that can complete it has probably been trained on the data (training-set contamination).',
    'Keep it with any copy of the data; never train on documents that contain it.\n',
    `\`${canary}\`\n`,
  ];
  return parts.filter((p) => p !== '').join('\n');
}
