import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setImmediate as tick } from 'node:timers/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import {
  blendRecord,
  changelog,
  checksumsPath,
  compareIds,
  croissant,
  csvLines,
  csvPath,
  datasetCard,
  fieldChanges,
  harnessFiles,
  includeRecord,
  jsonlLine,
  jsonlPath,
  toRecord,
} from '../../exports/index.ts';
import { excerpt, prettyJson } from '../../exports/text.ts';
import { datasetSlugSchema } from '../../schema/dataset.ts';
import { submissionProblems } from '../../schema/item.ts';
import {
  preReleaseStatuses,
  releasableStatuses,
  semverSchema,
  type CreateReleaseInput,
  type DatasetRecord,
  type Release,
  type ReleaseAnnotation,
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

/** Called at each step (`snapshot`, `file:<path>`, `files-written`, `archived`, `renamed`); tests throw from it. */
export type ReleaseBuildHook = (step: string) => void | Promise<void>;

const PAGE = 2_000;
/** Bytes gathered before one write(2): large enough to be fast, small enough to keep memory flat. */
const WRITE_CHUNK = 1 << 20;

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

/** Where a release lives: `<dir>/<slug>/<version>/` holding the folder `<slug>-<version>/` and its archive. */
export function releasePaths(releasesDir: string, slug: string, version: string) {
  datasetSlugSchema.parse(slug);
  semverSchema.parse(version);
  const name = `${slug}-${version}`;
  const home = insideDir(releasesDir, slug, version);
  return {
    name,
    home,
    folder: join(home, name),
    archive: join(home, `${name}.tar.gz`),
    archiveName: `${name}.tar.gz`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Writing files: streamed in chunks, hashed as written, fsynced.

class FileSink {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private pending: string[] = [];
  private pendingLength = 0;
  private size = 0;

  constructor(
    root: string,
    readonly path: string,
  ) {
    const full = insideDir(root, path);
    mkdirSync(dirname(full), { recursive: true });
    this.fd = openSync(full, 'wx');
  }

  write(text: string) {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= WRITE_CHUNK) this.flush();
  }

  private flush() {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off);
    this.hash.update(bytes);
    this.size += bytes.length;
  }

  close(): ReleaseFileEntry {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    return { path: this.path, size: this.size, sha256: this.hash.digest('hex') };
  }
}

function fsyncDir(path: string) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The streaming release writer. It writes exactly the bytes buildReleaseFiles (exports/) would return for the
// same snapshot — a test holds it to that — but reads the snapshot a page at a time, so memory stays flat.

export interface ReleaseSource {
  meta: Omit<ReleaseSnapshot, 'items'>;
  /** Every record, sorted by id, fetched a page at a time. */
  records(): Iterable<DatasetRecord>;
  previous: { version: string; records(): Iterable<DatasetRecord> } | null;
}

/**
 * Stand-ins for whole records in the card and the changelog, which hold every record of a release at
 * once: the fields the card counts by, shared sub-objects, and the question only where the changelog
 * shows it (added and removed items). An unchanged pair gets identical stand-ins, so the diff is the same.
 */
function lightRecords() {
  const interned = new Map<string, unknown>();
  const intern = <T>(v: T): T => {
    const key = typeof v === 'string' ? v : JSON.stringify(v);
    const known = interned.get(key);
    if (known !== undefined) return known as T;
    interned.set(key, v);
    return v;
  };
  const empty: never[] = [];
  return (r: DatasetRecord, withQuestion: boolean): DatasetRecord => ({
    id: r.id,
    language: intern(r.language),
    locale: intern(r.locale),
    kind: r.kind,
    format: r.format,
    question: withQuestion ? excerpt(r.question, 80) : '',
    question_en: null,
    choices: null,
    answer_index: null,
    answer: null,
    reference_answer: null,
    answer_en: null,
    accepted_answers: null,
    rationale: null,
    sources: empty,
    category: r.category === null ? null : intern(r.category),
    tags: empty,
    difficulty: r.difficulty,
    safety: r.safety === null ? null : intern(r.safety),
    annotation: intern(r.annotation),
    release: intern(r.release),
  });
}

const isMcq = (r: DatasetRecord) => r.kind === 'culture' && r.format === 'multiple_choice';
const isShortAnswer = (r: DatasetRecord) => r.kind === 'culture' && r.format === 'short_answer';

function* tee<T>(xs: Iterable<T>, f: (x: T) => void): Generator<T> {
  for (const x of xs) {
    f(x);
    yield x;
  }
}

/**
 * Writes every release file under `root` in one pass over the records (in id order, so each language's
 * JSONL is in id order too); returns the files with sizes and hashes, sorted by path. Yields to the event
 * loop every few thousand records so the server keeps answering during a large build.
 */
export async function writeReleaseTree(
  root: string,
  src: ReleaseSource,
  hook: ReleaseBuildHook = () => {},
): Promise<ReleaseFileEntry[]> {
  const files: ReleaseFileEntry[] = [];
  const snapshotMeta: ReleaseSnapshot = { ...src.meta, items: [] };
  const sinks = new Map<string, FileSink>();
  const sink = (path: string) => {
    let s = sinks.get(path);
    if (!s) sinks.set(path, (s = new FileSink(root, path)));
    return s;
  };
  const close = async (path: string) => {
    files.push(sinks.get(path)!.close());
    sinks.delete(path);
    await hook(`file:${path}`);
  };
  const write = async (path: string, text: string) => {
    sink(path).write(text);
    await close(path);
  };

  const light = lightRecords();
  const samples = new Map<string, DatasetRecord>();
  const current: DatasetRecord[] = [];
  const previous: DatasetRecord[] = [];
  const before = src.previous ? src.previous.records()[Symbol.iterator]() : null;
  let next = before?.next();
  const advance = () => (next = before!.next());

  const perRecord = (r: DatasetRecord) => {
    // data/<language>/test.jsonl and the harness views of the same records.
    sink(jsonlPath(r.language)).write(jsonlLine(r));
    if (isMcq(r)) {
      const path = `harness/mcq/${r.language}.jsonl`;
      if (!samples.has(path)) samples.set(path, r);
      sink(path).write(jsonlLine(includeRecord(r)));
    } else if (isShortAnswer(r)) {
      const path = `harness/short_answer/${r.language}.jsonl`;
      if (!samples.has(path)) samples.set(path, r);
      sink(path).write(jsonlLine(blendRecord(r)));
    }
    // The diff against the previous release: both sorted by id, so a merge.
    while (next && !next.done && compareIds(next.value.id, r.id) < 0) {
      previous.push(light(next.value, true));
      advance();
    }
    if (next && !next.done && next.value.id === r.id) {
      const changed = fieldChanges(next.value, r).length > 0;
      previous.push(changed ? next.value : light(next.value, false));
      current.push(changed ? r : light(r, false));
      advance();
    } else {
      current.push(light(r, true));
    }
  };

  // csv/test.csv drives the pass; checks the id order for every other file on the way.
  const csv = sink(csvPath);
  let n = 0;
  for (const line of csvLines(tee(src.records(), perRecord))) {
    csv.write(line);
    if (++n % PAGE === 0) await tick();
  }
  while (next && !next.done) {
    previous.push(light(next.value, true));
    advance();
  }
  for (const path of [...sinks.keys()].sort(compareIds)) await close(path);

  // lm-evaluation-harness tasks depend only on the release, the language and which views exist.
  for (const f of harnessFiles(snapshotMeta, [...samples.values()])) {
    if (f.path.startsWith('harness/lm-eval/')) await write(f.path, Buffer.from(f.bytes).toString('utf8'));
  }
  await write('README.md', datasetCard(snapshotMeta, current));
  const dataFiles = files.filter((f) => f.path === csvPath || /^data\/[^/]+\/test\.jsonl$/.test(f.path));
  await write('croissant.json', croissantWith(snapshotMeta, current, dataFiles));
  await write(
    'CHANGELOG.md',
    changelog(
      src.meta.version,
      src.meta.releasedAt,
      current,
      src.previous ? { version: src.previous.version, records: previous } : null,
    ),
  );
  files.sort((a, b) => compareIds(a.path, b.path));
  await write(checksumsPath, files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
  return files.sort((a, b) => compareIds(a.path, b.path));
}

/** croissant.json from sizes and hashes computed while streaming, instead of the files' bytes. */
function croissantWith(
  meta: ReleaseSnapshot,
  records: DatasetRecord[],
  dataFiles: ReleaseFileEntry[],
): string {
  const doc = JSON.parse(
    croissant(
      meta,
      records,
      dataFiles.map((f) => ({ path: f.path, bytes: new Uint8Array() })),
    ),
  ) as { distribution: Record<string, unknown>[] };
  const byPath = new Map(dataFiles.map((f) => [f.path, f]));
  for (const d of doc.distribution) {
    const f = byPath.get(String(d['@id']));
    if (d['@type'] !== 'cr:FileObject' || !f) continue;
    d.contentSize = `${f.size} B`;
    d.sha256 = f.sha256;
  }
  return prettyJson(doc);
}

/**
 * A deterministic .tar.gz of the release folder: entries in path order under `<name>/`, fixed mtime (the
 * release date), mode, owner and no user names, so the same release always gives the same archive.
 */
export async function writeArchive(
  folder: string,
  name: string,
  files: readonly ReleaseFileEntry[],
  releasedAt: string,
  target: string,
) {
  const pack = tar.pack();
  const mtime = new Date(`${releasedAt}T00:00:00Z`);
  const out = createWriteStream(target, { flags: 'wx' });
  const written = pipeline(pack, createGzip({ level: 6 }), out);
  for (const f of files) {
    const entry = pack.entry({
      name: `${name}/${f.path}`,
      size: f.size,
      mtime,
      mode: 0o644,
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
      type: 'file',
    });
    await pipeline(createReadStream(insideDir(folder, f.path)), entry);
  }
  pack.finalize();
  await written;
  const fd = openSync(target, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export async function sha256File(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

// ---------------------------------------------------------------------------------------------------------
// The release service.

export interface ReleaseServiceOptions {
  releasesDir: string;
  hook?: ReleaseBuildHook;
}

const counted = (rows: { language: string; category: string; n: number }[]): ReleaseCounts => {
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

export function createReleaseService(repos: Repositories, options: ReleaseServiceOptions) {
  const hook = options.hook ?? (() => {});
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

  function slugOf(datasetId: number): string {
    const d = repos.datasets.list().find((x) => x.id === datasetId);
    if (!d) throw notFound('Dataset');
    return d.slug;
  }

  /** The release's snapshot as the writers read it: page by page from release_items. */
  function source(r: Release): ReleaseSource {
    const records = (id: number, version: string) =>
      function* (): Generator<DatasetRecord> {
        let after = '';
        for (;;) {
          const page = repos.releases.snapshotPage(id, after, PAGE);
          for (const { item, annotation } of page) yield toRecord(item, annotation, version);
          if (page.length < PAGE) return;
          after = page[page.length - 1]!.item.uid;
        }
      };
    const prev =
      r.previousVersion === null ? undefined : repos.releases.byVersion(r.datasetId, r.previousVersion);
    return {
      meta: { dataset: repos.releases.datasetMeta(r.id), version: r.version, releasedAt: r.releasedAt },
      records: records(r.id, r.version),
      previous: prev ? { version: prev.version, records: records(prev.id, prev.version) } : null,
    };
  }

  /** Removes what a killed build left behind: temporary folders, and files of a release never published. */
  function clearLeftovers(version: string, home: string) {
    const parent = dirname(home);
    if (existsSync(parent)) {
      for (const entry of readdirSync(parent)) {
        if (entry.startsWith(`.building-${version}-`))
          rmSync(join(parent, entry), { recursive: true, force: true });
      }
    }
    rmSync(home, { recursive: true, force: true });
  }

  async function build(id: number): Promise<Release> {
    const r = release(id);
    if (r.state === 'published')
      throw conflict('release-published', `Release ${r.version} is published and never changes`);
    if (building.has(id)) throw conflict('release-building', `Release ${r.version} is being built`);
    building.add(id);
    const slug = slugOf(r.datasetId);
    const paths = releasePaths(options.releasesDir, slug, r.version);
    const temp = insideDir(
      options.releasesDir,
      slug,
      `.building-${r.version}-${randomBytes(6).toString('hex')}`,
    );
    let renamed = false;
    try {
      repos.releases.setState(id, 'building');
      clearLeftovers(r.version, paths.home);
      const folder = join(temp, paths.name);
      mkdirSync(folder, { recursive: true });
      const files = await writeReleaseTree(folder, source(r), hook);
      await hook('files-written');
      const archive = join(temp, paths.archiveName);
      await writeArchive(folder, paths.name, files, r.releasedAt, archive);
      const { size, sha256 } = await sha256File(archive);
      await hook('archived');
      fsyncDir(temp);
      renameSync(temp, paths.home);
      renamed = true;
      fsyncDir(dirname(paths.home));
      await hook('renamed');
      repos.releases.publish(id, {
        files,
        archiveName: paths.archiveName,
        archiveSize: size,
        archiveSha256: sha256,
        publishedAt: new Date().toISOString(),
      });
      return release(id);
    } catch (e) {
      rmSync(temp, { recursive: true, force: true });
      if (renamed) rmSync(paths.home, { recursive: true, force: true });
      repos.releases.setState(id, 'failed', e instanceof Error ? e.message.slice(0, 500) : 'build failed');
      throw new AppError(
        500,
        'release-build-failed',
        `Building release ${r.version} failed; nothing was published. Build it again.`,
        {
          release: release(id),
        },
      );
    } finally {
      building.delete(id);
    }
  }

  /** Freezes the selected items into release_items; refuses an empty or incomplete selection. */
  function snapshot(releaseId: number, f: SelectionFilter): number {
    let after = '';
    let count = 0;
    const incomplete: { uid: string; problems: string[] }[] = [];
    for (;;) {
      const page = repos.releases.selectItems(f, after, PAGE);
      if (page.length === 0) break;
      const summaries = validationSummaries(
        repos,
        page.map((i) => i.id),
      );
      page.forEach(({ id, ...item }, n) => {
        const problems = submissionProblems(item);
        if (problems.length > 0) {
          incomplete.push({ uid: item.uid, problems: problems.map((p) => `${p.path}: ${p.message}`) });
          return;
        }
        const releaseItem: ReleaseItem = { item, annotation: summaries[n]! };
        repos.releases.insertItem(releaseId, id, releaseItem);
        count++;
      });
      after = page[page.length - 1]!.uid;
    }
    if (incomplete.length > 0) {
      throw new AppError(422, 'incomplete-items', `${incomplete.length} selected items are incomplete`, {
        items: incomplete.slice(0, 100),
        count: incomplete.length,
      });
    }
    return count;
  }

  return {
    list: (datasetId?: number): Release[] => repos.releases.list(datasetId),
    get: release,

    preview(datasetId: number, filter: ReleaseFilter): ReleaseCounts {
      if (!repos.datasets.exists(datasetId)) throw notFound('Dataset');
      return counted(repos.releases.countSelection(selection(datasetId, filter)));
    },

    /**
     * Registers the release and freezes its snapshot in one transaction, then builds its files. A version
     * that exists (published or not) is 409: a correction is a new version.
     */
    async create(user: User, input: CreateReleaseInput): Promise<Release> {
      const dataset = repos.datasets.list().find((d) => d.id === input.datasetId);
      if (!dataset) {
        throw new AppError(400, 'invalid-input', 'Invalid body', {
          issues: [{ path: 'datasetId', code: 'unknown-dataset', message: `No dataset ${input.datasetId}` }],
        });
      }
      releasePaths(options.releasesDir, dataset.slug, input.version);
      const id = repos.transaction(() => {
        const existing = repos.releases.byVersion(input.datasetId, input.version);
        if (existing) {
          throw conflict('release-exists', `Release ${input.version} exists; a correction is a new version`, {
            release: existing,
          });
        }
        const previous = repos.releases
          .list(input.datasetId)
          .filter((r) => r.state === 'published' && compareSemver(r.version, input.version) < 0)
          .sort((a, b) => compareSemver(b.version, a.version))[0];
        const f = selection(input.datasetId, input.filter);
        const releaseId = repos.releases.insert({
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
        });
        const count = snapshot(releaseId, f);
        if (count === 0) throw new AppError(422, 'empty-release', 'No items match the filter');
        repos.releases.setCounts(releaseId, count, counted(repos.releases.countSelection(f)));
        return releaseId;
      });
      await hook('snapshot');
      return build(id);
    },

    /** Builds an unpublished release again (after a failed or killed build) from its stored snapshot. */
    build,

    /** The archive of a published release, for download. */
    archive(id: number): { path: string; name: string } {
      const r = release(id);
      if (r.state !== 'published' || !r.archive)
        throw conflict('release-not-published', 'The release is not published yet');
      const paths = releasePaths(options.releasesDir, slugOf(r.datasetId), r.version);
      if (!existsSync(paths.archive)) throw notFound('Release archive');
      return { path: paths.archive, name: paths.archiveName };
    },

    /** A file of a published release (CHANGELOG.md, README.md…), by its path in the release. */
    filePath(id: number, path: string): string {
      const r = release(id);
      if (r.state !== 'published' || !r.files.some((f) => f.path === path)) throw notFound('Release file');
      return insideDir(releasePaths(options.releasesDir, slugOf(r.datasetId), r.version).folder, path);
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

    source: (id: number) => source(release(id)),
  };
}
export type ReleaseService = ReturnType<typeof createReleaseService>;

/** Validation figures per item, in the order asked, from the validation repository. */
function validationSummaries(repos: Repositories, itemIds: number[]): ReleaseAnnotation[] {
  return repos.validations.validationSummary(itemIds).map((s) => ({
    validations: s.validations,
    agreement: s.agreement === null ? null : Math.max(-1, Math.min(1, s.agreement)),
    resolution: s.resolution,
  }));
}
