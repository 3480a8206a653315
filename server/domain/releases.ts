import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import type { ReadStream } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  cardStats,
  checksumsPath,
  compareIds,
  croissantOf,
  csvPath,
  datasetCardOf,
  harnessFiles,
  harnessViewPath,
  jsonlLine,
  jsonlPath,
  streamingChangelog,
  toRecord,
} from '../../exports/index.ts';
import { assertAscendingIds } from '../../exports/record.ts';
import { datasetSlugSchema } from '../../schema/dataset.ts';
import {
  isPreRelease,
  preReleaseStatuses,
  releasableStatuses,
  semverSchema,
  type CreateReleaseInput,
  type DatasetRecord,
  type Release,
  type ReleaseCounts,
  type ReleaseFileEntry,
  type ReleaseFilter,
  type ReleaseItem,
  type ReleaseSnapshot,
} from '../../schema/release.ts';
import type { User } from '../../schema/user.ts';
import type { SelectionFilter } from '../db/releases.ts';
import type { Repositories } from '../db/repositories.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { openHookChannel } from '../jobs/hook-channel.ts';
import { sharedPools } from '../jobs/pool.ts';
import { taskRef } from '../jobs/task.ts';
import type * as buildTasks from './release-build.ts';
import {
  ArchiveMembers,
  gzipMember,
  MEMBER,
  TextChunks,
  type FileWriterSetup,
  type FromFileWriter,
  type ToFileWriter,
} from './release-io.ts';

/** Called at each step (`snapshot`, `file:<path>`, `files-written`, `archived`, `renamed`); tests throw from it. */
export type ReleaseBuildHook = (step: string) => void | Promise<void>;

const PAGE = 500;
/** Records' JSONL lines sent to the file writer per message. */
const LINES_PER_MESSAGE = 250;
/** Messages the file writer may be behind before the build waits for it (each at most ~0.5 MB). */
const MAX_QUEUED = 16;
/** How long the build waits for a file writer that handles nothing before giving up. */
const WRITER_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------------------
// Semver precedence (https://semver.org §11), to find the previous release of a new version.

function comparePre(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    if (!nx && x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function compareSemver(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('+')[0]!.split(/-(.*)/s) as [string, string | undefined];
    return { nums: core.split('.').map(Number), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i]! - y.nums[i]!;
  if (x.pre === null || y.pre === null) return x.pre === y.pre ? 0 : x.pre === null ? 1 : -1;
  return comparePre(x.pre, y.pre);
}

// ---------------------------------------------------------------------------------------------------------
// Paths: everything stays under the releases directory.

/** `root/parts…`, refusing anything that would leave `root` (the parts are validated too, belt and braces). */
export function insideDir(root: string, ...parts: string[]): string {
  const base = resolve(root);
  const full = resolve(base, ...parts);
  const rel = relative(base, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || parts.some((p) => p.includes('\0'))) {
    throw new AppError(400, 'invalid-path', 'That release path is outside the releases directory');
  }
  return full;
}

/**
 * Where a release lives: `<dir>/<filesDir>/` (the folder frozen in its row when it was registered, never
 * derived from the dataset's current slug) holding the folder `<slug>-<version>/` and its archive, named
 * after the slug frozen in its snapshot.
 */
export function releasePaths(releasesDir: string, filesDir: string, slug: string, version: string) {
  datasetSlugSchema.parse(slug);
  semverSchema.parse(version);
  const name = `${slug}-${version}`;
  const home = insideDir(releasesDir, ...filesDir.split('/'));
  return {
    name,
    home,
    folder: join(home, name),
    archive: join(home, `${name}.tar.gz`),
    archiveName: `${name}.tar.gz`,
  };
}

/** A new release's folder: `<slug>/<version>~<random>`, so no two releases (even of two databases) share one. */
export const newFilesDir = (slug: string, version: string) =>
  `${slug}/${version}~${randomBytes(6).toString('hex')}`;

/** The temporary folders of a build, next to the release's folder: `.building-<folder name>-<random>`. */
const TEMP_PREFIX = '.building-';
export const tempFolderName = (home: string) =>
  `${TEMP_PREFIX}${basename(home)}-${randomBytes(6).toString('hex')}`;
export const TEMP_NAME = /^\.building-(.+)-[0-9a-f]{12}$/;

// ---------------------------------------------------------------------------------------------------------
// Who builds a release: `<host>:<pid>` is stored with a release while it is `building`, so that a server
// starting up can tell the builds of stopped processes from those a live process (the CLI, another server
// on the same database) is still running.

const THIS_BUILDER = `${hostname()}:${process.pid}`;

/** Whether `builder` is a process still running release `id`'s build (this one: only if it is building it). */
function builderAlive(builder: string | null, id: number): boolean {
  if (builder === null) return false;
  const at = builder.lastIndexOf(':');
  const pid = Number(builder.slice(at + 1));
  if (builder.slice(0, at) !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return building.has(id);
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Who may read a release's contents.

/**
 * Whether `user` may read the contents of `release`: its archive, its files (card, changelog, data), and
 * anything else derived from its items with their answers (report drill-downs, downloads from the CLI).
 * Maintainers read every release. Reviewers and annotators only a release that is published and final (not a pre-release:
 * no semver pre-release tag and built without submitted items, so every item in it was accepted), all of
 * whose languages they are registered for, and none of whose items is a gold item now (gold items are
 * handed to validators as tests, so their answers must not be readable). The release list and metadata are
 * open to everyone signed in. This is the one place the rule is written; every path calls it.
 */
export function canReadReleaseContents(repos: Repositories, user: User, release: Release): boolean {
  if (user.role === 'maintainer') return true;
  // An unpublished release's snapshot may be incomplete (staged by a build job): nothing of it is readable yet.
  if (release.state !== 'published') return false;
  if (!release.counts.languages.every((l) => user.languages.includes(l))) return false;
  if (release.filter.includeSubmitted || isPreRelease(release.version)) return false;
  return !repos.releases.hasGoldItem(release.id);
}

/**
 * The release whose contents `user` is about to read. A release whose contents they may not read is 404,
 * exactly like an unknown release, so hidden contents tell nothing.
 */
export function readableRelease(repos: Repositories, user: User, id: number): Release {
  const release = repos.releases.get(id);
  if (!release || !canReadReleaseContents(repos, user, release)) throw notFound('Release');
  return release;
}

// ---------------------------------------------------------------------------------------------------------
// Writing files: on a worker thread (release-worker.ts) that writes, hashes, fsyncs and compresses them.

/** The worker started with tsx's require hook: it runs the TypeScript sources like the rest of the server. */
const FILE_WRITER = (() => {
  const require = createRequire(import.meta.url);
  const tsx = JSON.stringify(require.resolve('tsx/cjs/api'));
  const entry = JSON.stringify(fileURLToPath(new URL('./release-worker.ts', import.meta.url)));
  return `require(${tsx}).register(); require(${entry});`;
})();

/**
 * The file writer thread, started by the first build and kept (unreferenced while no build runs, so it never
 * holds a process open) for the next ones: starting it costs ≈ 0.2 s, which the test suite would pay per
 * release. Builds running at once each have their own port to it.
 */
let writerThread: { worker: Worker; builds: number } | null = null;

function fileWriterThread(): { worker: Worker; builds: number } {
  if (!writerThread) {
    const worker = new Worker(FILE_WRITER, {
      eval: true,
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    const thread = { worker, builds: 0 };
    worker.unref();
    worker.on('error', () => {}); // each build listening on it reports the failure
    worker.on('exit', () => {
      if (writerThread === thread) writerThread = null; // the next build starts a new one
    });
    writerThread = thread;
  }
  return writerThread;
}

interface ClosedFile {
  entry: ReleaseFileEntry;
  /** The file's archive members, when compressing. */
  body: Buffer | null;
}

/** One build's handle on the file writer: every call posts a message on its port; `close` answers. */
class ReleaseFiles {
  private readonly thread = fileWriterThread();
  private readonly port: MessagePort;
  private readonly waiting = new Map<
    string,
    { resolve: (f: ClosedFile) => void; reject: (e: Error) => void }
  >();
  private failure: Error | null = null;
  private stopped = false;
  /** Messages posted, and (shared with the writer) messages it has handled: the queue between them. */
  private posted = 0;
  private readonly handled = new Int32Array(new SharedArrayBuffer(4));
  private readonly onError = (e: Error) => this.fail(e);
  private readonly onExit = () => this.fail(new Error('The release file writer stopped'));

  constructor(
    private readonly root: string,
    gzip: boolean,
  ) {
    mkdirSync(join(root, dirname(csvPath)), { recursive: true });
    const { port1, port2 } = new MessageChannel();
    const setup: FileWriterSetup = { root, gzip, handled: this.handled };
    this.thread.worker.postMessage({ port: port2, setup }, [port2]);
    this.port = port1;
    this.port.on('message', (m: FromFileWriter) => {
      const w = this.waiting.get(m.path);
      this.waiting.delete(m.path);
      if ('error' in m) w?.reject(new Error(m.error));
      else {
        const body = m.body && Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
        w?.resolve({ entry: m.entry, body });
      }
    });
    this.thread.worker.on('error', this.onError);
    this.thread.worker.on('exit', this.onExit);
    if (this.thread.builds++ === 0) this.thread.worker.ref(); // a build in progress keeps the process up
  }

  private fail(e: Error) {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  /**
   * Posts a message. Data (`open`, `bytes`, `records`) is paced: the build runs synchronously (inside the
   * snapshot transaction), so when the writer falls MAX_QUEUED messages behind, this thread blocks until
   * it has caught up halfway, and memory stays bounded whichever thread is faster. `close` never waits.
   */
  private post(m: ToFileWriter, transfer?: ArrayBuffer[]) {
    this.port.postMessage(m, transfer);
    if (++this.posted - Atomics.load(this.handled, 0) <= MAX_QUEUED || m.op === 'close' || m.op === 'stop')
      return;
    let last = Atomics.load(this.handled, 0);
    let idleSince = performance.now();
    while (this.posted - last > MAX_QUEUED / 2) {
      Atomics.wait(this.handled, 0, last, 100);
      const now = Atomics.load(this.handled, 0);
      if (now !== last) idleSince = performance.now();
      else if (performance.now() - idleSince > WRITER_TIMEOUT_MS)
        throw new Error('The release file writer stopped answering');
      last = now;
    }
  }

  /** A file whose bytes this thread sends; its folder is made here, so the writer never makes folders. */
  open(path: string): TextChunks {
    const file = insideDir(this.root, path);
    mkdirSync(dirname(file), { recursive: true });
    this.post({ op: 'open', path, file });
    // TextChunks hands out buffers that own their memory: they move to the writer without a copy.
    return new TextChunks((bytes) => this.post({ op: 'bytes', path, bytes }, [bytes.buffer as ArrayBuffer]));
  }

  /** Makes the folder of a file the writer will create from records (a harness view). */
  folderFor(path: string) {
    mkdirSync(dirname(insideDir(this.root, path)), { recursive: true });
  }

  records(lines: string[]) {
    this.post({ op: 'records', lines });
  }

  /** Closes a file: its size, SHA-256 and archive members once written and fsynced. */
  close(path: string): Promise<ClosedFile> {
    if (this.failure) return Promise.reject(this.failure);
    const closed = new Promise<ClosedFile>((resolve, reject) => this.waiting.set(path, { resolve, reject }));
    closed.catch(() => {}); // awaited by the caller; a failure while others are pending is reported there
    this.post({ op: 'close', path });
    return closed;
  }

  /** Ends this build's writer (it closes what is still open first) and lets go of the thread. */
  stop() {
    if (this.stopped) return;
    this.stopped = true;
    this.post({ op: 'stop' });
    this.port.unref(); // the writer closes the channel once it has handled the stop
    this.thread.worker.off('error', this.onError);
    this.thread.worker.off('exit', this.onExit);
    if (--this.thread.builds === 0) this.thread.worker.unref();
  }
}

export function fsyncDir(path: string) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The streaming release writer. It writes exactly the bytes buildReleaseFiles (exports/) would return for the
// same snapshot — a test holds it to that — one record at a time, holding no record after it is written:
// the card and the changelog gather their figures and lines as the records go by.

export interface ReleaseSource {
  meta: Omit<ReleaseSnapshot, 'items'>;
  /** Every record, sorted by id, fetched a page at a time. */
  records(): Iterable<DatasetRecord>;
  previous: { version: string; records(): Iterable<DatasetRecord> } | null;
}

const isDataFile = (path: string) => path === csvPath || /^data\/[^/]+\/test\.jsonl$/.test(path);

/**
 * Writes a release under `root`: `add` every record in id order (synchronous, so it can run inside the
 * snapshot transaction), then `finish` closes the data files and writes the card, croissant.json, the
 * changelog and SHA256SUMS. `abort` closes everything after a failure.
 */
export class ReleaseTreeWriter {
  private readonly files: ReleaseFiles;
  /** The files written from this thread (the JSONL data files, then the metadata files), by path. */
  private readonly sinks = new Map<string, TextChunks>();
  /** Lines of records not yet sent to the file writer (which makes the CSV and harness views of them). */
  private lines: string[] = [];
  private readonly stats = cardStats();
  private readonly changes: ReturnType<typeof streamingChangelog>;
  private readonly checkOrder = assertAscendingIds();
  /** The first record of each harness view: the lm-eval task files depend on nothing else. */
  private readonly samples = new Map<string, DatasetRecord>();
  private readonly bodies = new Map<string, Buffer | null>();

  constructor(
    root: string,
    private readonly src: Omit<ReleaseSource, 'records'>,
    private readonly options: { archive?: boolean } = {},
  ) {
    const before = src.previous;
    this.changes = streamingChangelog(
      src.meta.version,
      src.meta.releasedAt,
      before && { version: before.version, records: before.records()[Symbol.iterator]() },
    );
    // Last: from here on the writer has a thread to stop (finish, archive or abort do).
    this.files = new ReleaseFiles(root, !!options.archive);
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
    this.sink(jsonlPath(r.language)).write(line);
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
    const recordFiles = [...this.sinks.keys(), csvPath, ...this.samples.keys()].sort(compareIds);
    const pending = recordFiles.map((path) => closing(path));
    for (const [n, path] of recordFiles.entries()) await closed(path, pending[n]!);

    const meta: ReleaseSnapshot = { ...this.src.meta, items: [] };
    for (const f of harnessFiles(meta, [...this.samples.values()])) {
      if (f.path.startsWith('harness/lm-eval/')) await write(f.path, Buffer.from(f.bytes).toString('utf8'));
    }
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

/**
 * Writes every release file under `root` in one pass over the records; returns the files with sizes and
 * hashes, sorted by path. Yields to the event loop every page of records so the server keeps answering.
 */
export async function writeReleaseTree(
  root: string,
  src: ReleaseSource,
  hook: ReleaseBuildHook = () => {},
): Promise<ReleaseFileEntry[]> {
  const tree = new ReleaseTreeWriter(root, src);
  try {
    await feed(tree, src.records());
    return await tree.finish(hook);
  } catch (e) {
    tree.abort();
    throw e;
  }
}

export async function feed(tree: ReleaseTreeWriter, records: Iterable<DatasetRecord>) {
  let n = 0;
  for (const r of records) {
    tree.add(r);
    if (++n % PAGE === 0) await tick();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The deterministic .tar.gz. It is a series of gzip members (as `pigz --independent` writes; gunzip, tar and
// every zlib read them as one stream): one for each tar header (with the previous file's padding), one for
// each MEMBER bytes of each file, one for the end-of-archive blocks. A file's members depend only on its
// bytes, so they are compressed on a worker thread while the file is written (the build's second core)
// and the archive is then only put together — byte-identical to `writeArchive` over the finished folder.

/** The 512-byte ustar header of a regular file: fixed mode, owner and mtime, no user names. */
export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', name.length - 1);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
    if (cut <= 0 || Buffer.byteLength(base) > 100 || Buffer.byteLength(prefix) > 155)
      throw new AppError(400, 'invalid-path', `Release path too long for the archive: ${name}`);
  }
  const octal = (value: number, at: number, width: number) =>
    h.write(value.toString(8).padStart(width - 1, '0') + '\0', at, 'ascii');
  h.write(base, 0, 'utf8');
  octal(0o644, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(Math.floor(mtime.getTime() / 1000), 136, 12);
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\u000000', 257, 'ascii');
  h.write(prefix, 345, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

const padding = (size: number) => Buffer.alloc((512 - (size % 512)) % 512);

/** Puts the archive together from each file's compressed members; returns its size and SHA-256. */
async function assembleArchive(
  name: string,
  files: readonly ReleaseFileEntry[],
  releasedAt: string,
  body: (path: string) => Promise<Buffer> | Buffer,
  target: string,
): Promise<{ size: number; sha256: string }> {
  const mtime = new Date(`${releasedAt}T00:00:00Z`);
  const hash = createHash('sha256');
  let size = 0;
  const fd = openSync(target, 'wx');
  try {
    const out = (bytes: Buffer) => {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off);
      hash.update(bytes);
      size += bytes.length;
    };
    let pad = Buffer.alloc(0);
    for (const f of files) {
      out(gzipMember(Buffer.concat([pad, tarHeader(`${name}/${f.path}`, f.size, mtime)])));
      out(await body(f.path));
      pad = padding(f.size);
    }
    out(gzipMember(Buffer.concat([pad, Buffer.alloc(1024)])));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { size, sha256: hash.digest('hex') };
}

/** A file's archive members, read back from the folder (what the file writer makes as it writes it). */
function compressFile(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const members = new ArchiveMembers();
    const chunk = Buffer.allocUnsafe(MEMBER);
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) members.add(chunk.subarray(0, n));
    return members.finish();
  } finally {
    closeSync(fd);
  }
}

/**
 * A deterministic .tar.gz of the release folder: entries in path order under `<name>/`, fixed mtime (the
 * release date), mode, owner and no user names, so the same release always gives the same archive.
 * Returns its size and SHA-256, taken as it is written.
 */
export async function writeArchive(
  folder: string,
  name: string,
  files: readonly ReleaseFileEntry[],
  releasedAt: string,
  target: string,
): Promise<{ size: number; sha256: string }> {
  return assembleArchive(name, files, releasedAt, (path) => compressFile(insideDir(folder, path)), target);
}

// ---------------------------------------------------------------------------------------------------------
// Start-up: what builds of stopped processes left behind.

/** Rows per write transaction while a snapshot is staged or removed (a few ms of writing each). */
export const SLICE = 1000;

/** Removes the staged rows of a release whose snapshot is not complete, one short transaction per slice. */
export function removeStagedItems(repos: Repositories, releaseId: number): number {
  let removed = 0;
  for (;;) {
    const n = repos.transaction(() => repos.releases.removeStaged(releaseId, SLICE));
    removed += n;
    if (n < SLICE) return removed;
  }
}

/**
 * Called once when the server starts, before it serves anything. A release left `building` by a process
 * that is gone (killed mid-build, or after its files were renamed into place but before the row was marked
 * published) is marked failed, with the reason, and its folder emptied: a maintainer builds it again from
 * its stored snapshot (POST /api/releases/:id/build), nothing is rebuilt behind their back. Temporary build
 * folders (`.building-*`) of stopped builds are removed. Builds that a live process on this host is still
 * running (the CLI, another server) are left alone. Returns lines to print.
 */
export function reconcileReleases(repos: Repositories, releasesDir: string): string[] {
  const lines: string[] = [];
  const live = new Set<string>();
  for (const r of repos.releases.unpublished()) {
    if (r.state === 'building' && builderAlive(r.builder, r.id)) {
      live.add(r.filesDir);
      continue;
    }
    if (r.state === 'building') {
      const reason = `The process building it (${r.builder ?? 'unknown'}) stopped before it was published; build it again`;
      if (repos.releases.fail(r.id, r.builder, reason, 'release-build-failed'))
        lines.push(
          `Release ${r.version} (id ${r.id}) was left building by a stopped process: marked failed; build it again.`,
        );
    }
    // Rows staged by a build killed before its snapshot was complete: never visible, removed in short slices.
    if (!r.snapshotComplete) {
      const removed = removeStagedItems(repos, r.id);
      if (removed > 0)
        lines.push(
          `Release ${r.version} (id ${r.id}): removed ${removed} staged item(s) of an unfinished snapshot.`,
        );
    }
    // Not published, so nothing in its folder was ever served: whatever is there, a killed build left.
    rmSync(insideDir(releasesDir, ...r.filesDir.split('/')), { recursive: true, force: true });
  }
  if (!existsSync(releasesDir)) return lines;
  let removed = 0;
  for (const parent of readdirSync(releasesDir, { withFileTypes: true })) {
    if (!parent.isDirectory()) continue;
    for (const entry of readdirSync(join(releasesDir, parent.name))) {
      if (!entry.startsWith(TEMP_PREFIX)) continue;
      const owner = TEMP_NAME.exec(entry)?.[1];
      if (owner !== undefined && live.has(`${parent.name}/${owner}`)) continue;
      rmSync(join(releasesDir, parent.name, entry), { recursive: true, force: true });
      removed++;
    }
  }
  if (removed > 0) lines.push(`Removed ${removed} unfinished release build folder(s) of stopped processes.`);
  return lines;
}

// ---------------------------------------------------------------------------------------------------------
// The release service.

export interface ReleaseServiceOptions {
  releasesDir: string;
  hook?: ReleaseBuildHook;
  /** Where damaged release files are reported (the app's log; default console.error). */
  log?: (message: string, err: unknown) => void;
}

export const counted = (rows: { language: string; category: string; n: number }[]): ReleaseCounts => {
  const cells = rows
    .map((r): [string, string, number] => [r.language, r.category, r.n])
    .sort((a, b) => compareIds(a[0], b[0]) || compareIds(a[1], b[1]));
  return {
    total: cells.reduce((s, c) => s + c[2], 0),
    languages: [...new Set(cells.map((c) => c[0]))].sort(compareIds),
    categories: [...new Set(cells.map((c) => c[1]))].sort(compareIds),
    cells,
  };
};

/** Release builds running in this process: one at a time per release. */
const building = new Set<number>();

/** A file of a published release whose bytes were checked against the SHA-256 recorded at publication. */
export interface VerifiedArchive {
  name: string;
  size: number;
  /** The checked bytes, read from the file handle they were checked on (a later swap on disk cannot reach them). */
  stream: ReadStream;
}

/** A release's frozen items in uid order, a page at a time. */
function* frozenItems(repos: Repositories, id: number): Generator<ReleaseItem> {
  let after = '';
  for (;;) {
    const page = repos.releases.snapshotTexts(id, after, PAGE);
    for (const text of page) {
      const item = JSON.parse(text) as ReleaseItem;
      after = item.item.uid;
      yield item;
    }
    if (page.length < PAGE) return;
  }
}

/** The release's snapshot as the writers read it: page by page from release_items (with the previous release's). */
export function releaseSource(repos: Repositories, r: Release): ReleaseSource {
  const records = (id: number, version: string) =>
    function* (): Generator<DatasetRecord> {
      for (const { item, annotation } of frozenItems(repos, id)) yield toRecord(item, annotation, version);
    };
  const prev =
    r.previousVersion === null ? undefined : repos.releases.byVersion(r.datasetId, r.previousVersion);
  return {
    meta: { dataset: repos.releases.datasetMeta(r.id), version: r.version, releasedAt: r.releasedAt },
    records: records(r.id, r.version),
    previous: prev ? { version: prev.version, records: records(prev.id, prev.version) } : null,
  };
}

const buildReleaseTask = taskRef<typeof buildTasks.buildRelease>(
  new URL('./release-build.ts', import.meta.url),
  'buildRelease',
);

export function createReleaseService(repos: Repositories, options: ReleaseServiceOptions) {
  const log = options.log ?? ((m: string, e: unknown) => console.error(m, e));
  const today = () => new Date().toISOString().slice(0, 10);

  function release(id: number): Release {
    const r = repos.releases.get(id);
    if (!r) throw notFound('Release');
    return r;
  }

  const selection = (datasetId: number, filter: ReleaseFilter): SelectionFilter => ({
    ...filter,
    datasetId,
    statuses: filter.includeSubmitted ? preReleaseStatuses : releasableStatuses,
  });

  /** A release's paths, from the folder and slug frozen with it (never the dataset's current slug). */
  function pathsOf(r: Release) {
    const location = repos.releases.location(r.id);
    if (!location) throw notFound('Release');
    return releasePaths(
      options.releasesDir,
      location.filesDir,
      repos.releases.datasetMeta(r.id).slug,
      r.version,
    );
  }

  /** A published release's file that is missing or differs from its record: logged loudly, never served. */
  function corrupt(r: Release, what: string, path: string, problem: string): AppError {
    const err = new AppError(
      500,
      'release-corrupt',
      `The ${what} of release ${r.version} does not match what was published, so it is not served. An operator must restore the release's files.`,
      { release: r.id },
    );
    log(`RELEASE CORRUPT: release ${r.id} (${r.version}) ${what} at ${path}: ${problem}`, err);
    return err;
  }

  function published(r: Release): NonNullable<Release['archive']> {
    if (r.state !== 'published' || !r.archive)
      throw conflict('release-not-published', 'The release is not published yet');
    return r.archive;
  }

  /**
   * Runs release `id`'s build as a job on the jobs pool (claimed by this process, marked in `building`);
   * settles when the job ends (rejects with its error). A job thread that dies marks the release failed.
   */
  function runBuild(id: number, mode: 'snapshot' | 'files'): Promise<Release> {
    const r = release(id);
    building.add(id);
    const channel = openHookChannel('cs-release-build', options.hook);
    const job = sharedPools()
      .jobs.run(buildReleaseTask, repos.db.name, {
        releaseId: id,
        releasesDir: options.releasesDir,
        mode,
        selection: selection(r.datasetId, r.filter),
        builder: THIS_BUILDER,
        hookChannel: channel?.name ?? null,
      })
      .catch((e: unknown) => {
        if (!(e instanceof AppError)) {
          const reason = e instanceof Error ? e.message.slice(0, 500) : 'build failed';
          repos.releases.fail(id, THIS_BUILDER, reason, 'release-build-failed');
          log(`Release ${r.version} (id ${id}): the build job failed`, e);
          throw new AppError(
            500,
            'release-build-failed',
            `Building release ${r.version} failed; nothing was published. Build it again.`,
            { release: id },
          );
        }
        throw e;
      })
      .finally(() => {
        building.delete(id);
        channel?.close();
      });
    return job.then(() => release(id));
  }

  /** Started in the background: the caller answers with the release in state `building`; GET polls it. */
  function inBackground(job: Promise<Release>) {
    job.catch(() => {}); // the job marked the release failed, with the reason, for whoever polls it
  }

  /** Claims an unpublished release for a new build (after a failed or killed build). */
  function claimBuild(id: number): 'snapshot' | 'files' {
    const r = release(id);
    if (r.state === 'published')
      throw conflict('release-published', `Release ${r.version} is published and never changes`);
    const { builder, snapshotComplete } = repos.releases.location(id)!;
    if (building.has(id) || (r.state === 'building' && builderAlive(builder, id)))
      throw conflict('release-building', `Release ${r.version} is being built`);
    // Claimed before anything on disk is touched: a release published meanwhile by another process keeps its files.
    if (!repos.releases.claim(id, THIS_BUILDER))
      throw conflict('release-published', `Release ${r.version} is published and never changes`);
    return snapshotComplete ? 'files' : 'snapshot';
  }

  /**
   * Registers the release (state `building`) in one tiny transaction. A version that exists is 409 (a
   * correction is a new version), unless it is a failed release that never had a complete snapshot (refused
   * as incomplete, or killed while staging): nothing of it was ever published, so it gives way.
   */
  function register(user: User, input: CreateReleaseInput): number {
    const dataset = repos.datasets.list().find((d) => d.id === input.datasetId);
    if (!dataset) {
      throw new AppError(400, 'invalid-input', 'Invalid body', {
        issues: [{ path: 'datasetId', code: 'unknown-dataset', message: `No dataset ${input.datasetId}` }],
      });
    }
    const filesDir = newFilesDir(dataset.slug, input.version);
    releasePaths(options.releasesDir, filesDir, dataset.slug, input.version);
    const f = selection(input.datasetId, input.filter);
    return repos.transaction(() => {
      const existing = repos.releases.byVersion(input.datasetId, input.version);
      if (existing) {
        const at = repos.releases.location(existing.id)!;
        const unfinished = existing.state === 'failed' && !at.snapshotComplete;
        if (!unfinished || !repos.releases.removeUnfinished(existing.id)) {
          throw conflict('release-exists', `Release ${input.version} exists; a correction is a new version`, {
            release: existing,
          });
        }
      }
      if (!repos.releases.selects(f)) throw new AppError(422, 'empty-release', 'No items match the filter');
      const previous = repos.releases
        .list(input.datasetId)
        .filter((r) => r.state === 'published' && compareSemver(r.version, input.version) < 0)
        .sort((a, b) => compareSemver(b.version, a.version))[0];
      return repos.releases.insert({
        datasetId: input.datasetId,
        version: input.version,
        title: input.title,
        notes: input.notes,
        filter: input.filter,
        datasetMeta: {
          slug: dataset.slug,
          name: dataset.name,
          description: dataset.description,
          license: input.license,
          url: input.url,
        },
        releasedAt: today(),
        previousId: previous?.id ?? null,
        createdBy: user.id,
        createdAt: new Date().toISOString(),
        filesDir,
        builder: THIS_BUILDER,
      });
    });
  }

  return {
    list: (datasetId?: number): Release[] => repos.releases.list(datasetId),
    get: release,

    preview(datasetId: number, filter: ReleaseFilter): ReleaseCounts {
      if (!repos.datasets.exists(datasetId)) throw notFound('Dataset');
      return counted(repos.releases.countSelection(selection(datasetId, filter)));
    },

    /**
     * Registers the release and starts its build as a job; answers at once with the release in state
     * `building` (its progress and result are polled with `get`).
     */
    create(user: User, input: CreateReleaseInput): Release {
      const id = register(user, input);
      inBackground(runBuild(id, 'snapshot'));
      return release(id);
    },

    /** The same build, waited for (the CLI, the demo): the published release, or the build's error. */
    createAndWait(user: User, input: CreateReleaseInput): Promise<Release> {
      return runBuild(register(user, input), 'snapshot');
    },

    /**
     * Builds an unpublished release again (after a failed or killed build) as a job: from its stored snapshot
     * when it is complete, else from a new one. Answers at once with the release in state `building`.
     */
    build(id: number): Release {
      inBackground(runBuild(id, claimBuild(id)));
      return release(id);
    },

    /** The same, waited for. */
    buildAndWait: (id: number): Promise<Release> => runBuild(id, claimBuild(id)),

    /**
     * The archive of a published release for `reader` (404 if they may not read it), checked against the
     * size and SHA-256 recorded at publication before a byte is served.
     */
    async archive(reader: User, id: number): Promise<VerifiedArchive> {
      const r = readableRelease(repos, reader, id);
      const recorded = published(r);
      const path = pathsOf(r).archive;
      let handle;
      try {
        handle = await open(path, 'r');
      } catch (e) {
        throw corrupt(r, 'archive', path, `cannot be opened (${(e as NodeJS.ErrnoException).code ?? e})`);
      }
      try {
        const hash = createHash('sha256');
        const chunk = Buffer.allocUnsafe(1 << 20);
        let size = 0;
        for (;;) {
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, size);
          if (bytesRead === 0) break;
          hash.update(chunk.subarray(0, bytesRead));
          size += bytesRead;
        }
        const sha256 = hash.digest('hex');
        if (sha256 !== recorded.sha256 || size !== recorded.size)
          throw corrupt(
            r,
            'archive',
            path,
            `sha256 ${sha256} (${size} bytes), published ${recorded.sha256} (${recorded.size} bytes)`,
          );
        return { name: recorded.name, size, stream: handle.createReadStream({ start: 0 }) };
      } catch (e) {
        await handle.close();
        throw e;
      }
    },

    /**
     * A file of a published release (CHANGELOG.md, README.md…) for `reader` (404 if they may not read it),
     * by its path in the release, checked against the SHA-256 recorded at publication.
     */
    file(reader: User, id: number, path: string): Buffer {
      const r = readableRelease(repos, reader, id);
      const entry = r.files.find((f) => f.path === path);
      if (r.state !== 'published' || !entry) throw notFound('Release file');
      const full = insideDir(pathsOf(r).folder, path);
      let bytes: Buffer;
      try {
        bytes = readFileSync(full);
      } catch (e) {
        throw corrupt(r, path, full, `cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (sha256 !== entry.sha256)
        throw corrupt(r, path, full, `sha256 ${sha256}, published ${entry.sha256}`);
      return bytes;
    },

    /** The whole snapshot (for tests and small releases): what buildReleaseFiles takes. */
    snapshotOf(id: number): ReleaseSnapshot {
      const r = release(id);
      const items: ReleaseItem[] = [];
      let after = '';
      for (;;) {
        const page = repos.releases.snapshotPage(id, after, PAGE);
        items.push(...page);
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.item.uid;
      }
      return { dataset: repos.releases.datasetMeta(id), version: r.version, releasedAt: r.releasedAt, items };
    },

    source: (id: number) => releaseSource(repos, release(id)),
  };
}
export type ReleaseService = ReturnType<typeof createReleaseService>;
