// The Parquet view of a split: the same records as its JSONL file, one column per record key, nested fields as
// Parquet structs and 3-level lists (what pyarrow and `datasets` read as struct / list columns). Written with
// hyparquet-writer (docs/dependencies.md), Snappy-compressed, in row groups of ROW_GROUP records, without
// statistics, with a fixed `created_by`: the same records always give the same bytes.
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { datasetRecordKeys, type DatasetRecord } from '../schema/release.ts';
import { recordsBySplit } from './record.ts';

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];
type Repetition = 'REQUIRED' | 'OPTIONAL';

/** Records per row group: small enough to keep a writer's memory flat, large enough for good compression. */
export const ROW_GROUP = 5_000;
const CREATED_BY = 'culture-studio';

/** `data/<config>/<split>-00000-of-00001.parquet`: the layout the Hugging Face Hub reads configs and splits from. */
export const parquetPath = (config: string, split: string) =>
  `data/${config}/${split}-00000-of-00001.parquet`;

// One column's Parquet type, built from these few shapes.
type Column = SchemaElement[];
const string = (name: string, repetition: Repetition): Column => [
  { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: repetition },
];
const int64 = (name: string, repetition: Repetition): Column => [
  { name, type: 'INT64', repetition_type: repetition },
];
const double = (name: string, repetition: Repetition): Column => [
  { name, type: 'DOUBLE', repetition_type: repetition },
];
const bool = (name: string, repetition: Repetition): Column => [
  { name, type: 'BOOLEAN', repetition_type: repetition },
];
const struct = (name: string, repetition: Repetition, fields: Column[]): Column => [
  { name, repetition_type: repetition, num_children: fields.length },
  ...fields.flat(),
];
/** The standard 3-level list: `<name> (LIST) { repeated group list { element } }`. */
const list = (name: string, repetition: Repetition, element: (name: string) => Column): Column => [
  { name, repetition_type: repetition, converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  ...element('element'),
];

/**
 * Every record key's column, in record order. Typed by the record, so a new record field does not compile
 * until it has its Parquet column. Integers are int64 and `annotation.agreement` a double in every file, as
 * the card's `dataset_info.features` declares them.
 */
const COLUMNS: { [K in keyof DatasetRecord]: (name: K) => Column } = {
  id: (n) => string(n, 'REQUIRED'),
  language: (n) => string(n, 'REQUIRED'),
  locale: (n) => struct(n, 'REQUIRED', [string('country', 'REQUIRED'), string('region', 'OPTIONAL')]),
  kind: (n) => string(n, 'REQUIRED'),
  format: (n) => string(n, 'REQUIRED'),
  question: (n) => string(n, 'REQUIRED'),
  question_en: (n) => string(n, 'OPTIONAL'),
  context: (n) => string(n, 'OPTIONAL'),
  choices: (n) => list(n, 'OPTIONAL', (e) => string(e, 'REQUIRED')),
  answer_index: (n) => int64(n, 'OPTIONAL'),
  answer: (n) => bool(n, 'OPTIONAL'),
  reference_answer: (n) => string(n, 'OPTIONAL'),
  answer_en: (n) => string(n, 'OPTIONAL'),
  accepted_answers: (n) => list(n, 'OPTIONAL', (e) => string(e, 'REQUIRED')),
  rationale: (n) => string(n, 'OPTIONAL'),
  sources: (n) =>
    list(n, 'REQUIRED', (e) =>
      struct(e, 'REQUIRED', [string('url', 'REQUIRED'), string('title', 'REQUIRED')]),
    ),
  category: (n) => string(n, 'OPTIONAL'),
  tags: (n) => list(n, 'REQUIRED', (e) => string(e, 'REQUIRED')),
  difficulty: (n) => string(n, 'OPTIONAL'),
  safety: (n) =>
    struct(n, 'OPTIONAL', [
      string('hazard', 'REQUIRED'),
      string('attack_style', 'REQUIRED'),
      string('expected_behavior', 'REQUIRED'),
    ]),
  origin: (n) =>
    struct(n, 'OPTIONAL', [
      string('benchmark', 'REQUIRED'),
      string('file', 'REQUIRED'),
      int64('row', 'REQUIRED'),
      string('id', 'OPTIONAL'),
    ]),
  license: (n) => string(n, 'REQUIRED'),
  metadata: (n) => string(n, 'OPTIONAL'),
  annotation: (n) =>
    struct(n, 'REQUIRED', [
      int64('validations', 'REQUIRED'),
      double('agreement', 'OPTIONAL'),
      string('resolution', 'OPTIONAL'),
    ]),
  release: (n) => string(n, 'REQUIRED'),
  split: (n) => string(n, 'REQUIRED'),
};

/** Parquet's INT64 takes bigints: the record's integers, converted as they are added. */
const big = (n: number | null) => (n === null ? null : BigInt(n));
const VALUES: { [K in keyof DatasetRecord]?: (value: DatasetRecord[K]) => unknown } = {
  answer_index: big,
  origin: (o) => o && { benchmark: o.benchmark, file: o.file, row: BigInt(o.row), id: o.id },
  annotation: (a) => ({
    validations: BigInt(a.validations),
    agreement: a.agreement,
    resolution: a.resolution,
  }),
};
const toValue = datasetRecordKeys.map(
  (key) => (VALUES[key] as ((value: unknown) => unknown) | undefined) ?? ((value: unknown) => value),
);

/** The file's schema: the root, then every column in record key order. */
export const parquetSchema = (): SchemaElement[] => [
  { name: 'schema', num_children: datasetRecordKeys.length },
  ...datasetRecordKeys.flatMap((key) => (COLUMNS[key] as (name: string) => Column)(key)),
];

/** A ByteWriter that hands its bytes to `out` after every row group instead of growing. */
class ChunkWriter extends ByteWriter {
  constructor(private readonly out: (bytes: Uint8Array) => void) {
    super(1 << 20);
  }

  flush() {
    if (this.index === 0) return;
    // A copy: the writer reuses its buffer for the next row group.
    this.out(new Uint8Array(this.buffer.slice(0, this.index)));
    this.index = 0;
  }

  override finish() {
    this.flush();
  }
}

/**
 * Writes one Parquet file from records in id order, a row group at a time: `add` each record, then `finish`.
 * The bytes go to `out` as each row group is done (each buffer owns its memory, so it may be moved to another
 * thread).
 */
export class ParquetRecordsWriter {
  private readonly writer: ParquetWriter;
  private columns: unknown[][] = datasetRecordKeys.map(() => []);
  private rows = 0;

  constructor(out: (bytes: Uint8Array) => void) {
    this.writer = new ParquetWriter({
      writer: new ChunkWriter(out),
      schema: parquetSchema(),
      codec: 'SNAPPY',
      // Min/max statistics cost ≈ a quarter of the writing time (bench/parquet-writers.ts) and no reader of a
      // dataset this size needs them to skip row groups.
      statistics: false,
      createdBy: CREATED_BY,
    });
  }

  add(r: DatasetRecord) {
    for (let i = 0; i < datasetRecordKeys.length; i++)
      this.columns[i].push(toValue[i](r[datasetRecordKeys[i]]));
    if (++this.rows === ROW_GROUP) this.flush();
  }

  private flush() {
    if (this.rows === 0) return;
    const columnData = datasetRecordKeys.map((name, i) => ({ name, data: this.columns[i] }));
    void this.writer.write({ columnData, rowGroupSize: ROW_GROUP });
    this.columns = datasetRecordKeys.map(() => []);
    this.rows = 0;
  }

  finish() {
    this.flush();
    void this.writer.finish();
  }
}

/** `data/<language>/<split>-00000-of-00001.parquet` for every language config and split that has records. */
export function parquetFiles(records: readonly DatasetRecord[]): { path: string; bytes: Uint8Array }[] {
  return recordsBySplit(records).map(({ language, split, rows }) => ({
    path: parquetPath(language, split),
    bytes: parquetBytes(rows),
  }));
}

/** The whole Parquet file of `records` (id order) in one buffer. */
export function parquetBytes(records: Iterable<DatasetRecord>): Uint8Array {
  const chunks: Uint8Array[] = [];
  const writer = new ParquetRecordsWriter((bytes) => chunks.push(bytes));
  for (const r of records) writer.add(r);
  writer.finish();
  return Buffer.concat(chunks);
}
