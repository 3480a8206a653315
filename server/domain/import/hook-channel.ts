import { randomBytes } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import type { ImportHook } from './service.ts';

type Step = Parameters<ImportHook>[0];
interface HookMessage {
  step: Step;
  /** Int32 flag the job thread waits on: 1 when the hook returned, 2 when it threw. */
  flag: SharedArrayBuffer;
}

/**
 * The starting thread's side of a test hook: runs `hook` for each step a job thread posts on the channel,
 * then wakes the job thread. Null without a hook.
 */
export function openHookChannel(hook: ImportHook | undefined): { name: string; close(): void } | null {
  if (!hook) return null;
  const name = `cs-import-${randomBytes(8).toString('hex')}`;
  const channel = new BroadcastChannel(name);
  channel.unref();
  channel.onmessage = (event) => {
    const { step, flag } = (event as unknown as { data: HookMessage }).data;
    const answer = (value: number) => {
      const cell = new Int32Array(flag);
      Atomics.store(cell, 0, value);
      Atomics.notify(cell, 0);
    };
    Promise.resolve()
      .then(() => hook(step))
      .then(
        () => answer(1),
        () => answer(2),
      );
  };
  return { name, close: () => channel.close() };
}

/**
 * The job thread's side: a synchronous hook (the `written` step is inside the write transaction) that posts
 * the step and blocks this thread until the starting thread's hook has run.
 */
export function remoteHook(name: string | null): { hook: ((step: Step) => void) | undefined; close(): void } {
  if (name === null) return { hook: undefined, close: () => {} };
  const channel = new BroadcastChannel(name);
  channel.unref();
  return {
    hook: (step) => {
      const flag = new SharedArrayBuffer(4);
      channel.postMessage({ step, flag } satisfies HookMessage);
      const cell = new Int32Array(flag);
      Atomics.wait(cell, 0, 0);
      if (Atomics.load(cell, 0) === 2) throw new Error(`import hook failed at ${step}`);
    },
    close: () => channel.close(),
  };
}
