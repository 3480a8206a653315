import { describe, expect, it } from 'vitest';
import { createRepositories } from '../../server/db/repositories.ts';
import { freshDb } from '../helpers/app.ts';

/** A promise and the function that resolves it: lets a test hold a transaction's body open at a known point. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A dataset named after its slug (datasets list by name). */
const dataset = (slug: string) => ({
  slug,
  name: slug,
  description: '',
  validatorsPerItem: 3,
  autoAccept: true,
});

describe('the repositories over one SQLite connection (createRepositories)', () => {
  it('while a transaction’s body awaits, a read from outside it runs only after it has committed', async () => {
    const repos = createRepositories(freshDb());
    const events: string[] = [];
    const written = deferred();
    const mayCommit = deferred();
    const transaction = repos.transaction(async () => {
      await repos.datasets.create(dataset('inside'));
      events.push('written');
      written.resolve();
      await mayCommit.promise;
      events.push('committing');
    });
    await written.promise;
    const read = repos.datasets.list().then((list) => {
      events.push('read');
      return list.map((d) => d.slug);
    });
    mayCommit.resolve();
    await transaction;
    expect(await read).toEqual(['inside']);
    expect(events).toEqual(['written', 'committing', 'read']);
  });

  it('while a transaction’s body awaits, a read from outside it does not see its uncommitted rows, and a write from outside is not rolled back with it', async () => {
    const repos = createRepositories(freshDb());
    const written = deferred();
    const mayFail = deferred();
    const transaction = repos.transaction(async () => {
      await repos.datasets.create(dataset('uncommitted'));
      written.resolve();
      await mayFail.promise;
      throw new Error('the body failed');
    });
    await written.promise;
    const read = repos.datasets.list();
    const write = repos.datasets.create(dataset('outside'));
    mayFail.resolve();
    await expect(transaction).rejects.toThrow('the body failed');
    expect((await read).map((d) => d.slug)).toEqual([]);
    expect((await write).slug).toBe('outside');
    expect((await repos.datasets.list()).map((d) => d.slug)).toEqual(['outside']);
  });

  it('a transaction that throws rolls back everything written inside it, nested transactions included', async () => {
    const repos = createRepositories(freshDb());
    await expect(
      repos.transaction(async () => {
        await repos.datasets.create(dataset('outer'));
        await repos.transaction(async () => {
          await repos.datasets.create(dataset('nested'));
        });
        throw new Error('the outer body failed');
      }),
    ).rejects.toThrow('the outer body failed');
    expect(await repos.datasets.list()).toEqual([]);
  });

  it('a nested transaction that throws, when its error is caught, rolls back only what it wrote', async () => {
    const repos = createRepositories(freshDb());
    await repos.transaction(async () => {
      await repos.datasets.create(dataset('a-before'));
      await expect(
        repos.transaction(async () => {
          await repos.datasets.create(dataset('b-nested'));
          throw new Error('the nested body failed');
        }),
      ).rejects.toThrow('the nested body failed');
      await repos.datasets.create(dataset('c-after'));
    });
    expect((await repos.datasets.list()).map((d) => d.slug)).toEqual(['a-before', 'c-after']);
  });

  it('two transactions started together both commit, one after the other', async () => {
    const repos = createRepositories(freshDb());
    const events: string[] = [];
    const body = (slug: string) => async () => {
      events.push(`${slug} begins`);
      await repos.datasets.create(dataset(slug));
      events.push(`${slug} written`);
      await repos.datasets.create(dataset(`${slug}-again`));
      events.push(`${slug} ends`);
      return slug;
    };
    // Without the gate the second BEGIN would run inside the first transaction, which SQLite refuses
    // ("cannot start a transaction within a transaction").
    const results = await Promise.all([repos.transaction(body('first')), repos.transaction(body('second'))]);
    expect(results).toEqual(['first', 'second']);
    expect(events).toEqual([
      'first begins',
      'first written',
      'first ends',
      'second begins',
      'second written',
      'second ends',
    ]);
    expect((await repos.datasets.list()).map((d) => d.slug)).toEqual([
      'first',
      'first-again',
      'second',
      'second-again',
    ]);
  });

  it('calls from inside a transaction’s body go straight through: sequential, concurrent and from a second set of repositories on the same connection', async () => {
    const db = freshDb();
    const repos = createRepositories(db);
    const other = createRepositories(db);
    const seen = await repos.transaction(async () => {
      await repos.datasets.create(dataset('one'));
      const [slugs, count] = await Promise.all([
        other.datasets.list().then((list) => list.map((d) => d.slug)),
        repos.users.count(),
      ]);
      return { slugs, count };
    });
    expect(seen).toEqual({ slugs: ['one'], count: 0 });
  });
});
