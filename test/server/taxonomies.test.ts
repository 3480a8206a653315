import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { taxonomyIds, type Taxonomy, type TaxonomyNode } from '../../schema/taxonomy.ts';
import {
  flattenTaxonomy,
  readDefaultTaxonomy,
  syncDefaultTaxonomies,
  taxonomyFileSchema,
} from '../../server/domain/taxonomies.ts';
import { createTestContext } from '../helpers/app.ts';
import { addDataset, createItem } from '../helpers/items.ts';

const TAXONOMY_DIR = fileURLToPath(new URL('../../schema/taxonomies/', import.meta.url));

describe('default taxonomies in schema/taxonomies', () => {
  it.each(taxonomyIds)('%s validates, with unique hierarchical ids and en, ko and ar labels', (id) => {
    const raw: unknown = JSON.parse(readFileSync(join(TAXONOMY_DIR, `${id}.json`), 'utf8'));
    const file = taxonomyFileSchema.parse(raw);
    expect(file.id).toBe(id);
    const nodes = flattenTaxonomy(file); // throws on duplicate or non-hierarchical ids
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
    for (const n of nodes) {
      expect(n.id.startsWith(n.parentId === null ? '' : `${n.parentId}/`), n.id).toBe(true);
      expect(n.id.split('/').length, n.id).toBe(n.parentId === null ? 1 : n.parentId.split('/').length + 1);
      for (const lang of ['en', 'ko', 'ar']) expect(n.labels[lang], `${n.id} ${lang}`).toBeTruthy();
    }
  });

  it('keeps the ids that items and tests already rely on', () => {
    const ids = (id: string) => flattenTaxonomy(readDefaultTaxonomy(id)).map((n) => n.id);
    expect(ids('socio-cultural')).toEqual(
      expect.arrayContaining(['society/family', 'tradition/food', 'language/honorifics']),
    );
    expect(ids('safety-hazards')).toEqual(
      expect.arrayContaining(['hate', 'privacy', 'local/regional-or-ethnic-discrimination']),
    );
    expect(ids('attack-styles')).toEqual(expect.arrayContaining(['direct', 'role-play', 'multi-turn-setup']));
  });

  it('has the socio-cultural top-level categories, in order', () => {
    const socio = flattenTaxonomy(readDefaultTaxonomy('socio-cultural')).map((n) => n.id);
    expect(socio.filter((id) => !id.includes('/'))).toEqual([
      'society',
      'tradition',
      'history',
      'politics-and-government',
      'law',
      'economy',
      'geography',
      'popular-culture',
      'language',
      'values-and-beliefs',
    ]);
    expect(flattenTaxonomy(readDefaultTaxonomy('safety-hazards'))).toHaveLength(17);
    expect(flattenTaxonomy(readDefaultTaxonomy('attack-styles'))).toHaveLength(7);
  });
});

describe('GET /api/taxonomies', () => {
  it('when signed in, then lists the three taxonomies with their nodes', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const a = await t.login('minji');
    const res = await a.get('/api/taxonomies');
    expect(res.status).toBe(200);
    const list = res.body as Taxonomy[];
    expect(list.map((x) => x.id).sort()).toEqual([...taxonomyIds].sort());
    const socio = list.find((x) => x.id === 'socio-cultural')!;
    expect(socio.nodes.find((n) => n.id === 'tradition/food')).toMatchObject({
      parentId: 'tradition',
      origin: 'default',
      labels: { en: 'Food', ko: '음식' },
    });
  });

  it('returns one taxonomy, and 404 for an unknown one', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const a = await t.login('minji');
    const one = await a.get('/api/taxonomies/attack-styles');
    expect(one.status).toBe(200);
    expect((one.body as Taxonomy).nodes.map((n) => n.id)).toContain('role-play');
    const missing = await a.get('/api/taxonomies/colours');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not-found');
  });
});

describe('POST /api/taxonomies/:id/nodes', () => {
  it('when a maintainer adds a child, then its id is the parent id plus the slug and it is custom', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    const m = await t.login('admin');
    const res = await m.post('/api/taxonomies/socio-cultural/nodes', {
      parentId: 'tradition/food',
      slug: 'kimchi',
      labels: { en: 'Kimchi', ko: '김치' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: 'tradition/food/kimchi',
      parentId: 'tradition/food',
      labels: { en: 'Kimchi', ko: '김치' },
      position: 0,
      origin: 'custom',
    });
    const got = await m.get('/api/taxonomies/socio-cultural');
    expect((got.body as Taxonomy).nodes.map((n) => n.id)).toContain('tradition/food/kimchi');
  });

  it('when no parent is given, then the node is created at the root after the existing ones', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    const m = await t.login('admin');
    const res = await m.post('/api/taxonomies/safety-hazards/nodes', {
      slug: 'misinformation',
      labels: { en: 'Misinformation' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'misinformation', parentId: null, origin: 'custom' });
    const roots = (await m.get('/api/taxonomies/safety-hazards')).body.nodes.filter(
      (n: TaxonomyNode) => n.parentId === null,
    );
    expect(Math.max(...roots.map((n: TaxonomyNode) => n.position))).toBe(res.body.position);
  });

  it('when the parent does not exist, then 400 naming parentId', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    const m = await t.login('admin');
    const res = await m.post('/api/taxonomies/socio-cultural/nodes', {
      parentId: 'cuisine',
      slug: 'kimchi',
      labels: { en: 'Kimchi' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('parentId');
  });

  it('when the id already exists, then 409 and nothing changes', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    const m = await t.login('admin');
    const res = await m.post('/api/taxonomies/socio-cultural/nodes', {
      parentId: 'society',
      slug: 'family',
      labels: { en: 'Another family' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('node-exists');
    expect((await t.repos.taxonomies.getNode('socio-cultural', 'society/family'))?.labels.en).toBe('Family');
  });

  it('when the input is invalid, then 400 with field-level details', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    const m = await t.login('admin');
    const res = await m.post('/api/taxonomies/socio-cultural/nodes', {
      slug: 'Bad Slug/x',
      labels: { ko: '김치' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-input');
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['slug', 'labels']));
  });

  it('when the taxonomy does not exist, then 404', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    const m = await t.login('admin');
    const res = await m.post('/api/taxonomies/colours/nodes', { slug: 'red', labels: { en: 'Red' } });
    expect(res.status).toBe(404);
  });
});

describe('PATCH /api/taxonomies/:id/nodes/:nodeId', () => {
  it('merges labels per language and moves the node, keeping its id', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    const m = await t.login('admin');
    const res = await m.patch(
      `/api/taxonomies/socio-cultural/nodes/${encodeURIComponent('tradition/food')}`,
      {
        labels: { yo: 'Oúnjẹ', ko: '음식 문화' },
        position: 7,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'tradition/food',
      parentId: 'tradition',
      position: 7,
      labels: { en: 'Food', ko: '음식 문화', yo: 'Oúnjẹ' },
    });
  });

  it('accepts the node id as plain path segments too', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    const m = await t.login('admin');
    const res = await m.patch('/api/taxonomies/socio-cultural/nodes/society/family', {
      labels: { sw: 'Familia' },
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('society/family');
  });

  it('refuses to change an id (400) and answers 404 for an unknown node', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    const m = await t.login('admin');
    const rename = await m.patch('/api/taxonomies/attack-styles/nodes/direct', { id: 'straight' });
    expect(rename.status).toBe(400);
    const blank = await m.patch('/api/taxonomies/attack-styles/nodes/direct', { labels: { en: '   ' } });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.issues[0].path).toBe('labels.en');
    const missing = await m.patch('/api/taxonomies/attack-styles/nodes/sideways', { position: 1 });
    expect(missing.status).toBe(404);
  });
});

describe('re-syncing the default taxonomies on a later start', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('adds new shipped nodes and refreshes shipped labels, but keeps custom nodes and maintainer edits', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    const m = await t.login('admin');
    // A maintainer extends and relabels.
    await m
      .post('/api/taxonomies/socio-cultural/nodes', {
        parentId: 'society/family',
        slug: 'in-laws',
        labels: { en: 'In-laws', ko: '시댁과 처가' },
      })
      .expect(201);
    await m
      .patch('/api/taxonomies/socio-cultural/nodes/tradition/food', {
        labels: { ko: '음식 문화' },
        position: 9,
      })
      .expect(200);

    // A later release ships new wording and a new node.
    const dir = mkdtempSync(join(tmpdir(), 'cs-taxonomies-'));
    dirs.push(dir);
    cpSync(TAXONOMY_DIR, dir, { recursive: true });
    const file = readDefaultTaxonomy('socio-cultural');
    const tradition = file.nodes.find((n) => n.id === 'tradition')!;
    const food = tradition.children!.find((n) => n.id === 'tradition/food')!;
    food.labels = { ...food.labels, en: 'Food and drink', ar: 'الطعام والشراب' };
    tradition.children!.push({ id: 'tradition/crafts', labels: { en: 'Crafts', ko: '공예' } });
    file.version = '1.1.0';
    writeFileSync(join(dir, 'socio-cultural.json'), JSON.stringify(file));

    await syncDefaultTaxonomies(t.repos.taxonomies, dir);
    await syncDefaultTaxonomies(t.repos.taxonomies, dir); // and once more: idempotent

    const socio = (await m.get('/api/taxonomies/socio-cultural')).body as Taxonomy;
    const byId = new Map(socio.nodes.map((n) => [n.id, n]));
    expect(socio.version).toBe('1.1.0');
    expect(byId.get('society/family/in-laws')).toMatchObject({
      origin: 'custom',
      labels: { en: 'In-laws', ko: '시댁과 처가' },
    });
    expect(byId.get('tradition/food')).toMatchObject({
      origin: 'default',
      position: 9,
      labels: { en: 'Food and drink', ar: 'الطعام والشراب', ko: '음식 문화' },
    });
    expect(byId.get('tradition/crafts')).toMatchObject({ origin: 'default', parentId: 'tradition' });
    expect(socio.nodes).toHaveLength(flattenTaxonomy(file).length + 1);
  });

  it('keeps a node an item refers to when the taxonomy is extended and re-synced', async () => {
    const t = await createTestContext();
    await t.addUser('admin', 'maintainer');
    await t.addUser('minji', 'annotator', ['ko']);
    const m = await t.login('admin');
    const minji = await t.login('minji');
    const dataset = await addDataset(t);
    const item = await createItem(
      minji,
      dataset.id,
      { language: 'ko' },
      { primaryCategory: 'society/family' },
    );

    await m
      .post('/api/taxonomies/socio-cultural/nodes', {
        parentId: 'society/family',
        slug: 'ancestral-rites',
        labels: { en: 'Ancestral rites', ko: '차례와 제사' },
      })
      .expect(201);
    await m
      .patch('/api/taxonomies/socio-cultural/nodes/society/family', { labels: { en: 'Family life' } })
      .expect(200);
    await syncDefaultTaxonomies(t.repos.taxonomies);

    const again = await minji.get(`/api/items/${item.id}`);
    expect(again.body.primaryCategory).toBe('society/family');
    // The reference still validates, and the new child can be used too.
    const moved = await minji.patch(`/api/items/${item.id}`, {
      version: again.body.version,
      changes: { secondaryTags: ['society/family/ancestral-rites'] },
    });
    expect(moved.status, moved.text).toBe(200);
    const submitted = await minji.post(`/api/items/${item.id}/submit`, { version: moved.body.version });
    expect(submitted.status, submitted.text).toBe(200);
    expect((await t.repos.taxonomies.getNode('socio-cultural', 'society/family'))?.labels.en).toBe(
      'Family life',
    );
  });
});
