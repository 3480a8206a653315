// The card's Hugging Face front matter: languages, licence, task and size categories, tags, configs and features.
import { isPreRelease, type ReleaseSnapshot } from '../../schema/release.ts';
import { hubFeatureLines, hubLanguageCode, hubLicenseLines } from '../hub-metadata.ts';
import { jsonlPath } from '../jsonl.ts';
import { compareIds } from '../record.ts';
import { yamlString } from '../text.ts';
import { sizeCategory, type CardStats } from './stats.ts';

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

export function frontMatter(snapshot: ReleaseSnapshot, stats: CardStats, languages: string[]): string {
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
