import type { DatasetRecord, ReleaseFile, ReleaseSnapshot } from '../schema/release.ts';
import { bibtexCitation } from './citation.ts';
import { csvPath } from './csv.ts';
import { LICENSE_URLS } from './hub-metadata.ts';
import { compareIds } from './record.ts';
import { RECORD_SCHEMA_PATH } from './record-schema.ts';
import { prettyJson, sha256Hex } from './text.ts';

const CONTEXT = {
  '@language': 'en',
  '@vocab': 'https://schema.org/',
  citeAs: 'cr:citeAs',
  column: 'cr:column',
  conformsTo: 'dct:conformsTo',
  cr: 'http://mlcommons.org/croissant/',
  rai: 'http://mlcommons.org/croissant/RAI/',
  data: { '@id': 'cr:data', '@type': '@json' },
  dataType: { '@id': 'cr:dataType', '@type': '@vocab' },
  dct: 'http://purl.org/dc/terms/',
  examples: { '@id': 'cr:examples', '@type': '@json' },
  extract: 'cr:extract',
  field: 'cr:field',
  fileProperty: 'cr:fileProperty',
  fileObject: 'cr:fileObject',
  fileSet: 'cr:fileSet',
  format: 'cr:format',
  includes: 'cr:includes',
  isLiveDataset: 'cr:isLiveDataset',
  jsonPath: 'cr:jsonPath',
  key: 'cr:key',
  md5: 'cr:md5',
  parentField: 'cr:parentField',
  path: 'cr:path',
  recordSet: 'cr:recordSet',
  references: 'cr:references',
  regex: 'cr:regex',
  repeated: 'cr:repeated',
  replace: 'cr:replace',
  sc: 'https://schema.org/',
  separator: 'cr:separator',
  source: 'cr:source',
  subField: 'cr:subField',
  transform: 'cr:transform',
};

const JSONL_SET = 'jsonl-files';
const PARQUET_SET = 'parquet-files';

/** A data file's media type: CSV, JSON Lines, or Parquet (the Hub-layout files, data/<config>/<split>-…). */
const encodingFormatOf = (path: string) =>
  path === csvPath
    ? 'text/csv'
    : path.endsWith('.parquet')
      ? 'application/x-parquet'
      : 'application/jsonlines';
const RECORDS = 'records';

type FieldType = 'sc:Text' | 'sc:Integer' | 'sc:Float' | 'sc:Boolean' | 'sc:URL';

interface FieldSpec {
  name: string;
  description: string;
  type?: FieldType;
  repeated?: boolean;
  sub?: FieldSpec[];
}

/** The recordSet fields, in record order (documented in docs/dataset-format.md). */
const FIELDS: FieldSpec[] = [
  { name: 'id', type: 'sc:Text', description: 'Stable item id.' },
  { name: 'language', type: 'sc:Text', description: 'BCP-47 language tag.' },
  {
    name: 'locale',
    description: 'Where the item is culturally grounded.',
    sub: [
      { name: 'country', type: 'sc:Text', description: 'ISO 3166-1 alpha-2 country code.' },
      { name: 'region', type: 'sc:Text', description: 'Region or dialect, or null.' },
    ],
  },
  { name: 'kind', type: 'sc:Text', description: 'culture or safety.' },
  {
    name: 'format',
    type: 'sc:Text',
    description: 'open_ended, short_answer, multiple_choice or true_false.',
  },
  { name: 'question', type: 'sc:Text', description: 'Question or prompt in the item language.' },
  { name: 'question_en', type: 'sc:Text', description: 'English gloss of the question, or null.' },
  { name: 'context', type: 'sc:Text', description: 'The passage the question refers to, or null.' },
  { name: 'choices', type: 'sc:Text', repeated: true, description: 'multiple_choice: the options.' },
  { name: 'answer_index', type: 'sc:Integer', description: 'multiple_choice: 0-based correct option.' },
  { name: 'answer', type: 'sc:Boolean', description: 'true_false: whether the statement is true.' },
  { name: 'reference_answer', type: 'sc:Text', description: 'Reference answer, or null.' },
  { name: 'answer_en', type: 'sc:Text', description: 'English gloss of the answer, or null.' },
  {
    name: 'accepted_answers',
    type: 'sc:Text',
    repeated: true,
    description: 'short_answer: accepted answer variants.',
  },
  { name: 'rationale', type: 'sc:Text', description: 'Why the answer is right, or null.' },
  {
    name: 'sources',
    repeated: true,
    description: 'Supporting sources.',
    sub: [
      { name: 'url', type: 'sc:URL', description: 'Source URL.' },
      { name: 'title', type: 'sc:Text', description: 'Source title.' },
    ],
  },
  { name: 'category', type: 'sc:Text', description: 'Primary socio-cultural category path.' },
  { name: 'tags', type: 'sc:Text', repeated: true, description: 'Secondary taxonomy node ids.' },
  { name: 'difficulty', type: 'sc:Text', description: 'easy, medium, hard or null.' },
  {
    name: 'safety',
    description: 'Safety items only (null for culture items).',
    sub: [
      { name: 'hazard', type: 'sc:Text', description: 'Hazard category.' },
      { name: 'attack_style', type: 'sc:Text', description: 'Attack style.' },
      { name: 'expected_behavior', type: 'sc:Text', description: 'refuse, safe_complete or comply.' },
    ],
  },
  {
    name: 'origin',
    description: 'Imported third-party items: where they come from (null otherwise).',
    sub: [
      { name: 'benchmark', type: 'sc:Text', description: 'The benchmark (click, kmmlu, include, blend, …).' },
      { name: 'file', type: 'sc:Text', description: 'The file the item was read from.' },
      { name: 'row', type: 'sc:Integer', description: 'Its 1-based data row there.' },
      { name: 'id', type: 'sc:Text', description: 'Its id there, or null.' },
    ],
  },
  {
    name: 'license',
    type: 'sc:Text',
    description: "The record's licence (its source's, else the release's).",
  },
  {
    name: 'metadata',
    type: 'sc:Text',
    description: "The source's fields no other key holds, as the text of a JSON object, or null.",
  },
  {
    name: 'annotation',
    description: 'How the item was validated.',
    sub: [
      { name: 'validations', type: 'sc:Integer', description: 'Independent validations.' },
      { name: 'agreement', type: 'sc:Float', description: 'Per-item agreement, or null.' },
      { name: 'resolution', type: 'sc:Text', description: 'unanimous, adjudicated or null.' },
    ],
  },
  { name: 'release', type: 'sc:Text', description: 'Release version.' },
  { name: 'split', type: 'sc:Text', description: 'test, or dev for a few-shot exemplar.' },
];

function field(spec: FieldSpec, parent: FieldSpec | null): Record<string, unknown> {
  const id = parent ? `${RECORDS}/${parent.name}/${spec.name}` : `${RECORDS}/${spec.name}`;
  const out: Record<string, unknown> = {
    '@type': 'cr:Field',
    '@id': id,
    name: spec.name,
    description: spec.description,
  };
  if (spec.type) out.dataType = spec.type;
  if (spec.repeated) out.repeated = true;
  if (spec.sub) {
    out.subField = spec.sub.map((s) => field(s, spec));
  } else {
    out.source = {
      fileSet: { '@id': JSONL_SET },
      extract: { column: parent ? parent.name : spec.name },
      ...(parent ? { transform: { jsonPath: spec.name } } : {}),
    };
  }
  return out;
}

/** A data file as croissant.json describes it: its path, size and SHA-256. */
export interface DataFileEntry {
  path: string;
  size: number;
  sha256: string;
}

/** croissant.json: MLCommons Croissant 1.0 metadata for the JSONL configs and the CSV. */
export function croissant(
  snapshot: ReleaseSnapshot,
  records: readonly DatasetRecord[],
  dataFiles: readonly ReleaseFile[],
): string {
  return croissantOf(
    snapshot,
    [...new Set(records.map((r) => r.language))],
    dataFiles.map((f) => ({ path: f.path, size: f.bytes.byteLength, sha256: sha256Hex(f.bytes) })),
  );
}

/** croissant.json from the release's languages and its data files' sizes and hashes (taken while writing). */
export function croissantOf(
  snapshot: ReleaseSnapshot,
  recordLanguages: readonly string[],
  dataFiles: readonly DataFileEntry[],
): string {
  const languages = [...new Set(recordLanguages)].sort(compareIds);
  const fileObject = (file: DataFileEntry) => ({
    '@type': 'cr:FileObject',
    '@id': file.path,
    name: file.path,
    contentUrl: file.path,
    contentSize: `${file.size} B`,
    encodingFormat: encodingFormatOf(file.path),
    sha256: file.sha256,
  });
  const document = {
    '@context': CONTEXT,
    '@type': 'sc:Dataset',
    conformsTo: 'http://mlcommons.org/croissant/1.0',
    name: snapshot.dataset.slug,
    alternateName: snapshot.dataset.name,
    description: snapshot.dataset.description.trim() || snapshot.dataset.name,
    license: LICENSE_URLS[snapshot.dataset.license] ?? snapshot.dataset.license,
    ...(snapshot.dataset.url ? { url: snapshot.dataset.url } : {}),
    // Who made it: the dataset's contributors (their names are not part of a release), at its home page.
    creator: {
      '@type': 'sc:Organization',
      name: `${snapshot.dataset.name} contributors`,
      ...(snapshot.dataset.url ? { url: snapshot.dataset.url } : {}),
    },
    citeAs: bibtexCitation(snapshot),
    version: snapshot.version,
    datePublished: snapshot.releasedAt,
    inLanguage: languages,
    isLiveDataset: false,
    distribution: [
      ...[...dataFiles].sort((a, b) => compareIds(a.path, b.path)).map(fileObject),
      {
        '@type': 'cr:FileSet',
        '@id': JSONL_SET,
        name: JSONL_SET,
        description: 'One JSON Lines file per language config: data/<language>/test.jsonl.',
        encodingFormat: 'application/jsonlines',
        includes: 'data/*/test.jsonl',
      },
      // The Parquet files (parquet.ts), when the release has them: every data file ending in .parquet.
      ...(dataFiles.some((f) => f.path.endsWith('.parquet'))
        ? [
            {
              '@type': 'cr:FileSet',
              '@id': PARQUET_SET,
              name: PARQUET_SET,
              description: 'One Parquet file per config and split, as the Hugging Face Hub lays them out.',
              encodingFormat: 'application/x-parquet',
              includes: 'data/*/*.parquet',
            },
          ]
        : []),
    ],
    recordSet: [
      {
        '@type': 'cr:RecordSet',
        '@id': RECORDS,
        name: RECORDS,
        description: `Evaluation items, one per record, in the canonical Culture Studio format (JSON Schema: ${RECORD_SCHEMA_PATH}).`,
        key: { '@id': `${RECORDS}/id` },
        field: FIELDS.map((spec) => field(spec, null)),
      },
    ],
  };
  return prettyJson(document);
}
