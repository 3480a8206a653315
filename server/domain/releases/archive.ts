// The deterministic .tar.gz. It is a series of gzip members (as `pigz --independent` writes; gunzip, tar and
// every zlib read them as one stream): one for each tar header (with the previous file's padding), one for
// each MEMBER bytes of each file, one for the end-of-archive blocks. A file's members depend only on its
// bytes, so they are compressed on a worker thread while the file is written (the build's second core)
// and the archive is then only put together — byte-identical to `writeArchive` (test/helpers) over the
// finished folder.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { ReleaseFileEntry } from '../../../schema/release.ts';
import { AppError } from '../../errors.ts';

/** The archive is a series of gzip members, one per MEMBER bytes of each file (and one per tar header). */
export const MEMBER = 1 << 18;
const GZIP_LEVEL = 1;

export const gzipMember = (bytes: Uint8Array): Buffer => gzipSync(bytes, { level: GZIP_LEVEL });

/**
 * One file's part of the archive: its bytes cut into MEMBER-sized pieces, each gzipped as its own member.
 * The file writer feeds it as a file is written and `writeArchive` as it reads a finished file back, so
 * both give the same members by construction.
 */
export class ArchiveMembers {
  private piece: Buffer | null = null;
  private used = 0;
  private readonly members: Buffer[] = [];

  add(bytes: Uint8Array) {
    this.piece ??= Buffer.allocUnsafe(MEMBER);
    for (let off = 0; off < bytes.length;) {
      const n = Math.min(MEMBER - this.used, bytes.length - off);
      this.piece.set(bytes.subarray(off, off + n), this.used);
      off += n;
      this.used += n;
      if (this.used === MEMBER) {
        this.members.push(gzipMember(this.piece));
        this.used = 0;
      }
    }
  }

  /** Gzips the last piece; every member in one buffer of its own (never pooled, so it can move threads). */
  finish(): Buffer {
    if (this.used > 0) this.members.push(gzipMember(this.piece!.subarray(0, this.used)));
    this.used = 0;
    const body = Buffer.allocUnsafeSlow(this.members.reduce((n, m) => n + m.length, 0));
    let at = 0;
    for (const m of this.members) at += m.copy(body, at);
    return body;
  }
}

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
export async function assembleArchive(
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
