// The streaming release writer. It writes exactly the bytes buildReleaseFiles (exports/) would return for the
// same snapshot — a test holds it to that — one record at a time, holding no record after it is written:
// the card and the changelog gather their figures and lines as the records go by.
import { setImmediate as tick } from 'node:timers/promises';
import {
  cardStats,
  checksumsPath,
  compareIds,
  croissantOf,
  csvPath,
  csvPathOf,
  datasetCardOf,
  harnessFiles,
  harnessViewPath,
  jsonlLine,
  jsonlPath,
  parquetPath,
  recordSchemaFile,
  streamingChangelog,
} from '../../../exports/index.ts';
import { assertAscendingIds } from '../../../exports/record.ts';
import type { DatasetRecord, ReleaseFileEntry, ReleaseSnapshot } from '../../../schema/release.ts';
import { assembleArchive } from './archive.ts';
import { ReleaseFiles, type ClosedFile } from './file-writer-client.ts';
import type { ReleaseSource } from './snapshot.ts';
import type { TextChunks } from './text-chunks.ts';

/** Called at each step (`snapshot`, `file:<path>`, `files-written`, `archived`, `renamed`); tests throw from it. */
export type ReleaseBuildHook = (step: string) => void | Promise<void>;

/** Records' JSONL lines sent to the file writer per message. */
const LINES_PER_MESSAGE = 250;

/** What croissant.json describes: the test split's JSONL and CSV, and every Parquet file. */
const isDataFile = (path: string) =>
  path === csvPath || /^data\/[^/]+\/(test\.jsonl|[^/]+\.parquet)$/.test(path);

/**
 * The previous release's records for the changelog, which pulls them synchronously as records go by: read
 * ahead (a page per repository call) far enough before each page of records is added, so that pulling
 * never needs to wait, and holding only the pages not yet pulled.
 */
class PreviousRecords implements Iterator<DatasetRecord> {
  private buffer: DatasetRecord[] = [];
  private taken = 0;
  private exhausted = false;
  private readonly pages: AsyncIterator<DatasetRecord[]>;

  constructor(pages: AsyncIterable<DatasetRecord[]>) {
    this.pages = pages[Symbol.asyncIterator]();
  }

  /** Reads pages until one holds a record after `id` (every record when `id` is null), or none is left. */
  async readThrough(id: string | null): Promise<void> {
    for (;;) {
      if (this.exhausted) return;
      const last = this.buffer[this.buffer.length - 1];
      if (id !== null && last && compareIds(last.id, id) > 0) return;
      const page = await this.pages.next();
      if (page.done) this.exhausted = true;
      else {
        this.buffer = this.buffer.slice(this.taken).concat(page.value);
        this.taken = 0;
      }
    }
  }

  next(): IteratorResult<DatasetRecord> {
    if (this.taken < this.buffer.length) return { done: false, value: this.buffer[this.taken++] };
    if (this.exhausted) return { done: true, value: undefined };
    throw new Error('The previous release was not read far enough (add pages with addPage)');
  }
}

/**
 * Writes a release under `root`: `addPage` every page of records in id order (or `add` each record when the
 * source has no previous release: synchronous), then `finish` closes the data files and writes the card,
 * croissant.json, the changelog and SHA256SUMS. `abort` closes everything after a failure.
 */
export class ReleaseTreeWriter {
  private readonly files: ReleaseFiles;
  /** The files written from this thread (the JSONL data files, then the metadata files), by path. */
  private readonly sinks = new Map<string, TextChunks>();
  /** Lines of records not yet sent to the file writer (which makes the CSV and harness views of them). */
  private lines: string[] = [];
  private readonly stats = cardStats();
  private readonly checkOrder = assertAscendingIds();
  /** The first record of each harness view: the lm-eval task files depend on nothing else. */
  private readonly samples = new Map<string, DatasetRecord>();
  private readonly bodies = new Map<string, Buffer | null>();
  /** The other files the file writer makes from the records: each split's Parquet files, csv/dev.csv. */
  private readonly derived = new Set<string>();

  private readonly previous: PreviousRecords | null;
  /** Made at the first record (the changelog pulls the previous release's first record at once). */
  private changelog: ReturnType<typeof streamingChangelog> | undefined;

  constructor(
    root: string,
    private readonly src: Omit<ReleaseSource, 'records'>,
    private readonly options: { archive?: boolean } = {},
  ) {
    this.previous = src.previous && new PreviousRecords(src.previous.records());
    // Last: from here on the writer has a thread to stop (finish, archive or abort do).
    this.files = new ReleaseFiles(root, !!options.archive);
  }

  private get changes(): ReturnType<typeof streamingChangelog> {
    const before = this.src.previous;
    this.changelog ??= streamingChangelog(
      this.src.meta.version,
      this.src.meta.releasedAt,
      before && this.previous && { version: before.version, records: this.previous },
    );
    return this.changelog;
  }

  /** Adds a page of records in id order, after reading the previous release as far as they go. */
  async addPage(records: readonly DatasetRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.previous?.readThrough(records[records.length - 1].id);
    for (const r of records) this.add(r);
  }

  private sink(path: string): TextChunks {
    let s = this.sinks.get(path);
    if (!s) {
      s = this.files.open(path);
      this.sinks.set(path, s);
    }
    return s;
  }

  add(r: DatasetRecord) {
    this.checkOrder(r.id);
    const line = jsonlLine(r);
    this.sink(jsonlPath(r.language, r.split)).write(line);
    // The file writer makes the split's CSV and Parquet files (and its harness views) from the line.
    this.derived.add(parquetPath(r.language, r.split));
    if (r.split === 'dev') this.derived.add(csvPathOf('dev'));
    const view = harnessViewPath(r);
    if (view !== null && !this.samples.has(view)) {
      this.samples.set(view, r);
      this.files.folderFor(view);
    }
    this.lines.push(line);
    if (this.lines.length === LINES_PER_MESSAGE) this.sendLines();
    this.stats.add(r);
    this.changes.add(r);
  }

  private sendLines() {
    if (this.lines.length === 0) return;
    this.files.records(this.lines);
    this.lines = [];
  }

  /** A file not made from the records (the model trials a maintainer includes), written as given. */
  addFile(path: string, text: string) {
    this.sink(path).write(text);
  }

  /** Closes every file (calling `hook('file:<path>')` after each) and returns them sorted by path. */
  async finish(hook: ReleaseBuildHook): Promise<ReleaseFileEntry[]> {
    const files: ReleaseFileEntry[] = [];
    const closing = (path: string) => {
      this.sinks.get(path)?.flush();
      this.sinks.delete(path);
      return this.files.close(path);
    };
    const closed = async (path: string, file: Promise<ClosedFile>) => {
      const { entry, body } = await file;
      files.push(entry);
      this.bodies.set(path, body);
      await hook(`file:${path}`);
    };
    const write = async (path: string, text: string) => {
      this.sink(path).write(text);
      await closed(path, closing(path));
    };
    this.sendLines();
    // Every record file is closed at once (the writer answers in order), then each is awaited in turn.
    const recordFiles = [...this.sinks.keys(), csvPath, ...this.derived, ...this.samples.keys()].sort(
      compareIds,
    );
    const pending = recordFiles.map((path) => closing(path));
    for (const [n, path] of recordFiles.entries()) await closed(path, pending[n]);

    await this.previous?.readThrough(null);
    const meta: ReleaseSnapshot = { ...this.src.meta, items: [] };
    for (const f of harnessFiles(meta, [...this.samples.values()])) {
      if (f.path.startsWith('harness/lm-eval/')) await write(f.path, Buffer.from(f.bytes).toString('utf8'));
    }
    const schema = recordSchemaFile();
    await write(schema.path, Buffer.from(schema.bytes).toString('utf8'));
    await write('README.md', datasetCardOf(meta, this.stats));
    const dataFiles = files.filter((f) => isDataFile(f.path)).sort((a, b) => compareIds(a.path, b.path));
    await write('croissant.json', croissantOf(meta, this.stats.languages, dataFiles));
    await write('CHANGELOG.md', this.changes.text());
    files.sort((a, b) => compareIds(a.path, b.path));
    await write(checksumsPath, files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
    if (!this.options.archive) this.files.stop();
    return files.sort((a, b) => compareIds(a.path, b.path));
  }

  /**
   * Writes the release's .tar.gz (as `writeArchive` would over the finished folder) from the members
   * compressed while the files were written. Needs `{ archive: true }` and `finish` first.
   */
  async archive(name: string, files: readonly ReleaseFileEntry[], releasedAt: string, target: string) {
    if (!this.options.archive) throw new Error('This release writer compresses no archive');
    try {
      return await assembleArchive(name, files, releasedAt, (path) => this.bodies.get(path)!, target);
    } finally {
      this.files.stop();
    }
  }

  abort() {
    this.sinks.clear();
    this.files.stop();
  }
}

/** Adds every page of `pages`, letting the event loop turn between two. */
export async function feed(tree: ReleaseTreeWriter, pages: AsyncIterable<DatasetRecord[]>) {
  for await (const page of pages) {
    await tree.addPage(page);
    await tick();
  }
}
