import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { announcedWrite, announcedWrites, writeTurnsBuffer } from '../../server/db/write-turns.ts';
import { startThread } from '../../server/jobs/thread.ts';

const THREAD = new URL('../fixtures/write-turns-thread.ts', import.meta.url);

/**
 * Starts a background writer's thread that yields its turn (at most `maxMs`) once `go` is set; resolves
 * with the thread, the go switch and the promise of its report.
 */
async function backgroundWriter(maxMs: number) {
  const go = new Int32Array(new SharedArrayBuffer(8));
  const worker = startThread(THREAD, { workerData: { turns: writeTurnsBuffer(), go: go.buffer, maxMs } });
  const messages = (async function* () {
    for (;;) yield ((await once(worker, 'message')) as [unknown])[0];
  })();
  expect((await messages.next()).value).toBe('ready');
  const report = messages.next().then((m) => m.value as { waited: number; announcedAfter: number });
  /** Lets the thread go and waits until it is yielding (so the timings below do not depend on scheduling). */
  const start = () => {
    Atomics.store(go, 0, 1);
    Atomics.notify(go, 0);
    while (Atomics.load(go, 1) === 0);
  };
  return { worker, start, report };
}

/** Keeps this thread busy for `ms`, as a synchronous write transaction would. */
function busy(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('write turns (server/db/write-turns.ts)', () => {
  it('when a write is announced, then a background writer yielding its turn waits until that write has ended', async () => {
    const w = await backgroundWriter(10_000);
    announcedWrite(() => {
      expect(announcedWrites()).toBe(1);
      w.start();
      busy(300);
    });
    const { waited, announcedAfter } = await w.report;
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(5_000);
    expect(announcedAfter).toBe(0);
    expect(announcedWrites()).toBe(0);
    await w.worker.terminate();
  });

  it('when no write is announced, then yielding returns at once', async () => {
    const w = await backgroundWriter(10_000);
    w.start();
    const { waited } = await w.report;
    expect(announcedWrites()).toBe(0);
    expect(waited).toBeLessThan(50);
    await w.worker.terminate();
  });

  it('when an announced write lasts longer than the bound, then the background writer goes on after the bound', async () => {
    const w = await backgroundWriter(100);
    announcedWrite(() => {
      w.start();
      busy(1_000);
    });
    const { waited, announcedAfter } = await w.report;
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(waited).toBeLessThan(900);
    // It reported while the write was still announced.
    expect(announcedAfter).toBe(1);
    await w.worker.terminate();
  });

  it('when the announced write throws, then the announcement ends with it', () => {
    expect(() =>
      announcedWrite(() => {
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(announcedWrites()).toBe(0);
  });
});
