// Writing files: on a worker thread (file-writer.ts) that writes, hashes, fsyncs and compresses them.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { csvPath } from '../../../exports/index.ts';
import type { ReleaseFileEntry } from '../../../schema/release.ts';
import { startThread } from '../../jobs/thread.ts';
import type { FileWriterSetup, FromFileWriter, ToFileWriter } from './file-writer-protocol.ts';
import { insideDir } from './paths.ts';
import { TextChunks } from './text-chunks.ts';

/** Messages the file writer may be behind before the build waits for it (each at most ~0.5 MB). */
const MAX_QUEUED = 16;
/** How long the build waits for a file writer that handles nothing before giving up. */
const WRITER_TIMEOUT_MS = 30_000;

/**
 * The file writer thread, started by the first build and kept (unreferenced while no build runs, so it never
 * holds a process open) for the next ones: starting it costs ≈ 0.2 s, which the test suite would pay per
 * release. Builds running at once each have their own port to it.
 */
let writerThread: { worker: Worker; builds: number; ready: Promise<void> } | null = null;

function fileWriterThread(): { worker: Worker; builds: number; ready: Promise<void> } {
  if (!writerThread) {
    const worker = startThread(new URL('./file-writer.ts', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    // Its modules are loaded once it says so; if it fails first, the build that uses it reports why.
    const ready = new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.once('exit', () => resolve());
    });
    const thread = { worker, builds: 0, ready };
    worker.unref();
    worker.on('error', () => {}); // each build listening on it reports the failure
    worker.on('exit', () => {
      if (writerThread === thread) writerThread = null; // the next build starts a new one
    });
    writerThread = thread;
  }
  return writerThread;
}

/** Starts the file writer thread ahead of the first build (a job thread's warm-up); resolves once it is loaded. */
export function fileWriterReady(): Promise<void> {
  return fileWriterThread().ready;
}

export interface ClosedFile {
  entry: ReleaseFileEntry;
  /** The file's archive members, when compressing. */
  body: Buffer | null;
}

/** One build's handle on the file writer: every call posts a message on its port; `close` answers. */
export class ReleaseFiles {
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
