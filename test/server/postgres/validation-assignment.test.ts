import { describe, expect, it } from 'vitest';
import { TASK_ASSIGNMENT_LOCK } from '../../../server/db/postgres/validation/tasks.ts';
import { postgresEngine } from '../../helpers/postgres.ts';
import {
  acceptingForm,
  addDataset,
  addItem,
  addUser,
  at,
  engines,
  type Engine,
  type Validations,
} from './validation-engines.ts';

/**
 * Task assignment with several app instances on one database: concurrent "next task" calls neither overfill an
 * item nor give a validator two tasks, and leases run out by their time in the database. On PostgreSQL with
 * CS_TEST_POSTGRES_URL set, the instances are separate connection pools and their transactions really run at
 * once; PGlite has one connection and runs them one after another (so the lock itself is checked there too).
 */

interface Instance {
  validations: Validations;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * "Next task" as the validation service asks for it (server/domain/validation.ts next): in one transaction,
 * reclaim expired leases, give back the task the validator holds, else lease the oldest item that still
 * needs them in any of their languages.
 */
function nextTask(
  instance: Instance,
  userId: number,
  languages: string[],
  now: string,
): Promise<number | null> {
  const v = instance.validations;
  return instance.transaction(async () => {
    await v.reclaimExpired(now);
    const held = await v.heldTask(userId, now);
    if (held) return held.id;
    let best: Awaited<ReturnType<Validations['nextCandidate']>>;
    for (const language of languages) {
      const c = await v.nextCandidate(userId, language);
      if (c && (!best || c.itemId < best.itemId)) best = c;
    }
    if (!best) return null;
    return v.insertTask({
      ...best,
      validatorId: userId,
      gold: false,
      itemVersion: 1,
      leasedAt: now,
      expiresAt: new Date(Date.parse(now) + 30 * 60_000).toISOString(),
    });
  });
}

async function instances(e: Engine): Promise<Instance[]> {
  return [e, await e.otherInstance(), await e.otherInstance()];
}

describe.each(engines)('task assignment on $engine', ({ open }) => {
  it('gives 40 validators asking three instances at once one task each, and every item exactly its validators', async () => {
    const e = await open();
    await addUser(e, 1, 'Alice Author', 'annotator', ['ko', 'en']);
    await addDataset(e, 1, 4);
    // Ten items, four validators each: forty places for forty validators.
    for (let id = 10; id < 20; id++) await addItem(e, { id, language: id % 2 === 0 ? 'ko' : 'en' });
    const validators = Array.from({ length: 41 }, (_, n) => 100 + n);
    for (const id of validators) await addUser(e, id, `Validator ${id}`, 'annotator', ['ko', 'en']);
    const pools = await instances(e);

    const tasks = await Promise.all(
      validators
        .slice(0, 40)
        // Languages in both orders: one lock, so no two assignments can wait for each other.
        .map((id, n) => nextTask(pools[n % 3], id, n % 2 === 0 ? ['ko', 'en'] : ['en', 'ko'], at(100))),
    );

    expect(tasks.every((t) => t !== null)).toBe(true);
    expect(new Set(tasks).size).toBe(40);
    const perValidator = await e.rows<{ validator_id: number; n: number }>(
      'SELECT validator_id, count(*) AS n FROM validations GROUP BY validator_id HAVING count(*) <> 1',
    );
    expect(perValidator).toEqual([]);
    expect(
      await e.rows('SELECT item_id, count(*) AS n FROM validations GROUP BY item_id ORDER BY item_id'),
    ).toEqual(Array.from({ length: 10 }, (_, n) => ({ item_id: 10 + n, n: 4 })));
    // The forty-first finds every place taken.
    expect(await nextTask(pools[0], 140, ['ko', 'en'], at(101))).toBeNull();
  });

  it('gives a validator asking two instances at once one task, the same to both', async () => {
    const e = await open();
    await addUser(e, 1, 'Alice Author', 'annotator', ['ko']);
    await addUser(e, 2, 'Val One', 'annotator', ['ko']);
    await addDataset(e, 1, 3);
    await addItem(e, { id: 10 });
    await addItem(e, { id: 11 });
    const [a, b] = await instances(e);
    const [first, second] = await Promise.all([
      nextTask(a, 2, ['ko'], at(100)),
      nextTask(b, 2, ['ko'], at(100)),
    ]);
    expect(first).not.toBeNull();
    expect(second).toBe(first);
    expect(await e.rows('SELECT item_id, validator_id FROM validations')).toEqual([
      { item_id: 10, validator_id: 2 },
    ]);
  });

  it('lets a lease run out by its time in the database: another instance reclaims it and offers the item again', async () => {
    const e = await open();
    await addUser(e, 1, 'Alice Author', 'annotator', ['ko']);
    await addUser(e, 2, 'Val One', 'annotator', ['ko']);
    await addUser(e, 3, 'Val Two', 'annotator', ['ko']);
    await addDataset(e, 1, 1);
    await addItem(e, { id: 10 });
    const [a, b] = await instances(e);
    const lease = await nextTask(a, 2, ['ko'], at(100));
    expect(await b.validations.getTask(lease!)).toMatchObject({ expiresAt: '2026-03-01T12:10:00.000Z' });
    expect(await nextTask(b, 3, ['ko'], at(129))).toBeNull();
    const again = await nextTask(b, 3, ['ko'], at(130));
    expect(again).not.toBeNull();
    expect(await b.validations.getTask(again!)).toMatchObject({ itemId: 10, validatorId: 3 });
    expect(await a.validations.heldTask(2, at(130))).toBeUndefined();
    expect(await e.rows('SELECT item_id, validator_id FROM validations')).toEqual([
      { item_id: 10, validator_id: 3 },
    ]);
  });
  it('takes one of two own answers sent at once through two instances and refuses the other', async () => {
    const e = await open();
    await addUser(e, 1, 'Alice Author', 'annotator', ['ko']);
    await addUser(e, 2, 'Val One', 'annotator', ['ko']);
    await addDataset(e, 1, 2);
    await addItem(e, { id: 10 });
    const [a, b] = await instances(e);
    const id = (await nextTask(a, 2, ['ko'], at(100)))!;
    // As the validation service answers: read the task, refuse if answered, else write the answer.
    const answer = (instance: Instance, variant: string) =>
      instance.transaction(async () => {
        const t = await instance.validations.getTask(id);
        if (t?.ownAnswer !== null) return 'refused';
        const taken = await instance.validations.setOwnAnswer(id, { variants: [variant] }, null, at(101));
        return taken ? variant : 'refused';
      });
    const results = await Promise.all([answer(a, 'first'), answer(b, 'second')]);
    expect(results.filter((r) => r === 'refused')).toHaveLength(1);
    const taken = results.find((r) => r !== 'refused');
    expect(await e.validations.getTask(id)).toMatchObject({ ownAnswer: { variants: [taken] } });
  });

  it('completes a round once when its last two validations are submitted at once through two instances', async () => {
    const e = await open();
    await addUser(e, 1, 'Alice Author', 'annotator', ['ko']);
    await addUser(e, 2, 'Val One', 'annotator', ['ko']);
    await addUser(e, 3, 'Val Two', 'annotator', ['ko']);
    await addDataset(e, 1, 2);
    await addItem(e, { id: 10, status: 'in_validation' });
    const [a, b] = await instances(e);
    const first = (await nextTask(a, 2, ['ko'], at(100)))!;
    const second = (await nextTask(b, 3, ['ko'], at(100)))!;
    // As the validation service submits: write the validation, then count the round's to see if it is complete.
    const submit = (instance: Instance, task: number) =>
      instance.transaction(async () => {
        await instance.validations.submit(task, acceptingForm, at(110));
        return (await instance.validations.roundValidations(10, 1)).length;
      });
    const counted = await Promise.all([submit(a, first), submit(b, second)]);
    expect(counted.sort()).toEqual([1, 2]);
  });
});

describe(`the assignment lock on ${postgresEngine}`, () => {
  const pg = engines[1];
  const heldLocks = async (e: Engine) =>
    (
      await e.rows<{ n: number }>(
        `SELECT count(*) AS n FROM pg_locks
         WHERE locktype = 'advisory' AND objid = ? AND granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [TASK_ASSIGNMENT_LOCK],
      )
    )[0].n;

  it('is taken by every read an assignment depends on and held until the transaction ends', async () => {
    const e = await pg.open();
    await addUser(e, 2, 'Val One', 'annotator', ['ko']);
    const reads: [string, () => Promise<unknown>][] = [
      ['reclaimExpired', () => e.validations.reclaimExpired(at(100))],
      ['heldTask', () => e.validations.heldTask(2, at(100))],
      ['nextCandidate', () => e.validations.nextCandidate(2, 'ko')],
      ['goldCandidate', () => e.validations.goldCandidate(2, ['ko'])],
    ];
    for (const [name, read] of reads) {
      const held = await e.transaction(async () => {
        await read();
        return heldLocks(e);
      });
      expect([name, held]).toEqual([name, 1]);
    }
    expect(await heldLocks(e)).toBe(0);
  });

  it.runIf(postgresEngine === 'postgres')(
    'makes a second instance wait until the first has leased, then shows it the lease',
    async () => {
      const e = await pg.open();
      await addUser(e, 1, 'Alice Author', 'annotator', ['ko']);
      await addUser(e, 2, 'Val One', 'annotator', ['ko']);
      await addUser(e, 3, 'Val Two', 'annotator', ['ko']);
      await addDataset(e, 1, 1);
      await addItem(e, { id: 10 });
      await addItem(e, { id: 11 });
      const [a, b] = await instances(e);
      let leased!: () => void;
      const proceed = new Promise<void>((resolve) => (leased = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      // The first assignment leases item 10 and then waits (still in its transaction) until told to commit.
      const first = a.transaction(async () => {
        const c = await a.validations.nextCandidate(2, 'ko');
        const id = await a.validations.insertTask({
          ...c!,
          validatorId: 2,
          gold: false,
          itemVersion: 1,
          leasedAt: at(100),
          expiresAt: at(130),
        });
        entered();
        await proceed;
        return id;
      });
      await inside;
      const second = nextTask(b, 3, ['ko'], at(100));
      // Go on only once the second is really blocked on the advisory lock.
      for (;;) {
        const [row] = await e.rows<{ n: number }>(
          `SELECT count(*) AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        );
        if (row.n > 0) break;
      }
      leased();
      await first;
      const id = await second;
      expect(await e.validations.getTask(id!)).toMatchObject({ itemId: 11, validatorId: 3 });
    },
  );
});
