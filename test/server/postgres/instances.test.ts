import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { gateOf } from '../../../server/db/async-repository.ts';
import { openDatabase } from '../../../server/db/connection.ts';
import { createInstanceRepository } from '../../../server/db/instances.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { createPgInstanceRepository } from '../../../server/db/postgres/instances.ts';
import { startInstance, type InstanceRepository } from '../../../server/domain/instances.ts';
import { freshDbPath } from '../../helpers/app.ts';
import { freshPostgres, postgresEngine } from '../../helpers/postgres.ts';

const closing: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

const engines: { engine: string; open: () => Promise<InstanceRepository> }[] = [
  {
    engine: 'sqlite',
    open: () => {
      const db = openDatabase(freshDbPath());
      migrate(db);
      closing.push(() => Promise.resolve(void db.close()));
      return Promise.resolve(gateOf(db).wrap(createInstanceRepository(db)));
    },
  },
  { engine: postgresEngine, open: async () => createPgInstanceRepository(await freshPostgres()) },
];

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

describe.each(engines)('instance registry on $engine', ({ open }) => {
  let r: InstanceRepository;
  beforeEach(async () => {
    r = await open();
  });

  it('registers instances, refreshes one, and lists them oldest first', async () => {
    await r.register('b', 'host-b', 20, '2026-03-01T10:00:01.000Z');
    await r.register('a', 'host-a', 10, '2026-03-01T10:00:00.000Z');
    expect(await r.beat('a', '2026-03-01T10:00:05.000Z')).toBe(true);
    expect(await r.list()).toEqual([
      {
        id: 'a',
        host: 'host-a',
        pid: 10,
        startedAt: '2026-03-01T10:00:00.000Z',
        seenAt: '2026-03-01T10:00:05.000Z',
      },
      {
        id: 'b',
        host: 'host-b',
        pid: 20,
        startedAt: '2026-03-01T10:00:01.000Z',
        seenAt: '2026-03-01T10:00:01.000Z',
      },
    ]);
  });

  it('says an instance is alive only while it was seen at or after the bound and is registered', async () => {
    await r.register('a', 'h', 1, '2026-03-01T10:00:00.000Z');
    expect(await r.alive('a', '2026-03-01T10:00:00.000Z')).toBe(true);
    expect(await r.alive('a', '2026-03-01T10:00:00.001Z')).toBe(false);
    expect(await r.alive('nobody', '2026-03-01T09:00:00.000Z')).toBe(false);
    await r.deregister('a');
    expect(await r.alive('a', '2026-03-01T09:00:00.000Z')).toBe(false);
    expect(await r.beat('a', '2026-03-01T10:00:10.000Z')).toBe(false);
    expect(await r.list()).toEqual([]);
  });

  it('registering again keeps the start and moves the last sighting', async () => {
    await r.register('a', 'h', 1, '2026-03-01T10:00:00.000Z');
    await r.register('a', 'h', 1, '2026-03-01T11:00:00.000Z');
    expect(await r.list()).toEqual([
      {
        id: 'a',
        host: 'h',
        pid: 1,
        startedAt: '2026-03-01T10:00:00.000Z',
        seenAt: '2026-03-01T11:00:00.000Z',
      },
    ]);
  });

  it('prunes the instances last seen before a time', async () => {
    await r.register('old', 'h', 1, '2026-03-01T08:00:00.000Z');
    await r.register('new', 'h', 2, '2026-03-01T10:00:00.000Z');
    expect(await r.prune('2026-03-01T10:00:00.000Z')).toBe(1);
    expect((await r.list()).map((i) => i.id)).toEqual(['new']);
  });
});

describe.each(engines)('app instances on $engine', ({ open }) => {
  let r: InstanceRepository;
  let clock: number;
  const now = () => clock;
  beforeEach(async () => {
    r = await open();
    clock = T0;
  });

  it('registers with an id naming its host and process, alive to another instance until its heartbeat goes stale', async () => {
    const first = await startInstance(r, { now, staleAfterMs: 30_000 });
    const second = await startInstance(r, { now, staleAfterMs: 30_000 });
    closing.push(
      () => first.stop(),
      () => second.stop(),
    );
    expect(first.id).toMatch(
      new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${process.pid}:[0-9a-f]{8}$`),
    );
    expect(first.id).not.toBe(second.id);
    expect(await second.alive(first.id)).toBe(true);

    clock = T0 + 30_000;
    expect(await second.alive(first.id)).toBe(true);
    clock = T0 + 30_001;
    expect(await second.alive(first.id)).toBe(false);
    // A heartbeat brings it back; a job without an owner belongs to nobody alive.
    await first.beat();
    expect(await second.alive(first.id)).toBe(true);
    expect(await second.alive(null)).toBe(false);
    expect(second.staleBefore()).toBe('2026-03-01T10:00:00.001Z');
  });

  it('is dead to the others as soon as it stops, and to itself', async () => {
    const first = await startInstance(r, { now });
    const second = await startInstance(r, { now });
    closing.push(() => second.stop());
    await first.stop();
    expect(await second.alive(first.id)).toBe(false);
    expect(await first.alive(first.id)).toBe(false);
    expect((await r.list()).map((i) => i.id)).toEqual([second.id]);
  });

  it('refreshes its sighting on its timer', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const first = await startInstance(r, { now, heartbeatMs: 5_000 });
      closing.push(() => first.stop());
      clock = T0 + 5_000;
      vi.advanceTimersByTime(5_000);
      await vi.waitFor(async () =>
        expect((await r.list()).map((i) => i.seenAt)).toEqual(['2026-03-01T10:00:05.000Z']),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('registers again when its row was pruned while it was away', async () => {
    const first = await startInstance(r, { now });
    closing.push(() => first.stop());
    await r.deregister(first.id);
    clock = T0 + 1_000;
    await first.beat();
    expect(await r.list()).toEqual([
      {
        id: first.id,
        host: hostname(),
        pid: process.pid,
        startedAt: '2026-03-01T10:00:01.000Z',
        seenAt: '2026-03-01T10:00:01.000Z',
      },
    ]);
  });

  it('removes, when it starts, the instances of this host whose process is gone, however fresh their heartbeat', async () => {
    const exited = spawnSync(process.execPath, ['-e', '']);
    await r.register('killed-here', hostname(), exited.pid, '2026-03-01T10:00:00.000Z');
    await r.register('elsewhere', 'another-host', exited.pid, '2026-03-01T10:00:00.000Z');
    await r.register('running-here', hostname(), process.pid, '2026-03-01T10:00:00.000Z');
    const first = await startInstance(r, { now });
    closing.push(() => first.stop());
    expect((await r.list()).map((i) => i.id).sort()).toEqual(['elsewhere', first.id, 'running-here'].sort());
  });

  it('forgets instances dead for a day when another starts', async () => {
    await r.register('long-gone', 'h', 1, '2026-02-28T09:59:59.999Z');
    await r.register('recent', 'h', 2, '2026-02-28T10:00:00.000Z');
    const first = await startInstance(r, { now });
    closing.push(() => first.stop());
    expect((await r.list()).map((i) => i.id)).toEqual(['recent', first.id]);
  });
});
