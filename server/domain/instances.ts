// This process as an app instance on the database (migration 024): registered at start with a random id, its
// `seen_at` refreshed on a timer, removed when it stops. Jobs it runs record that id as their owner, so that
// another instance starting meanwhile can tell a live job from one a dead process left.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AsyncRepository } from '../db/async-repository.ts';
import type { createInstanceRepository } from '../db/instances.ts';

export type InstanceRepository = AsyncRepository<ReturnType<typeof createInstanceRepository>>;

/** How often a live instance says so. */
export const HEARTBEAT_MS = 5_000;
/** An instance not seen for this long is dead (six missed heartbeats: a long pause is not a death). */
export const STALE_AFTER_MS = 30_000;
/** The default bound: an owner last seen before this time (ISO) is dead. */
export const defaultStaleBefore = (now = Date.now()) => new Date(now - STALE_AFTER_MS).toISOString();
/** Rows of instances dead this long are deleted when another one starts. */
const FORGET_AFTER_MS = 24 * 60 * 60_000;

export interface InstanceOptions {
  heartbeatMs?: number;
  staleAfterMs?: number;
  /** The clock (ms since the epoch); tests pass their own to make a heartbeat stale. */
  now?: () => number;
  /** Where a failed heartbeat is reported (the next one tries again). */
  log?: (message: string, err: unknown) => void;
}

export interface AppInstance {
  /** `<host>:<pid>:<random>`: readable in messages, unique even where pids repeat (containers). */
  readonly id: string;
  /** ISO time: an owner last seen before it is dead. */
  staleBefore(): string;
  /** Whether `owner` is a live instance (this one is). A job without an owner (from before 024) has none. */
  alive(owner: string | null): Promise<boolean>;
  /** Refreshes this instance's `seen_at` now (the timer does it every heartbeatMs). */
  beat(): Promise<void>;
  /** Stops the timer and deregisters: every job this instance still owns is orphaned from now on. */
  stop(): Promise<void>;
}

/** Registers this process on the database and keeps it alive until stop(). */
export async function startInstance(
  instances: InstanceRepository,
  options: InstanceOptions = {},
): Promise<AppInstance> {
  const now = options.now ?? Date.now;
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  const host = hostname();
  const id = newInstanceId();
  const iso = () => new Date(now()).toISOString();
  await instances.register(id, host, process.pid, iso());
  await instances.prune(new Date(now() - Math.max(FORGET_AFTER_MS, staleAfterMs)).toISOString());
  // A process of this host that is gone (killed: it never deregistered) is dead now, not only once its heartbeat
  // is stale: its jobs are taken back at this start, as before instances existed.
  for (const other of await instances.list())
    if (other.host === host && other.id !== id && !processRunning(other.pid))
      await instances.deregister(other.id);

  let stopped = false;
  const beat = async () => {
    if (stopped) return;
    // A row pruned while this process was paused (and its jobs maybe interrupted) is registered again: the
    // jobs' own conditional updates notice that they lost their state.
    if (!(await instances.beat(id, iso()))) await instances.register(id, host, process.pid, iso());
  };
  const timer = setInterval(() => {
    beat().catch((err: unknown) =>
      (options.log ?? ((m, e) => console.error(m, e)))('Instance heartbeat failed', err),
    );
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  timer.unref();

  return {
    ...watching(instances, id, now, staleAfterMs, () => stopped),
    beat,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await instances.deregister(id);
    },
  };
}

/**
 * An instance that never registers (apps built without one: tests, tools): it names its jobs' owner and tells
 * other instances' liveness, but to the others its jobs have a dead owner, as every job had before migration 024.
 */
export function unregisteredInstance(
  instances: InstanceRepository,
  options: InstanceOptions = {},
): AppInstance {
  return {
    ...watching(
      instances,
      newInstanceId(),
      options.now ?? Date.now,
      options.staleAfterMs ?? STALE_AFTER_MS,
      () => false,
    ),
    beat: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const newInstanceId = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

function watching(
  instances: InstanceRepository,
  id: string,
  now: () => number,
  staleAfterMs: number,
  stopped: () => boolean,
): Pick<AppInstance, 'id' | 'staleBefore' | 'alive'> {
  const staleBefore = () => new Date(now() - staleAfterMs).toISOString();
  return {
    id,
    staleBefore,
    async alive(owner) {
      if (owner === null) return false;
      if (owner === id) return !stopped();
      return instances.alive(owner, staleBefore());
    },
  };
}
