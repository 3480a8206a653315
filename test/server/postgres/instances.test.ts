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
import {
  engines as importEngines,
  seed as seedImports,
  type Engine as ImportEngine,
} from './import-release-engines.ts';
import { engines as scoringEngines, newRun, T0 as SCORING_T0, T1, T2, world } from './scoring-engines.ts';

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

// Running jobs and their owners (migration 024): a start interrupts, each kind in one conditional UPDATE, only the
// jobs whose owner was not seen since the bound, is not registered, or is unknown (null).
const SINCE = '2026-03-01T10:00:00.000Z';
/** 'live' seen at the bound exactly (alive), 'stale' a millisecond before it; 'gone' never registered. */
const owners = async (sql: (text: string, params: unknown[]) => Promise<unknown>) => {
  for (const [id, seen] of [
    ['live', SINCE],
    ['stale', '2026-03-01T09:59:59.999Z'],
  ])
    await sql('INSERT INTO instances (id, host, pid, started_at, seen_at) VALUES (?, ?, ?, ?, ?)', [
      id,
      'h',
      1,
      '2026-03-01T09:00:00.000Z',
      seen,
    ]);
};

describe.each(importEngines)('import jobs and their owners on %s', (_name, open) => {
  it('interrupts the running imports of dead, gone or unknown owners and leaves a live owner’s and idle jobs alone', async () => {
    const e: ImportEngine = await open();
    await seedImports(e);
    await owners((text, params) => e.run(text, params));
    const job = () =>
      e.imports.create({
        datasetId: 1,
        userId: 1,
        fileName: 'items.csv',
        format: 'csv',
        options: { preset: 'blend', mapping: { z: 'question' } },
        dryRun: false,
        status: 'accepted',
        createdAt: SINCE,
      });
    const [live, stale, gone, unknown, waiting] = [
      await job(),
      await job(),
      await job(),
      await job(),
      await job(),
    ];
    expect(await e.imports.start(live.id, null, 'live')).toBe(true);
    expect(await e.imports.start(stale.id, null, 'stale')).toBe(true);
    expect(await e.imports.start(gone.id, null, 'gone')).toBe(true);
    expect(await e.imports.start(unknown.id, null)).toBe(true);
    const issue = {
      row: null,
      line: null,
      column: null,
      field: null,
      code: 'interrupted',
      message: 'stopped',
    };

    const interrupted = await e.imports.interruptRunning(issue, '2026-03-01T10:00:31.000Z', SINCE);
    expect(interrupted.sort((a, b) => a - b)).toEqual([stale.id, gone.id, unknown.id]);
    expect((await e.imports.get(live.id))?.state).toBe('reading');
    expect((await e.imports.get(stale.id))?.state).toBe('failed');
    expect((await e.imports.get(waiting.id))?.state).toBe('waiting');
    // Without a bound, every running job (a single process's start, as before instances).
    expect(await e.imports.interruptRunning(issue, '2026-03-01T10:00:31.000Z', null)).toEqual([live.id]);
  });
});

describe.each(scoringEngines)('collections and judge runs and their owners on $engine', ({ open }) => {
  it('interrupts the running collections of dead, gone or unknown owners and leaves a live owner’s alone', async () => {
    const e = await open();
    const w = await world(e);
    await owners((text, params) => e.rows(text, params));
    const runs: number[] = [];
    for (const model of [w.model, w.otherModel])
      for (const release of [w.release, w.otherRelease]) runs.push(await newRun(e, w, model, release));
    const [live, stale, gone, unknown] = runs;
    expect(await e.scoring.claimCollection(live, T1, 'live')).toBe(true);
    expect(await e.scoring.claimCollection(stale, T1, 'stale')).toBe(true);
    expect(await e.scoring.claimCollection(gone, T1, 'gone')).toBe(true);
    expect(await e.scoring.claimCollection(unknown, T1)).toBe(true);

    const interrupted = await e.scoring.interruptCollections(T2, 'server stopped', SINCE);
    expect(interrupted.sort((a, b) => a - b)).toEqual([stale, gone, unknown]);
    expect((await e.scoring.getRun(live))?.collection).toMatchObject({ state: 'running' });
    expect((await e.scoring.getRun(stale))?.collection).toMatchObject({ state: 'interrupted' });
    expect(await e.scoring.interruptCollections(T2, 'server stopped', null)).toEqual([live]);
  });

  it('interrupts the running judge runs of dead, gone or unknown owners and leaves a live owner’s alone', async () => {
    const e = await open();
    const w = await world(e);
    await owners((text, params) => e.rows(text, params));
    const judge = await e.scoring.insertJudge({
      name: 'Judge',
      modelId: w.otherModel,
      rubric: { templates: [], language: 'item', criteria: 'c' },
      temperature: 0,
      maxTokens: 64,
      createdBy: w.alice,
      createdAt: SCORING_T0,
    });
    const judgeRuns: number[] = [];
    for (const release of [w.release, w.otherRelease])
      for (const model of [w.model, w.otherModel])
        judgeRuns.push(
          await e.scoring.ensureJudgeRun({
            judgeId: judge,
            runId: await newRun(e, w, model, release),
            createdBy: w.alice,
            createdAt: SCORING_T0,
          }),
        );
    const [live, stale, gone, unknown] = judgeRuns;
    expect(await e.scoring.claimJudgeRun(live, T1, 'live')).toBe(true);
    expect(await e.scoring.claimJudgeRun(stale, T1, 'stale')).toBe(true);
    expect(await e.scoring.claimJudgeRun(gone, T1, 'gone')).toBe(true);
    expect(await e.scoring.claimJudgeRun(unknown, T1)).toBe(true);

    const interrupted = await e.scoring.interruptJudgeRuns(T2, 'server stopped', SINCE);
    expect(interrupted.sort((a, b) => a - b)).toEqual([stale, gone, unknown]);
    expect((await e.scoring.getJudgeRun(live))?.state).toBe('running');
    expect((await e.scoring.getJudgeRun(gone))?.state).toBe('interrupted');
    expect(await e.scoring.interruptJudgeRuns(T2, 'server stopped', null)).toEqual([live]);
  });
});
