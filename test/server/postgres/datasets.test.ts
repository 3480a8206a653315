import { beforeEach, describe, expect, it } from 'vitest';
import type { CreateDatasetInput } from '../../../schema/dataset.ts';
import { engines, ISO, type Engine } from './account-engines.ts';

const input = (
  slug: string,
  name: string,
  overrides: Partial<CreateDatasetInput> = {},
): CreateDatasetInput => ({
  slug,
  name,
  description: '',
  validatorsPerItem: 3,
  autoAccept: true,
  ...overrides,
});

describe.each(engines)('dataset repository on $engine', ({ open }) => {
  let e: Engine;
  beforeEach(async () => {
    e = await open();
  });

  it('creates a dataset and reads it back by id and by slug', async () => {
    const created = await e.datasets.create(
      input('korean-culture', 'Korean culture', {
        description: '송편 and more',
        validatorsPerItem: 5,
        autoAccept: false,
      }),
    );
    const expected = {
      id: 1,
      slug: 'korean-culture',
      name: 'Korean culture',
      description: '송편 and more',
      validatorsPerItem: 5,
      autoAccept: false,
      createdAt: expect.stringMatching(ISO) as string,
    };
    expect(created).toEqual(expected);
    expect(await e.datasets.get(1)).toEqual(expected);
    expect(await e.datasets.getBySlug('korean-culture')).toEqual(expected);
    expect(await e.datasets.exists(1)).toBe(true);
    expect(await e.datasets.exists(2)).toBe(false);
    expect(await e.datasets.get(2)).toBeUndefined();
    expect(await e.datasets.getBySlug('Korean-Culture')).toBeUndefined();
  });

  it('lists datasets by name compared bytewise, then by id', async () => {
    for (const [slug, name] of [
      ['a', 'beta'],
      ['b', 'Zulu'],
      ['c', 'alpha'],
      ['d', 'Ärger'],
      ['e', 'beta'],
      ['f', '_under'],
    ]) {
      await e.datasets.create(input(slug, name));
    }
    expect((await e.datasets.list()).map((d) => [d.name, d.id])).toEqual([
      ['Zulu', 2],
      ['_under', 6],
      ['alpha', 3],
      ['beta', 1],
      ['beta', 5],
      ['Ärger', 4],
    ]);
  });

  it('changes only the given fields', async () => {
    await e.datasets.create(input('ar', 'Arabic', { description: 'مصر', validatorsPerItem: 2 }));
    const changed = await e.datasets.update(1, { name: 'Arabic (Egypt)', autoAccept: false });
    expect(changed).toEqual({
      id: 1,
      slug: 'ar',
      name: 'Arabic (Egypt)',
      description: 'مصر',
      validatorsPerItem: 2,
      autoAccept: false,
      createdAt: expect.stringMatching(ISO) as string,
    });
    expect(
      await e.datasets.update(1, { slug: 'ar-eg', description: '', validatorsPerItem: 20 }),
    ).toMatchObject({
      slug: 'ar-eg',
      name: 'Arabic (Egypt)',
      description: '',
      validatorsPerItem: 20,
      autoAccept: false,
    });
    expect(await e.datasets.getBySlug('ar')).toBeUndefined();
    expect(await e.datasets.update(7, { name: 'nothing' })).toBeUndefined();
  });

  it('refuses a slug another dataset has, on create and on update', async () => {
    await e.datasets.create(input('one', 'One'));
    await e.datasets.create(input('two', 'Two'));
    await expect(e.datasets.create(input('one', 'Again'))).rejects.toMatchObject({ code: e.uniqueViolation });
    await expect(e.datasets.update(2, { slug: 'one' })).rejects.toMatchObject({ code: e.uniqueViolation });
    expect((await e.datasets.list()).map((d) => d.slug)).toEqual(['one', 'two']);
  });

  it('two changes of different fields at once through two instances both stay', async () => {
    await e.datasets.create(input('he', 'Hebrew'));
    const other = await e.otherInstance();
    await e.atOnce(
      () => e.datasets.update(1, { name: 'Hebrew (Israel)' }),
      () => other.datasets.update(1, { description: 'שָׁלוֹם' }),
    );
    expect(await e.datasets.get(1)).toMatchObject({ name: 'Hebrew (Israel)', description: 'שָׁלוֹם' });
  });

  it('two datasets with one slug created at once through two instances: the second is refused', async () => {
    const other = await e.otherInstance();
    const [, refused] = await e.atOnce(
      () => e.datasets.create(input('same', 'First')),
      () =>
        other.datasets.create(input('same', 'Second')).then(
          () => 'created',
          (error: { code?: string }) => error.code,
        ),
    );
    expect(refused).toBe(e.uniqueViolation);
    expect((await e.datasets.list()).map((d) => d.name)).toEqual(['First']);
  });
});
