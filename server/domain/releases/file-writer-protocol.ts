// The messages between a release build (main thread) and its file writer (worker thread, file-writer.ts).
import type { ReleaseFileEntry } from '../../../schema/release.ts';

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
