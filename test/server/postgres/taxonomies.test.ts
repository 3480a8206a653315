import { beforeEach, describe, expect, it } from 'vitest';
import type { TaxonomyNode } from '../../../schema/taxonomy.ts';
import type { TaxonomyHeader } from '../../../server/db/taxonomies.ts';
import { engines, type Engine } from './account-engines.ts';

const header: TaxonomyHeader = {
  id: 'socio-cultural',
  name: 'Socio-cultural',
  version: '1.0.0',
  description: 'What a culture knows',
};

type Shipped = Omit<TaxonomyNode, 'origin'>;
const shipped = (
  id: string,
  parentId: string | null,
  position: number,
  labels: Record<string, string>,
): Shipped => ({
  id,
  parentId,
  position,
  labels,
});

/** Parents first, as the domain flattens a taxonomy file. */
const tree: Shipped[] = [
  shipped('food', null, 0, { en: 'Food', ko: '음식' }),
  shipped('food/rice', 'food', 0, { en: 'Rice cakes' }),
  shipped('food/kimchi', 'food', 1, { en: 'Kimchi' }),
  shipped('arts', null, 1, { en: 'Arts' }),
  shipped('arts/music', 'arts', 0, { en: 'Music' }),
];

const node = (
  id: string,
  parentId: string | null,
  position: number,
  labels: Record<string, string>,
  origin: 'default' | 'custom' = 'default',
): TaxonomyNode => ({ id, parentId, labels, position, origin });

describe.each(engines)('taxonomy repository on $engine', ({ open }) => {
  let e: Engine;
  beforeEach(async () => {
    e = await open();
  });

  it('writes a shipped taxonomy and gives its nodes roots first, then by parent id (bytewise), position and id', async () => {
    await e.taxonomies.syncDefault(header, tree);
    expect(await e.taxonomies.get('socio-cultural')).toEqual({
      ...header,
      nodes: [
        node('food', null, 0, { en: 'Food', ko: '음식' }),
        node('arts', null, 1, { en: 'Arts' }),
        node('arts/music', 'arts', 0, { en: 'Music' }),
        node('food/rice', 'food', 0, { en: 'Rice cakes' }),
        node('food/kimchi', 'food', 1, { en: 'Kimchi' }),
      ],
    });
    expect(await e.taxonomies.get('safety-hazards')).toBeUndefined();
    expect(await e.taxonomies.getNode('socio-cultural', 'food/rice')).toEqual(
      node('food/rice', 'food', 0, { en: 'Rice cakes' }),
    );
    expect(await e.taxonomies.getNode('socio-cultural', 'food/bread')).toBeUndefined();
    expect(await e.taxonomies.hasNode('socio-cultural', 'arts/music')).toBe(true);
    expect(await e.taxonomies.hasNode('safety-hazards', 'arts/music')).toBe(false);
  });

  it('lists every taxonomy by id (bytewise) with its nodes', async () => {
    await e.taxonomies.syncDefault(
      { id: 'safety-hazards', name: 'Hazards', version: '2.0.0', description: '' },
      [shipped('weapons', null, 0, { en: 'Weapons' })],
    );
    await e.taxonomies.syncDefault(header, tree);
    expect(await e.taxonomies.list()).toEqual([
      {
        id: 'safety-hazards',
        name: 'Hazards',
        version: '2.0.0',
        description: '',
        nodes: [node('weapons', null, 0, { en: 'Weapons' })],
      },
      {
        ...header,
        nodes: [
          node('food', null, 0, { en: 'Food', ko: '음식' }),
          node('arts', null, 1, { en: 'Arts' }),
          node('arts/music', 'arts', 0, { en: 'Music' }),
          node('food/rice', 'food', 0, { en: 'Rice cakes' }),
          node('food/kimchi', 'food', 1, { en: 'Kimchi' }),
        ],
      },
    ]);
  });

  it("adds a maintainer's node after its siblings, at the root or under a node, or first under a leaf", async () => {
    await e.taxonomies.syncDefault(header, tree);
    expect(
      await e.taxonomies.addNode('socio-cultural', {
        id: 'food/tteok',
        parentId: 'food',
        labels: { ko: '떡' },
      }),
    ).toEqual(node('food/tteok', 'food', 2, { ko: '떡' }, 'custom'));
    expect(
      await e.taxonomies.addNode('socio-cultural', { id: 'rites', parentId: null, labels: { en: 'Rites' } }),
    ).toEqual(node('rites', null, 2, { en: 'Rites' }, 'custom'));
    expect(
      await e.taxonomies.addNode('socio-cultural', {
        id: 'arts/music/pansori',
        parentId: 'arts/music',
        labels: { en: 'Pansori' },
      }),
    ).toEqual(node('arts/music/pansori', 'arts/music', 0, { en: 'Pansori' }, 'custom'));
  });

  it('relabels per language and reorders a node, and finds no unknown node', async () => {
    await e.taxonomies.syncDefault(header, tree);
    expect(
      await e.taxonomies.updateNode('socio-cultural', 'food', { labels: { ko: '먹거리', ar: 'طعام' } }),
    ).toEqual(node('food', null, 0, { en: 'Food', ko: '먹거리', ar: 'طعام' }));
    expect(await e.taxonomies.updateNode('socio-cultural', 'food', { position: 5 })).toEqual(
      node('food', null, 5, { en: 'Food', ko: '먹거리', ar: 'طعام' }),
    );
    expect(await e.taxonomies.updateNode('socio-cultural', 'food/bread', { position: 1 })).toBeUndefined();
  });

  it("syncing again refreshes shipped labels under maintainers' edits, keeps their order and custom nodes, adds new nodes", async () => {
    await e.taxonomies.syncDefault(header, tree);
    await e.taxonomies.updateNode('socio-cultural', 'food', {
      labels: { ko: '먹거리', fr: 'Cuisine' },
      position: 3,
    });
    await e.taxonomies.addNode('socio-cultural', {
      id: 'food/tteok',
      parentId: 'food',
      labels: { ko: '떡' },
    });

    await e.taxonomies.syncDefault({ ...header, version: '1.1.0' }, [
      shipped('food', null, 0, { en: 'Food and drink', ko: '음식' }),
      shipped('food/rice', 'food', 0, { en: 'Rice' }),
      shipped('food/kimchi', 'food', 1, { en: 'Kimchi' }),
      shipped('food/tteok', 'food', 2, { en: 'Rice cakes (shipped)' }),
      shipped('food/soup', 'food', 3, { en: 'Soup' }),
      shipped('arts', null, 1, { en: 'Arts' }),
      shipped('arts/music', 'arts', 0, { en: 'Music' }),
    ]);

    const food = await e.taxonomies.getNode('socio-cultural', 'food');
    expect(food).toEqual(node('food', null, 3, { en: 'Food and drink', ko: '먹거리', fr: 'Cuisine' }));
    // The shipped languages in their order, then those only maintainers wrote: SQLite's json_patch order.
    expect(Object.keys(food!.labels)).toEqual(['en', 'ko', 'fr']);
    expect((await e.taxonomies.get('socio-cultural'))?.version).toBe('1.1.0');
    expect(await e.taxonomies.getNode('socio-cultural', 'food/tteok')).toEqual(
      node('food/tteok', 'food', 2, { ko: '떡' }, 'custom'),
    );
    expect(await e.taxonomies.getNode('socio-cultural', 'food/rice')).toEqual(
      node('food/rice', 'food', 0, { en: 'Rice' }),
    );
    expect(await e.taxonomies.getNode('socio-cultural', 'food/soup')).toEqual(
      node('food/soup', 'food', 3, { en: 'Soup' }),
    );
  });

  it('refuses a node under an unknown parent or in an unknown taxonomy', async () => {
    await e.taxonomies.syncDefault(header, tree);
    await expect(
      e.taxonomies.addNode('socio-cultural', { id: 'none/x', parentId: 'none', labels: { en: 'X' } }),
    ).rejects.toMatchObject({ code: e.foreignKeyViolation });
    await expect(
      e.taxonomies.addNode('attack-styles', { id: 'x', parentId: null, labels: { en: 'X' } }),
    ).rejects.toMatchObject({ code: e.foreignKeyViolation });
    expect((await e.taxonomies.get('socio-cultural'))?.nodes).toHaveLength(5);
    expect(await e.taxonomies.get('attack-styles')).toBeUndefined();
  });

  describe('several app instances on one database', () => {
    beforeEach(async () => {
      await e.taxonomies.syncDefault(header, tree);
    });

    it('two nodes added under one parent at once through two instances get the next two positions', async () => {
      const other = await e.otherInstance();
      const [first, second] = await e.atOnce(
        () =>
          e.taxonomies.addNode('socio-cultural', {
            id: 'food/soup',
            parentId: 'food',
            labels: { en: 'Soup' },
          }),
        () =>
          other.taxonomies.addNode('socio-cultural', {
            id: 'food/tea',
            parentId: 'food',
            labels: { en: 'Tea' },
          }),
      );
      expect([first.position, second.position]).toEqual([2, 3]);
    });

    it("two relabellings of one node at once through two instances keep both languages' edits", async () => {
      const other = await e.otherInstance();
      await e.atOnce(
        () => e.taxonomies.updateNode('socio-cultural', 'arts', { labels: { ko: '예술' } }),
        () => other.taxonomies.updateNode('socio-cultural', 'arts', { labels: { he: 'אמנות' } }),
      );
      expect((await e.taxonomies.getNode('socio-cultural', 'arts'))?.labels).toEqual({
        en: 'Arts',
        ko: '예술',
        he: 'אמנות',
      });
      // Both are edits that outlive a re-sync.
      await e.taxonomies.syncDefault(header, [shipped('arts', null, 1, { en: 'The arts' })]);
      expect((await e.taxonomies.getNode('socio-cultural', 'arts'))?.labels).toEqual({
        en: 'The arts',
        ko: '예술',
        he: 'אמנות',
      });
    });

    it('a sync while a maintainer relabels through another instance keeps the edit', async () => {
      const other = await e.otherInstance();
      await e.atOnce(
        () => e.taxonomies.updateNode('socio-cultural', 'food', { labels: { en: 'Cuisine' } }),
        () => other.taxonomies.syncDefault(header, [shipped('food', null, 0, { en: 'Food v2', ko: '음식' })]),
      );
      expect((await e.taxonomies.getNode('socio-cultural', 'food'))?.labels).toEqual({
        en: 'Cuisine',
        ko: '음식',
      });
    });
  });
});
