import type { DatasetRecord, ReleaseSnapshot } from '../schema/release.ts';
import { canaryString } from './canary.ts';
import { csvPath } from './csv.ts';
import { jsonlPath } from './jsonl.ts';
import { compareIds, recordsByLanguage } from './record.ts';
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

/** The Hugging Face task categories the records serve. */
export function taskCategories(records: readonly DatasetRecord[]): string[] {
  const tasks = new Set<string>();
  for (const r of records) {
    if (r.kind === 'safety') tasks.add('text-generation');
    else if (r.format === 'multiple_choice') tasks.add('multiple-choice');
    else if (r.format === 'open_ended') tasks.add('question-answering').add('text-generation');
    else tasks.add('question-answering');
  }
  return [...tasks].sort(compareIds);
}

function yamlList(key: string, values: readonly string[]): string[] {
  return values.length === 0 ? [`${key}: []`] : [`${key}:`, ...values.map((v) => `- ${yamlString(v)}`)];
}

function frontMatter(
  snapshot: ReleaseSnapshot,
  records: readonly DatasetRecord[],
  languages: string[],
): string {
  const lines = [
    '---',
    `pretty_name: ${yamlString(snapshot.dataset.name)}`,
    ...yamlList('language', languages),
    `license: ${yamlString(snapshot.dataset.license)}`,
    ...yamlList('task_categories', taskCategories(records)),
    ...yamlList('size_categories', [sizeCategory(records.length)]),
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
function countTable(
  heading: string,
  records: readonly DatasetRecord[],
  languages: string[],
  keyOf: (r: DatasetRecord) => string | null,
): string {
  const counts = new Map<string, Map<string, number>>();
  for (const r of records) {
    const key = keyOf(r);
    if (key === null) continue;
    const row = counts.get(key) ?? new Map<string, number>();
    row.set(r.language, (row.get(r.language) ?? 0) + 1);
    counts.set(key, row);
  }
  const keys = [...counts.keys()].sort(compareIds);
  const lines = [
    `| ${heading} | ${languages.join(' | ')} | total |`,
    `| --- | ${languages.map(() => '---:').join(' | ')} | ---: |`,
  ];
  for (const key of keys) {
    const row = counts.get(key) ?? new Map<string, number>();
    const cells = languages.map((l) => String(row.get(l) ?? 0));
    const total = [...row.values()].reduce((a, b) => a + b, 0);
    // Keys are taxonomy ids, kinds and formats ([a-z0-9_/-]): nothing to escape.
    lines.push(`| ${key} | ${cells.join(' | ')} | ${total} |`);
  }
  const totals = languages.map((l) =>
    String(records.filter((r) => r.language === l && keyOf(r) !== null).length),
  );
  const all = records.filter((r) => keyOf(r) !== null).length;
  lines.push(`| **total** | ${totals.join(' | ')} | ${all} |`);
  return lines.join('\n') + '\n';
}

function mean(values: number[], digits: number): string {
  if (values.length === 0) return '—';
  return (values.reduce((a, b) => a + b, 0) / values.length).toFixed(digits);
}

function agreementTable(byLanguage: Map<string, DatasetRecord[]>, records: readonly DatasetRecord[]): string {
  const lines = [
    '| language | items | validations per item (mean) | unanimous | adjudicated | agreement (mean) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const row = (label: string, rows: readonly DatasetRecord[]) => {
    const agreements = rows.flatMap((r) => (r.annotation.agreement === null ? [] : [r.annotation.agreement]));
    const count = (resolution: string) => rows.filter((r) => r.annotation.resolution === resolution).length;
    lines.push(
      `| ${label} | ${rows.length} | ${mean(
        rows.map((r) => r.annotation.validations),
        2,
      )} | ${count('unanimous')} | ${count('adjudicated')} | ${mean(agreements, 3)} |`,
    );
  };
  for (const [language, rows] of byLanguage) row(language, rows);
  row('**all**', records);
  return lines.join('\n') + '\n';
}

/** README.md: the dataset card, with Hugging Face front matter, counts, agreement and the canary. */
export function datasetCard(snapshot: ReleaseSnapshot, records: readonly DatasetRecord[]): string {
  const byLanguage = recordsByLanguage(records);
  const languages = [...byLanguage.keys()];
  const canary = canaryString(snapshot.dataset.slug);
  const hasSafety = records.some((r) => r.kind === 'safety');
  const parts = [
    frontMatter(snapshot, records, languages),
    `# ${mdText(snapshot.dataset.name)}\n`,
    snapshot.dataset.description.trim() === '' ? '' : `${snapshot.dataset.description.trim()}\n`,
    [
      `- **Version:** ${snapshot.version}`,
      `- **Released:** ${snapshot.releasedAt}`,
      `- **Items:** ${records.length} in ${languages.length} language${languages.length === 1 ? '' : 's'}`,
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
    '## Items per language and category\n',
    countTable('category', records, languages, (r) => (r.kind === 'culture' ? r.category : null)),
    ...(hasSafety
      ? [
          '## Safety items per language and hazard\n',
          countTable('hazard', records, languages, (r) => r.safety?.hazard ?? null),
        ]
      : []),
    '## Items per language and format\n',
    countTable('format', records, languages, (r) => `${r.kind} / ${r.format}`),
    '## Agreement\n',
    'Each item was validated independently by native speakers. *Unanimous* items were accepted on agreeing',
    'validations; *adjudicated* items were decided by a reviewer. Agreement is the per-item agreement among',
    'validators (−1 to 1), averaged over the items where it could be computed.\n',
    agreementTable(byLanguage, records),
    '## Canary\n',
    'This string identifies this dataset. It lets anyone find and remove the data from a training corpus,',
    'and a model that can complete it has probably been trained on the data (training-set contamination).',
    'Keep it with any copy of the data; never train on documents that contain it.\n',
    `\`${canary}\`\n`,
  ];
  return parts.filter((p) => p !== '').join('\n');
}
