// Test hooks across threads: a hook given to createApp (importHook, releaseBuildHook) runs on the thread that
// started the job, while the job thread, which reached the hook's step, waits for it. Tests stop a job at a
// known step there (to edit the database, to SIGKILL the process) or make it fail.
import { randomBytes } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';

/** A step's answer: an Int32 state (0 waiting, 1 returned, 2 threw), the error's UTF-8 length, its bytes. */
const ANSWER_BYTES = 4096;
const textAt = 8;

// Hooks opened on this thread, by channel name: a job that runs on the thread that started it (a database only this
// thread can reach, PGlite in memory) calls its hook directly — blocking this thread would keep the hook from running.
const onThisThread = new Map<string, (step: string) => void | Promise<void>>();

interface HookMessage<Step extends string = string> {
  step: Step;
  answer: SharedArrayBuffer;
}

/**
 * The starting thread's side: runs `hook` for each step a job thread posts, then wakes that thread with the
 * outcome. Null without a hook; the name goes to the job in its input.
 */
export function openHookChannel<Step extends string>(
  prefix: string,
  hook: ((step: Step) => void | Promise<void>) | undefined,
): { name: string; close(): void } | null {
  if (!hook) return null;
  const name = `${prefix}-${randomBytes(8).toString('hex')}`;
  onThisThread.set(name, hook as (step: string) => void | Promise<void>);
  const channel = new BroadcastChannel(name);
  channel.unref();
  channel.onmessage = (event) => {
    const { step, answer } = (event as unknown as { data: HookMessage<Step> }).data;
    const state = new Int32Array(answer, 0, 2);
    const reply = (value: number) => {
      Atomics.store(state, 0, value);
      Atomics.notify(state, 0);
    };
    Promise.resolve()
      .then(() => hook(step))
      .then(
        () => reply(1),
        (e: unknown) => {
          const bytes = new TextEncoder().encode(e instanceof Error ? e.message : String(e));
          const room = new Uint8Array(answer, textAt, ANSWER_BYTES - textAt);
          const n = Math.min(bytes.length, room.length);
          room.set(bytes.subarray(0, n));
          state[1] = n;
          reply(2);
        },
      );
  };
  return {
    name,
    close: () => {
      onThisThread.delete(name);
      channel.close();
    },
  };
}

/**
 * The job thread's side: a synchronous hook (an import calls it inside its write transaction) that posts the
 * step and blocks this thread until the starting thread's hook has run; it throws the hook's error message. On the
 * starting thread itself, the hook is called directly: its error is thrown, its promise returned (await it).
 */
export function remoteHook<Step extends string = string>(
  name: string | null,
): {
  hook: ((step: Step) => void | Promise<void>) | undefined;
  close(): void;
} {
  if (name === null) return { hook: undefined, close: () => {} };
  const here = onThisThread.get(name);
  if (here) return { hook: (step) => here(step), close: () => {} };
  const channel = new BroadcastChannel(name);
  channel.unref();
  return {
    hook: (step) => {
      const answer = new SharedArrayBuffer(ANSWER_BYTES);
      channel.postMessage({ step, answer } satisfies HookMessage<Step>);
      const state = new Int32Array(answer, 0, 2);
      Atomics.wait(state, 0, 0);
      if (Atomics.load(state, 0) === 2) {
        throw new Error(new TextDecoder().decode(new Uint8Array(answer, textAt, state[1])));
      }
    },
    close: () => channel.close(),
  };
}
