// Languages are BCP-47 tags everywhere something is written (issue 14, point 5); tags stored before the rule
// (a word such as "arabic") stay readable and findable, and can be replaced by a real tag.
import { describe, expect, it } from 'vitest';
import type { Item } from '../../schema/item.ts';
import type { User } from '../../schema/user.ts';
import { createTestContext, TEST_PASSWORD } from '../helpers/app.ts';
import { addDataset, completeItemBody, createItem } from '../helpers/items.ts';

async function world() {
  const t = await createTestContext();
  await t.addUser('boss', 'maintainer');
  const m = await t.login('boss');
  const dataset = await addDataset(t);
  return { t, m, dataset };
}

const languageIssue = (tag: string, path: string) => ({
  error: {
    code: 'invalid-input',
    details: {
      issues: [
        {
          path,
          code: 'invalid-language-tag',
          message: `"${tag}" is not a BCP-47 language tag (e.g. ar, ko, zh-Hant)`,
        },
      ],
    },
  },
});

describe('POST /api/users', () => {
  it('when a language is a word ("arabic"), then 400 naming the field and nobody is created', async () => {
    const { t, m } = await world();
    const res = await m.post('/api/users', {
      username: 'layla',
      role: 'annotator',
      languages: ['ko', 'arabic'],
      password: TEST_PASSWORD,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(languageIssue('arabic', 'languages.1'));
    expect(await t.repos.users.getByUsername('layla')).toBeUndefined();
  });

  it('keeps real tags in canonical form', async () => {
    const { m } = await world();
    const res = await m.post('/api/users', {
      username: 'layla',
      role: 'annotator',
      languages: ['AR', 'zh-hant-tw'],
      password: TEST_PASSWORD,
    });
    expect(res.status).toBe(201);
    expect((res.body as User).languages).toEqual(['ar', 'zh-Hant-TW']);
  });
});

describe('PATCH /api/users/:id', () => {
  it('when a language is not a tag, then 400 naming the field and the languages stay', async () => {
    const { t, m } = await world();
    const layla = await t.addUser('layla', 'annotator', ['ar']);
    for (const bad of ['arabic', 'english', 'ar_EG', '12']) {
      const res = await m.patch(`/api/users/${layla.id}`, { languages: [bad] });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.details.issues[0]).toMatchObject({
        path: 'languages.0',
        code: 'invalid-language-tag',
      });
    }
    expect((await t.repos.users.get(layla.id))?.languages).toEqual(['ar']);
  });
});

describe('POST /api/items', () => {
  it('when the language is "arabic", then 400 naming the field and no item exists', async () => {
    const { t, m, dataset } = await world();
    const res = await m.post('/api/items', completeItemBody(dataset.id, { language: 'arabic' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(languageIssue('arabic', 'language'));
    expect(await t.sql('SELECT count(*) AS n FROM items')).toEqual([{ n: 0 }]);
  });
});

describe('POST /api/releases/preview', () => {
  it('when a filter language is not a tag, then 400 naming the field', async () => {
    const { m, dataset } = await world();
    const res = await m.post('/api/releases/preview', {
      datasetId: dataset.id,
      filter: { languages: ['korean'] },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(languageIssue('korean', 'filter.languages.0'));
  });
});

describe('items stored with a word for a language (before the rule)', () => {
  async function legacyItem() {
    const w = await world();
    const item = await createItem(w.m, w.dataset.id, { language: 'ar' });
    await w.t.sql("UPDATE items SET language = 'arabic' WHERE id = ?", item.id);
    return { ...w, item };
  }

  it('are still listed, found by that language and readable', async () => {
    const { m, item } = await legacyItem();
    const list = await m.get('/api/items?language=arabic');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: Item) => i.id)).toEqual([item.id]);
    const one = await m.get(`/api/items/${item.id}`);
    expect(one.status).toBe(200);
    expect(one.body.language).toBe('arabic');
  });

  it('can be edited without touching the language, and the language can be fixed but not set to a word', async () => {
    const { m, item } = await legacyItem();
    const edit = await m.patch(`/api/items/${item.id}`, {
      version: item.version,
      changes: { region: 'Cairo' },
    });
    expect(edit.status).toBe(200);
    const again = await m.patch(`/api/items/${item.id}`, {
      version: edit.body.version,
      changes: { language: 'arabic' },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.details.issues[0]).toMatchObject({
      path: 'changes.language',
      code: 'invalid-language-tag',
    });
    const fixed = await m.patch(`/api/items/${item.id}`, {
      version: edit.body.version,
      changes: { language: 'ar-EG' },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.language).toBe('ar-EG');
  });
});
