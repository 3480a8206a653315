// What the release build's two threads share: the chunking of text into write(2)-sized buffers, the gzip
// members of the archive, and the messages between the build (main thread) and its file writer (worker).
import { gzipSync } from 'node:zlib';
import type { ReleaseFileEntry } from '../../schema/release.ts';

/** Bytes gathered per file before one write(2): large enough to be fast, small enough to keep memory flat. */
const WRITE_CHUNK = 1 << 16;
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

/**
 * Encodes text as UTF-8 straight into WRITE_CHUNK-sized buffers and hands each one to `out` when the next
 * text might not fit. Every buffer handed out owns its memory (offset 0, never pooled) and is not touched
 * again, so `out` may keep it or transfer it to another thread.
 */
export class TextChunks {
  private buffer = Buffer.allocUnsafeSlow(WRITE_CHUNK);
  private used = 0;

  constructor(private readonly out: (bytes: Buffer) => void) {}

  write(text: string) {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used + text.length * 3 > WRITE_CHUNK) {
      this.flush();
      if (text.length * 3 > WRITE_CHUNK) {
        const big = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
        big.write(text, 0, 'utf8');
        this.out(big);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  flush() {
    if (this.used === 0) return;
    this.out(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafeSlow(WRITE_CHUNK);
    this.used = 0;
  }
}

/** What the file writer of one build is started with. */
export interface FileWriterSetup {
  /** The release folder being written (its csv/ folder exists). */
  root: string;
  /** Whether to compress each file's archive members as it is written. */
  gzip: boolean;
  /** [0]: how many messages the writer has handled (Atomics.add, then notify): the sender's backpressure. */
  handled: Int32Array;
}

/** Main thread → file writer. Every message about one file arrives in order; `close` is answered. */
export type ToFileWriter =
  /** Creates a file whose bytes the main thread sends (`file` is its checked absolute path). */
  | { op: 'open'; path: string; file: string }
  | { op: 'bytes'; path: string; bytes: Uint8Array }
  /**
   * The next records, each as its JSONL line, in id order: the writer adds their rows to csv/test.csv and
   * to the harness view files, which it creates itself (their folders exist before their first record).
   */
  | { op: 'records'; lines: string[] }
  | { op: 'close'; path: string }
  /** Closes whatever is still open and ends the worker. */
  | { op: 'stop' };

/** File writer → main thread: a closed file (with its archive members when compressing), or why not. */
export type FromFileWriter =
  { path: string; entry: ReleaseFileEntry; body: Uint8Array | null } | { path: string; error: string };
