// Three JavaScript Parquet writers on the same records (npm run bench:parquet -- [N] [--runs=3]
// [--modules=<folder>]): hyparquet-writer, parquet-wasm (through apache-arrow) and @dsnp/parquetjs, each writing
// N release records of our record shape (nested structs, lists, a list of structs, nulls) to one Snappy file.
// Prints, per writer, the median time to the finished bytes, the file size and the heap/RSS growth, and the
// floor (JSON.stringify of every record, what the JSONL writer costs at least) from the same run.
//
// Only the chosen writer is a dependency of the project; install the other two in a scratch folder to compare:
//   npm install --prefix /tmp/pq hyparquet-writer parquet-wasm apache-arrow @dsnp/parquetjs
//   npm run bench:parquet -- 100000 --runs=3 --modules=/tmp/pq/node_modules
// A writer that cannot be loaded from <folder> (default: the project's node_modules) is reported as missing.
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkedRecord } from '../exports/record.ts';
import type { DatasetRecord } from '../schema/release.ts';
import { parquetBytes } from '../exports/parquet.ts';
import { generateItem, prng } from './lib/generate.ts';
import { median } from './lib/stats.ts';

const OUT = 'bench/out';
const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
const modules = resolve(args.find((a) => a.startsWith('--modules='))?.slice(10) ?? 'node_modules');

/** The records: generated items of every format, frozen as a release would freeze them. */
function records(count: number): DatasetRecord[] {
  const rand = prng(7);
  const out: DatasetRecord[] = [];
  for (let i = 0; i < count; i++) {
    const item = generateItem(i, rand, 1, [1]);
    const annotation = {
      validations: 3,
      agreement: i % 3 === 0 ? 1 : 0.83,
      resolution: i % 5 === 0 ? ('adjudicated' as const) : ('unanimous' as const),
    };
    out.push(
      checkedRecord(
        {
          ...item,
          region: i % 4 === 0 ? 'Seoul' : null,
          sources: i % 2 === 0 ? [{ url: `https://example.org/${i}`, title: `Source ${i}` }] : [],
          secondaryTags: i % 3 === 0 ? ['tradition/food'] : [],
        },
        annotation,
        '1.0.0',
        'cc-by-4.0',
      ),
    );
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Loads a package (ESM or CommonJS) from the modules folder; null when it is not installed there. */
async function load(name: string, subpath = ''): Promise<Record<string, unknown> | null> {
  try {
    const require = createRequire(join(modules, 'noop.js'));
    const main = require.resolve(name + subpath);
    return (await import(pathToFileURL(main).href)) as Record<string, unknown>;
  } catch {
    try {
      const pkg = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')) as {
        exports?: Record<string, unknown>;
      };
      if (!pkg.exports) return null;
      const entry = join(modules, name, subpath === '' ? 'src/node.js' : subpath);
      return (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    } catch {
      return null;
    }
  }
}

// The candidates' APIs as this script calls them (each package's own types stay out of the project).
type Fn = (...a: unknown[]) => unknown;
interface Ctor {
  new (...a: unknown[]): Record<string, Fn>;
}
const fn = (m: Record<string, unknown>, name: string) => m[name] as Fn;
const ctor = (m: Record<string, unknown>, name: string) => m[name] as Ctor;

/** hyparquet-writer, through exports/parquet.ts (the release's own writer). */
function hyparquetWriter(rows: DatasetRecord[]): Promise<Uint8Array> {
  return Promise.resolve(parquetBytes(rows));
}

/** parquet-wasm (Rust's parquet crate in WebAssembly): an Arrow table built with apache-arrow, then written. */
async function parquetWasm(rows: DatasetRecord[]): Promise<Uint8Array | null> {
  const arrow = await load('apache-arrow');
  const pw = await load('parquet-wasm', '/node');
  if (!arrow || !pw) return null;
  const A = arrow;
  const Field = A.Field as { new: (...a: unknown[]) => unknown };
  const type = (name: string, ...a: unknown[]) => new (ctor(A, name))(...a);
  const utf8 = () => type('Utf8');
  const field = (name: string, t: unknown, nullable = true) => Field.new(name, t, nullable);
  const list = (t: unknown) => type('List', field('element', t));
  const struct = (...fields: unknown[]) => type('Struct', fields);
  const vector = fn(A, 'vectorFromArray');
  const col = <T>(pick: (r: DatasetRecord) => T, t: unknown) => vector(rows.map(pick), t);
  const i64 = (v: number | null) => (v === null ? null : BigInt(v));
  const table = new (ctor(A, 'Table'))({
    id: col((r) => r.id, utf8()),
    language: col((r) => r.language, utf8()),
    locale: col((r) => r.locale, struct(field('country', utf8()), field('region', utf8()))),
    kind: col((r) => r.kind, utf8()),
    format: col((r) => r.format, utf8()),
    question: col((r) => r.question, utf8()),
    question_en: col((r) => r.question_en, utf8()),
    choices: col((r) => r.choices, list(utf8())),
    answer_index: col((r) => i64(r.answer_index), type('Int64')),
    answer: col((r) => r.answer, type('Bool')),
    reference_answer: col((r) => r.reference_answer, utf8()),
    answer_en: col((r) => r.answer_en, utf8()),
    accepted_answers: col((r) => r.accepted_answers, list(utf8())),
    rationale: col((r) => r.rationale, utf8()),
    sources: col((r) => r.sources, list(struct(field('url', utf8()), field('title', utf8())))),
    category: col((r) => r.category, utf8()),
    tags: col((r) => r.tags, list(utf8())),
    difficulty: col((r) => r.difficulty, utf8()),
    safety: col(
      (r) => r.safety,
      struct(field('hazard', utf8()), field('attack_style', utf8()), field('expected_behavior', utf8())),
    ),
    annotation: col(
      (r) => ({ ...r.annotation, validations: BigInt(r.annotation.validations) }),
      struct(
        field('validations', type('Int64')),
        field('agreement', type('Float64')),
        field('resolution', utf8()),
      ),
    ),
    release: col((r) => r.release, utf8()),
  });
  const ipc = fn(A, 'tableToIPC')(table, 'stream') as Uint8Array;
  const wasmTable = (pw.Table as { fromIPCStream: Fn }).fromIPCStream(ipc);
  const props = new (ctor(pw, 'WriterPropertiesBuilder'))().setCompression(1 /* SNAPPY */) as Record<
    string,
    Fn
  >;
  return fn(pw, 'writeParquet')(wasmTable, props.build()) as Uint8Array;
}

/** @dsnp/parquetjs (a maintained fork of parquetjs): rows through its own record shredder, to a file. */
async function dsnpParquetjs(rows: DatasetRecord[]): Promise<Uint8Array | null> {
  const pq = await load('@dsnp/parquetjs');
  if (!pq) return null;
  const s = (optional = true) => ({ type: 'UTF8', optional });
  const schema = new (ctor(pq, 'ParquetSchema'))({
    id: s(false),
    language: s(false),
    locale: { fields: { country: s(false), region: s() } },
    kind: s(false),
    format: s(false),
    question: s(false),
    question_en: s(),
    choices: { type: 'UTF8', repeated: true },
    answer_index: { type: 'INT64', optional: true },
    answer: { type: 'BOOLEAN', optional: true },
    reference_answer: s(),
    answer_en: s(),
    accepted_answers: { type: 'UTF8', repeated: true },
    rationale: s(),
    sources: { repeated: true, fields: { url: s(false), title: s(false) } },
    category: s(),
    tags: { type: 'UTF8', repeated: true },
    difficulty: s(),
    safety: {
      optional: true,
      fields: { hazard: s(false), attack_style: s(false), expected_behavior: s(false) },
    },
    annotation: {
      fields: {
        validations: { type: 'INT64' },
        agreement: { type: 'DOUBLE', optional: true },
        resolution: s(),
      },
    },
    release: s(false),
  });
  const path = `${OUT}/parquet-dsnp.parquet`;
  rmSync(path, { force: true });
  const open = (pq.ParquetWriter as { openFile: Fn }).openFile;
  const writer = (await open(schema, path, { compression: 'SNAPPY' })) as Record<string, Fn>;
  for (const r of rows) {
    // Nulls are left out (the library's way to write an optional field as missing); lists stay lists.
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (v !== null) row[k] = v;
    row.choices ??= [];
    row.accepted_answers ??= [];
    await writer.appendRow(row);
  }
  await writer.close();
  return readFileSync(path);
}

async function measure(
  name: string,
  rows: DatasetRecord[],
  write: (rows: DatasetRecord[]) => Promise<Uint8Array | null>,
) {
  const times: number[] = [];
  let size = 0;
  let rssGrowth = 0;
  for (let run = 0; run < runs; run++) {
    globalThis.gc?.();
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    const bytes = await write(rows);
    if (!bytes) return console.log(`${name.padEnd(18)} not installed under ${modules}`);
    times.push(performance.now() - started);
    size = bytes.length;
    rssGrowth = Math.max(rssGrowth, process.memoryUsage().rss - rss);
  }
  console.log(
    `${name.padEnd(18)} ${median(times).toFixed(0).padStart(6)} ms  ${(size / 1024 / 1024).toFixed(2).padStart(6)} MB  RSS +${(rssGrowth / 1024 / 1024).toFixed(0)} MB  runs ${times.map((t) => t.toFixed(0)).join(', ')}`,
  );
}

mkdirSync(OUT, { recursive: true });
const rows = records(n);
const jsonStarted = performance.now();
let jsonBytes = 0;
for (const r of rows) jsonBytes += Buffer.byteLength(JSON.stringify(r)) + 1;
console.log(
  `${n} records; floor (JSON.stringify each): ${(performance.now() - jsonStarted).toFixed(0)} ms, JSONL ${(jsonBytes / 1024 / 1024).toFixed(2)} MB`,
);
await measure('hyparquet-writer', rows, hyparquetWriter);
await measure('parquet-wasm', rows, parquetWasm);
await measure('@dsnp/parquetjs', rows, dsnpParquetjs);
const dsnpFile = `${OUT}/parquet-dsnp.parquet`;
if (statSync(dsnpFile, { throwIfNoEntry: false })) rmSync(dsnpFile);
