import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyItemFields } from '../../schema/item.ts';
import { openDatabase, type Db } from '../../server/db/connection.ts';
import type { NewItem } from '../../server/db/items.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createRepositories } from '../../server/db/repositories.ts';
import { CATCH_UP_BATCH, startSearchCatchUp, type SearchCatchUp } from '../../server/db/search-catch-up.ts';
import { createTestContext, type Agent, type TestContext } from '../helpers/app.ts';
import { addDataset, createItem } from '../helpers/items.ts';
import { tempDir } from '../helpers/releases.ts';

const found = async (agent: Agent, q: string) => {
  const res = await agent.get(`/api/items?sort=id_asc&pageSize=200&q=${encodeURIComponent(q)}`);
  expect(res.status, res.text).toBe(200);
  const page = res.body as { items: { id: number }[]; total: number };
  return { ids: page.items.map((i) => i.id), total: page.total };
};

/** `n` items inserted through the repository (indexed at once, as the API does). */
async function insertItems(
  repos: TestContext['repos'],
  datasetId: number,
  authorId: number,
  n: number,
): Promise<number[]> {
  const at = '2026-11-01T00:00:00.000Z';
  return repos.transaction(async () => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const item: NewItem = {
        ...emptyItemFields({ language: 'ko', kind: 'culture', format: 'open_ended' }),
        question: `추석 질문 ${i}`,
        uid: `ko-burst-${i}`,
        datasetId,
        externalId: null,
        status: 'draft',
        authorId,
        version: 1,
        createdAt: at,
        updatedAt: at,
        submittedAt: null,
      };
      ids.push(await repos.items.insert(item));
    }
    return ids;
  });
}

describe('search index catch-up', () => {
  it('when an item is saved, then a search finds the new text at once and never the old, though the index has not caught up', async () => {
    const t = await createTestContext();
    await t.addUser('m', 'maintainer');
    const m = await t.login('m');
    const d = await addDataset(t);
    const item = await createItem(
      m,
      d.id,
      { language: 'ko' },
      { question: '송편은 언제 먹나요?', notes: null },
    );
    expect(await t.repos.items.pendingSearchIndex()).toBe(0);

    const saved = await m.patch(`/api/items/${item.id}`, {
      version: item.version,
      changes: { question: '반달 모양 떡', notes: '밤 소' },
    });
    expect(saved.status, saved.text).toBe(200);
    expect(await t.repos.items.pendingSearchIndex()).toBe(1);
    for (const q of ['반달 모양', '반달', '밤', '모양 떡'])
      expect((await found(m, q)).ids, q).toEqual([item.id]);
    for (const q of ['송편은', '송편', '언제']) expect((await found(m, q)).total, q).toBe(0);
    // The searches read the queue; they indexed nothing.
    expect(await t.repos.items.pendingSearchIndex()).toBe(1);

    expect(await t.repos.items.catchUpSearchIndex(CATCH_UP_BATCH)).toBe(1);
    expect(await t.repos.items.pendingSearchIndex()).toBe(0);
    expect((await found(m, '반달')).ids).toEqual([item.id]);
    expect((await found(m, '송편')).total).toBe(0);
  });

  it('when 5,000 items are edited at once, then a search stays exact and indexes nothing, and each catch-up indexes one batch', async () => {
    const t = await createTestContext();
    const maintainer = await t.addUser('m', 'maintainer');
    const m = await t.login('m');
    const d = await addDataset(t);
    const ids = await insertItems(t.repos, d.id, maintainer.id, 5_000);
    expect((await found(m, '추석')).total).toBe(5_000);

    const now = '2026-11-02T00:00:00.000Z';
    await t.repos.transaction(async () => {
      for (const id of ids)
        await t.repos.items.update(id, 1, { question: `설날 질문 #${id}#`, updatedAt: now });
    });
    expect(await t.repos.items.pendingSearchIndex()).toBe(5_000);

    expect((await found(m, '설날')).total).toBe(5_000);
    expect((await found(m, '추석')).total).toBe(0);
    expect((await found(m, `#${ids[42]}#`)).ids).toEqual([ids[42]]);
    expect(await t.repos.items.pendingSearchIndex()).toBe(5_000);

    expect(await t.repos.items.catchUpSearchIndex(CATCH_UP_BATCH)).toBe(CATCH_UP_BATCH);
    expect(await t.repos.items.pendingSearchIndex()).toBe(5_000 - CATCH_UP_BATCH);
    expect((await found(m, '설날')).total).toBe(5_000);
    expect((await found(m, '추석')).total).toBe(0);
  });
});

describe('startSearchCatchUp', () => {
  let db: Db | null = null;
  let catchUp: SearchCatchUp | null = null;
  afterEach(async () => {
    await catchUp?.stop();
    db?.close();
    catchUp = db = null;
  });

  it('when items wait for the index, then its thread indexes them all, batch by batch, on its own connection', async () => {
    db = openDatabase(join(tempDir('cs-search-'), 'studio.sqlite'));
    migrate(db);
    const repos = createRepositories(db);
    const author = await repos.users.create({
      username: 'a',
      displayName: 'a',
      role: 'maintainer',
      languages: [],
      passwordHash: 'x',
      uiLocale: 'en',
    });
    const dataset = await addDataset({ repos });
    const ids = await insertItems(repos, dataset.id, author.id, 1_000);
    const now = '2026-11-02T00:00:00.000Z';
    await repos.transaction(async () => {
      for (const id of ids) await repos.items.update(id, 1, { question: `설날 ${id}`, updatedAt: now });
    });
    expect(await repos.items.pendingSearchIndex()).toBe(1_000);

    catchUp = startSearchCatchUp(db, 20, 100);
    await vi.waitFor(async () => expect(await repos.items.pendingSearchIndex()).toBe(0), {
      timeout: 10_000,
      interval: 20,
    });
    // The index itself now holds the new text and not the old.
    const count = (match: string) =>
      (db!.prepare('SELECT count(*) AS n FROM items_fts WHERE items_fts MATCH ?').get(match) as { n: number })
        .n;
    expect(count('"설날 "')).toBe(1_000);
    expect(count('"추석 질문"')).toBe(0);
  });

  it('when a bulk load left the indexes in many segments, then merging step by step ends, and searches find the same', async () => {
    const t = await createTestContext();
    const maintainer = await t.addUser('m', 'maintainer');
    const m = await t.login('m');
    const d = await addDataset(t);
    const ids = await t.repos.transaction(async () => {
      const inserted = await insertItems(t.repos, d.id, maintainer.id, 3_000);
      for (const id of inserted)
        await t.repos.items.update(id, 1, { notes: `메모 ${id}`, updatedAt: '2026-11-02T00:00:00.000Z' });
      return inserted;
    });
    while ((await t.repos.items.catchUpSearchIndex(100)) > 0);
    let steps = 0;
    while ((await t.repos.items.mergeSearchIndex(16)) && steps < 10_000) steps++;
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(10_000);
    expect(await t.repos.items.mergeSearchIndex(16)).toBe(false);
    expect((await found(m, '메모')).total).toBe(3_000);
    expect((await found(m, `메모 ${ids[7]}`)).ids).toContain(ids[7]);
    expect((await found(m, '추석 질문')).total).toBe(3_000);
    expect(() => t.db.exec("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")).not.toThrow();
    expect(() =>
      t.db.exec("INSERT INTO items_fts_short (items_fts_short) VALUES ('integrity-check')"),
    ).not.toThrow();
  });

  it('leaves an in-memory database alone: no thread can share it', () => {
    db = openDatabase(':memory:');
    expect(startSearchCatchUp(db)).toBeNull();
  });
});
