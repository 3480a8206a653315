// The release archive writer (issue 11, point 7): the hand-written deterministic .tar.gz of
// server/domain/releases/archive.ts (independent gzip members, compressed while each file is written) against
// tar-stream + zlib (a kept library) over the same folder, both at gzip level 1, each run twice to check that
// the bytes are the same. `npm run bench:archive -- [N]` (N generated items; default 100000).
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { assembleArchive, ArchiveMembers, MEMBER } from '../server/domain/releases/archive.ts';
import { BENCH_LANGUAGES, generateItem } from './lib/generate.ts';

const n = Number(process.argv[2] ?? 100_000);
const root = `bench/out/archive-${n}`;
const folder = join(root, 'release');
const RELEASED = '2026-11-29';

// A release-shaped folder: one JSONL file per language, and a CSV and a harness view of everything (copies
// of the same records: the sizes and the text are what matter to compression).
rmSync(root, { recursive: true, force: true });
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const lines = new Map<string, string[]>(BENCH_LANGUAGES.map((l) => [l, []]));
for (let i = 0; i < n; i++) {
  const item = generateItem(i, rand, 1, [1]);
  lines.get(item.language)!.push(JSON.stringify({ id: `item-${i}`, ...item }));
}
const files: { path: string; size: number }[] = [];
const put = (path: string, text: string) => {
  mkdirSync(join(folder, path, '..'), { recursive: true });
  writeFileSync(join(folder, path), text);
  files.push({ path, size: statSync(join(folder, path)).size });
};
for (const [language, l] of lines) put(`data/${language}/test.jsonl`, l.join('\n') + '\n');
const all = [...lines.values()].flat().join('\n') + '\n';
put('csv/test.csv', all);
put('views/include/test.jsonl', all);
files.sort((a, b) => a.path.localeCompare(b.path));
const total = files.reduce((s, f) => s + f.size, 0);
console.log(`${n} items: ${files.length} files, ${(total / 1e6).toFixed(1)} MB`);

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The hand-written archive, all on one thread (in a build, the members are made on the writer thread). */
async function ours(target: string) {
  const t0 = performance.now();
  const bodies = new Map<string, Buffer>();
  for (const f of files) {
    const fd = openSync(join(folder, f.path), 'r');
    const members = new ArchiveMembers();
    const chunk = Buffer.allocUnsafe(MEMBER);
    for (let k = readSync(fd, chunk); k > 0; k = readSync(fd, chunk)) members.add(chunk.subarray(0, k));
    closeSync(fd);
    bodies.set(f.path, members.finish());
  }
  const compressed = performance.now() - t0;
  const entries = files.map((f) => ({ ...f, sha256: '' }));
  await assembleArchive('release', entries, RELEASED, (p) => bodies.get(p)!, target);
  return { seconds: (performance.now() - t0) / 1000, assembly: (performance.now() - t0 - compressed) / 1000 };
}

/** tar-stream + zlib: the same entries with the same fixed headers, gzipped as one stream. */
async function tarStream(target: string) {
  const t0 = performance.now();
  const pack = tar.pack();
  const done = pipeline(pack, createGzip({ level: 1 }), createWriteStream(target));
  for (const f of files) {
    const entry = pack.entry({
      name: `release/${f.path}`,
      size: f.size,
      mode: 0o644,
      mtime: new Date(`${RELEASED}T00:00:00Z`),
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
    });
    await pipeline(createReadStream(join(folder, f.path)), entry);
  }
  pack.finalize();
  await done;
  return { seconds: (performance.now() - t0) / 1000, assembly: null };
}

for (const [name, write] of [
  ['hand-written (archive.ts)', ours],
  ['tar-stream + zlib', tarStream],
] as const) {
  const a = join(root, `${name.split(' ')[0]}-1.tar.gz`);
  const b = join(root, `${name.split(' ')[0]}-2.tar.gz`);
  const first = await write(a);
  const second = await write(b);
  const same = sha(a) === sha(b);
  console.log(
    `${name.padEnd(26)} ${first.seconds.toFixed(2)} s / ${second.seconds.toFixed(2)} s` +
      (first.assembly === null ? '' : ` (of which putting it together: ${first.assembly.toFixed(3)} s)`) +
      `, ${(statSync(a).size / 1e6).toFixed(1)} MB, same bytes twice: ${same}`,
  );
}
