import type { DatasetRecord, ReleaseSnapshot } from '../schema/release.ts';
import { canaryString } from './canary.ts';
import { csvPath } from './csv.ts';
import { licenseSection } from './licenses.ts';
import { LM_EVAL_DIR } from './lm-eval.ts';
import { RECORD_SCHEMA_PATH } from './record-schema.ts';
import { mdText } from './text.ts';
import { frontMatter } from './card/front-matter.ts';
import {
  agreementTable,
  citationSection,
  countTable,
  limitationsSection,
  lmEvalSection,
  loadingSection,
  preReleaseNotice,
  validationStatement,
} from './card/sections.ts';
import { cardStats, type CardStats } from './card/stats.ts';

export { cardStats, sizeCategory, taskCategories, type CardStats } from './card/stats.ts';

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
