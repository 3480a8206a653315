// The release builds' file writer thread (started once per process by file-writer-client.ts, then reused). Each build
// gets its own MessagePort and FileWriter here, which writes, hashes and fsyncs every file of the build,
// compresses each file's archive members as it goes, and makes the CSV and harness views from the records'
// JSONL lines — while the main thread reads the snapshot and writes the JSONL data files, so a build uses
// both cores.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { csvHeader, csvPathOf, csvRow } from '../../../exports/csv.ts';
import { parquetPath, ParquetRecordsWriter } from '../../../exports/parquet.ts';
import type { ItemSplit } from '../../../schema/item.ts';
import { harnessViewPath, harnessViewRow } from '../../../exports/harness.ts';
import { jsonlLine } from '../../../exports/jsonl.ts';
import type { DatasetRecord } from '../../../schema/release.ts';
import { ArchiveMembers } from './archive.ts';
import type { FileWriterSetup, FromFileWriter, ToFileWriter } from './file-writer-protocol.ts';
import { TextChunks } from './text-chunks.ts';
import { lowerThisThreadPriority } from '../../jobs/priority.ts';

/** One file being written: hashed, counted and cut into archive members as it is written. */
class OutFile {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private size = 0;
  private readonly archive: ArchiveMembers | null;
  private chunks: TextChunks | null = null;

  constructor(
    readonly path: string,
    file: string,
    gzip: boolean,
  ) {
    this.fd = openSync(file, 'wx');
    this.archive = gzip ? new ArchiveMembers() : null;
  }

  /** For files whose text is made here. */
  get text(): TextChunks {
    return (this.chunks ??= new TextChunks((bytes) => this.write(bytes)));
  }

  write(bytes: Uint8Array) {
    for (let off = 0; off < bytes.length;) off += writeSync(this.fd, bytes, off);
    this.hash.update(bytes);
    this.size += bytes.length;
    this.archive?.add(bytes);
  }

  /** Flushes, fsyncs and closes the file: its entry and its archive members (moved, not copied). */
  close(): { reply: FromFileWriter; transfer: ArrayBuffer[] } {
    this.chunks?.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    const body = this.archive?.finish() ?? null;
    const entry = { path: this.path, size: this.size, sha256: this.hash.digest('hex') };
    return { reply: { path: this.path, entry, body }, transfer: body ? [body.buffer as ArrayBuffer] : [] };
  }

  abandon() {
    closeSync(this.fd);
  }
}

/** The files of one build, driven by the messages on its port. */
class FileWriter {
  private readonly open = new Map<string, OutFile>();
  /** The Parquet files being written (data/<config>/<split>-00000-of-00001.parquet), by path. */
  private readonly parquets = new Map<string, ParquetRecordsWriter>();
  /** The first failure: every later close answers with it (the build is abandoned anyway). */
  private failure: string | null = null;

  constructor(
    private readonly setup: FileWriterSetup,
    private readonly port: MessagePort,
  ) {
    port.on('message', (m: ToFileWriter) => {
      this.receive(m);
      Atomics.add(setup.handled, 0, 1);
      Atomics.notify(setup.handled, 0);
    });
    // The CSV starts with its header, before any record.
    this.attempt(() => this.csv('test'));
  }

  private attempt(work: () => void): boolean {
    try {
      work();
      return true;
    } catch (e) {
      this.failure = e instanceof Error ? e.message : String(e);
      return false;
    }
  }

  private receive(m: ToFileWriter) {
    if (m.op === 'stop') {
      for (const f of this.open.values()) this.attempt(() => f.abandon());
      this.open.clear();
      this.parquets.clear();
      this.port.close();
      return;
    }
    if (this.failure === null && this.attempt(() => this.handle(m))) return;
    if (m.op === 'close')
      this.port.postMessage({ path: m.path, error: this.failure! } satisfies FromFileWriter);
  }

  /** The CSV of a split (csv/test.csv is made with the writer; csv/dev.csv with the first exemplar). */
  private csv(split: ItemSplit): OutFile {
    const path = csvPathOf(split);
    const known = this.open.get(path);
    if (known) return known;
    const f = this.derived(path);
    f.text.write(csvHeader());
    return f;
  }

  /** The Parquet file of a config's split, written a row group at a time into its file. */
  private parquet(path: string): ParquetRecordsWriter {
    let w = this.parquets.get(path);
    if (!w) {
      const file = this.derived(path);
      w = new ParquetRecordsWriter((bytes) => file.write(bytes));
      this.parquets.set(path, w);
    }
    return w;
  }

  /** A file this writer makes (the CSV, a harness view): under the release folder, whatever the path says. */
  private derived(path: string): OutFile {
    let f = this.open.get(path);
    if (!f) {
      const root = resolve(this.setup.root);
      const file = resolve(root, path);
      if (!file.startsWith(root + sep)) throw new Error(`Release path outside the release: ${path}`);
      f = new OutFile(path, file, this.setup.gzip);
      this.open.set(path, f);
    }
    return f;
  }

  private handle(m: Exclude<ToFileWriter, { op: 'stop' }>) {
    switch (m.op) {
      case 'open':
        this.open.set(m.path, new OutFile(m.path, m.file, this.setup.gzip));
        return;
      case 'bytes':
        this.open.get(m.path)!.write(m.bytes);
        return;
      case 'records': {
        for (const line of m.lines) {
          const r = JSON.parse(line) as DatasetRecord;
          this.csv(r.split).text.write(csvRow(r));
          const view = harnessViewPath(r);
          if (view) this.derived(view).text.write(jsonlLine(harnessViewRow(r)));
          this.parquet(parquetPath(r.language, r.split)).add(r);
        }
        return;
      }
      case 'close': {
        const f = this.open.get(m.path);
        if (!f) throw new Error(`No open release file ${m.path}`);
        // A Parquet file's last row group and footer go in before it is closed.
        this.parquets.get(m.path)?.finish();
        this.parquets.delete(m.path);
        this.open.delete(m.path);
        const { reply, transfer } = f.close();
        this.port.postMessage(reply, transfer);
        return;
      }
    }
  }
}

// Each build sends its port and setup; the writer lives as long as the port.
lowerThisThreadPriority();
parentPort!.on('message', (m: { port: MessagePort; setup: FileWriterSetup }) => {
  new FileWriter(m.setup, m.port);
});
// Loaded: a warm-up (fileWriterReady) waits for this.
parentPort!.postMessage('ready');
