// The Hugging Face Hub's terms for a release: licence identifiers, language codes and the pinned column types
// (`dataset_info.features`) the card declares for every config.
import { datasetRecordKeys, type DatasetRecord } from '../schema/release.ts';
import { yamlString } from './text.ts';

/** The licence identifiers the Hub knows (hub-docs, docs/hub/repositories-licenses.md). */
const HUB_LICENSES = new Set([
  'apache-2.0', 'mit', 'openrail', 'bigscience-openrail-m', 'creativeml-openrail-m', 'bigscience-bloom-rail-1.0',
  'bigcode-openrail-m', 'afl-3.0', 'artistic-2.0', 'bsl-1.0', 'bsd', 'bsd-2-clause', 'bsd-3-clause',
  'bsd-3-clause-clear', 'c-uda', 'cc', 'cc0-1.0', 'cc-by-2.0', 'cc-by-2.5', 'cc-by-3.0', 'cc-by-4.0',
  'cc-by-sa-3.0', 'cc-by-sa-4.0', 'cc-by-nc-2.0', 'cc-by-nc-3.0', 'cc-by-nc-4.0', 'cc-by-nd-4.0',
  'cc-by-nc-nd-3.0', 'cc-by-nc-nd-4.0', 'cc-by-nc-sa-2.0', 'cc-by-nc-sa-3.0', 'cc-by-nc-sa-4.0',
  'cdla-sharing-1.0', 'cdla-permissive-1.0', 'cdla-permissive-2.0', 'wtfpl', 'ecl-2.0', 'epl-1.0', 'epl-2.0',
  'etalab-2.0', 'eupl-1.1', 'agpl-3.0', 'gfdl', 'gpl', 'gpl-2.0', 'gpl-3.0', 'lgpl', 'lgpl-2.1', 'lgpl-3.0',
  'isc', 'lppl-1.3c', 'ms-pl', 'mpl-2.0', 'odc-by', 'odbl', 'openrail++', 'osl-3.0', 'postgresql', 'ofl-1.1',
  'ncsa', 'unlicense', 'zlib', 'pddl', 'lgpl-lr', 'deepfloyd-if-license', 'llama2', 'gemma', 'unknown', 'other',
]); // prettier-ignore

/** Where the text of a licence is published, for the licences releases commonly carry. */
export const LICENSE_URLS: Record<string, string> = {
  'apache-2.0': 'https://www.apache.org/licenses/LICENSE-2.0',
  'cc-by-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'cc-by-nc-4.0': 'https://creativecommons.org/licenses/by-nc/4.0/',
  'cc-by-nc-sa-4.0': 'https://creativecommons.org/licenses/by-nc-sa/4.0/',
  'cc-by-nd-3.0': 'https://creativecommons.org/licenses/by-nd/3.0/',
  'cc-by-nd-4.0': 'https://creativecommons.org/licenses/by-nd/4.0/',
  'cc-by-sa-2.0': 'https://creativecommons.org/licenses/by-sa/2.0/',
  'cc-by-sa-2.5': 'https://creativecommons.org/licenses/by-sa/2.5/',
  'cc-by-sa-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'cc0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
  mit: 'https://opensource.org/licenses/MIT',
  'odc-by': 'https://opendatacommons.org/licenses/by/1-0/',
};

/**
 * The card's licence lines: a Hub identifier as it is; anything else as `license: other` with the id in
 * `license_name` and, when its text is known, a link in `license_link`.
 */
export function hubLicenseLines(license: string): string[] {
  if (HUB_LICENSES.has(license)) return [`license: ${yamlString(license)}`];
  const url = LICENSE_URLS[license];
  return [
    'license: "other"',
    `license_name: ${yamlString(license)}`,
    ...(url ? [`license_link: ${yamlString(url)}`] : []),
  ];
}

/**
 * The Hub's `language:` code of a BCP-47 tag: its primary language subtag, which BCP-47 writes as the
 * ISO 639-1 code where one exists and as the ISO 639-3 code otherwise (`ko-KR` → `ko`, `yue-HK` → `yue`).
 */
export const hubLanguageCode = (tag: string): string => tag.split('-')[0].toLowerCase();

/** A column type in the `datasets` YAML form: a value dtype, a struct of named fields, or a list. */
type Feature = string | { struct: [string, Feature][] } | { list: Feature };

const struct = (...fields: [string, Feature][]): Feature => ({ struct: fields });
const list = (of: Feature): Feature => ({ list: of });

/**
 * Every record key's column type, in record order (typed by the record, so a new record field does not compile
 * until it has its type). Integers are int64 and `annotation.agreement` float64 in every config and every
 * release, as the Parquet files (parquet.ts) store them; JSON readers cast to these.
 */
const FEATURES: { [K in keyof DatasetRecord]: Feature } = {
  id: 'string',
  language: 'string',
  locale: struct(['country', 'string'], ['region', 'string']),
  kind: 'string',
  format: 'string',
  question: 'string',
  question_en: 'string',
  context: 'string',
  choices: list('string'),
  answer_index: 'int64',
  answer: 'bool',
  reference_answer: 'string',
  answer_en: 'string',
  accepted_answers: list('string'),
  rationale: 'string',
  sources: list(struct(['url', 'string'], ['title', 'string'])),
  category: 'string',
  tags: list('string'),
  difficulty: 'string',
  safety: struct(['hazard', 'string'], ['attack_style', 'string'], ['expected_behavior', 'string']),
  origin: struct(['benchmark', 'string'], ['file', 'string'], ['row', 'int64'], ['id', 'string']),
  license: 'string',
  metadata: 'string',
  annotation: struct(['validations', 'int64'], ['agreement', 'float64'], ['resolution', 'string']),
  release: 'string',
  split: 'string',
};

/** `- name: …` and its type, indented by `pad`, as `datasets` writes features in a card. */
function featureLines(name: string, feature: Feature, pad: string): string[] {
  return [`${pad}- name: ${name}`, ...typeLines(feature, `${pad}  `)];
}

function typeLines(feature: Feature, pad: string): string[] {
  if (typeof feature === 'string') return [`${pad}dtype: ${feature}`];
  if ('struct' in feature)
    return [`${pad}struct:`, ...feature.struct.flatMap(([n, f]) => featureLines(n, f, pad))];
  if (typeof feature.list === 'string') return [`${pad}list: ${feature.list}`];
  return [`${pad}list:`, ...typeLines(feature.list, pad).slice(1)];
}

/** The `features:` block of one `dataset_info` entry, indented by `pad`. */
export function hubFeatureLines(pad: string): string[] {
  return [`${pad}features:`, ...datasetRecordKeys.flatMap((key) => featureLines(key, FEATURES[key], pad))];
}
