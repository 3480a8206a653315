import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyItemFields, type Item, type ItemSummary } from '../../../schema/item.ts';
import { gateOf, type AsyncRepository } from '../../../server/db/async-repository.ts';
import {
  createItemRepository,
  searchTerms,
  type ItemListFilter,
  type NewItem,
} from '../../../server/db/items.ts';
import { searchMatches } from '../../../server/domain/search-matches.ts';
import { createPgItemRepository } from '../../../server/db/postgres/items.ts';
import type { PgDatabase } from '../../../server/db/postgres/database.ts';
import { freshDb } from '../../helpers/app.ts';
import { freshPostgres, postgresEngine } from '../../helpers/postgres.ts';
import { seed, T0 } from './import-release-engines.ts';

type Items = AsyncRepository<ReturnType<typeof createItemRepository>>;

/**
 * One engine under test: its item repository, a transaction to run repository calls in, and plain SQL for the
 * rows of other groups' tables the items point at (users, datasets, imports, validations…). Fixture SQL is
 * written once with `?` placeholders and TRUE/FALSE, which both engines read.
 */
interface Engine {
  items: Items;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  run(sql: string, params?: unknown[]): Promise<void>;
  /** Resolves once another connection waits for a row lock (real server only; PGlite and SQLite have one connection). */
  someoneWaitsForALock(): Promise<void>;
}

const sqlite = (): Promise<Engine> => {
  const db = freshDb();
  const gate = gateOf(db);
  return Promise.resolve({
    items: gate.wrap(createItemRepository(db)),
    transaction: (fn) => gate.transaction(fn),
    run: (sql, params = []) => {
      db.prepare(sql).run(...(params as (string | number | null)[]));
      return Promise.resolve();
    },
    someoneWaitsForALock: () => Promise.resolve(),
  });
};

const postgres = async (): Promise<Engine> => {
  const db: PgDatabase = await freshPostgres();
  return {
    items: createPgItemRepository(db),
    transaction: (fn) => db.transaction(fn),
    run: async (sql, params = []) => {
      let n = 0;
      await db.execute(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      );
    },
    someoneWaitsForALock: async () => {
      if (postgresEngine === 'pglite') return;
      // Polled on another connection: the test goes on only once the second writer is really blocked.
      for (;;) {
        const [row] = await db.query<{ n: number }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (row.n > 0) return;
      }
    },
  };
};

const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;

/** An item as a loader writes it: every field, most left empty. */
function newItem(overrides: Partial<NewItem> = {}): NewItem {
  return {
    uid: `uid-${Math.random().toString(36).slice(2)}`,
    datasetId: 1,
    externalId: null,
    status: 'draft',
    authorId: 1,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    submittedAt: null,
    ...emptyItemFields({ language: 'ko', kind: 'culture', format: 'open_ended' }),
    ...overrides,
  };
}

const listFilter = (overrides: Partial<ItemListFilter> = {}): ItemListFilter => ({
  sort: 'id_asc',
  limit: 50,
  offset: 0,
  scope: null,
  answers: null,
  ...overrides,
});

describe.each([
  ['SQLite', sqlite],
  [`PostgreSQL (${postgresEngine})`, postgres],
])('item repository on %s', (_name, open) => {
  let e: Engine;
  beforeEach(async () => {
    e = await open();
    // Users 1 (author Ana), 2 (validator Ben), 3 (Cho); datasets 1 and 2.
    await seed(e, { more: ['Cho'], role: 'annotator' });
  }, 60_000);

  const ids = (page: { items: ItemSummary[] }) => page.items.map((i) => i.id);

  describe('insert, get, update', () => {
    it('gives back every field as written: JSON as typed (key order kept), booleans, nulls, ISO times', async () => {
      const id = await e.items.insert(
        newItem({
          uid: 'u-1',
          externalId: 'ext-1',
          status: 'submitted',
          submittedAt: '2026-01-01T00:05:00.123Z',
          updatedAt: '2026-01-01T00:05:00.123Z',
          language: 'ar',
          country: 'EG',
          region: 'القاهرة',
          format: 'true_false',
          question: 'هل القاهرة عاصمة مصر؟',
          questionEn: 'Is Cairo the capital of Egypt?',
          trueFalseAnswer: false,
          acceptedAnswers: ['لا'],
          options: ['نعم', 'لا'],
          sources: [{ url: 'https://example.org/a', title: 'A' }],
          primaryCategory: 'geography/capitals',
          secondaryTags: ['history'],
          difficulty: 'easy',
          notes: 'n',
          context: 'c',
          metadata: { zeta: 1, alpha: [true, null], 'Human Accuracy': 0.5 },
          origin: { benchmark: 'B', file: 'f.jsonl', row: 3, id: null },
          license: 'cc-by-4.0',
        }),
      );
      const item = await e.items.get(id);
      expect(item).toEqual({
        id,
        uid: 'u-1',
        datasetId: 1,
        externalId: 'ext-1',
        language: 'ar',
        country: 'EG',
        region: 'القاهرة',
        kind: 'culture',
        format: 'true_false',
        status: 'submitted',
        question: 'هل القاهرة عاصمة مصر؟',
        questionEn: 'Is Cairo the capital of Egypt?',
        referenceAnswer: null,
        answerEn: null,
        acceptedAnswers: ['لا'],
        options: ['نعم', 'لا'],
        correctIndex: null,
        trueFalseAnswer: false,
        rationale: null,
        sources: [{ url: 'https://example.org/a', title: 'A' }],
        primaryCategory: 'geography/capitals',
        secondaryTags: ['history'],
        difficulty: 'easy',
        hazard: null,
        attackStyle: null,
        expectedBehavior: null,
        notes: 'n',
        context: 'c',
        metadata: { zeta: 1, alpha: [true, null], 'Human Accuracy': 0.5 },
        origin: { benchmark: 'B', file: 'f.jsonl', row: 3, id: null },
        license: 'cc-by-4.0',
        authorId: 1,
        authorName: 'Ana',
        version: 1,
        createdAt: T0,
        updatedAt: '2026-01-01T00:05:00.123Z',
        submittedAt: '2026-01-01T00:05:00.123Z',
        split: 'test',
      } satisfies Item);
      expect(Object.keys(item!.metadata!)).toEqual(['zeta', 'alpha', 'Human Accuracy']);
      expect((await e.items.get(id + 1000))?.id).toBeUndefined();
    });

    it('refuses a second item with the same uid, or an unknown dataset, and writes nothing of it', async () => {
      await e.items.insert(newItem({ uid: 'same', question: 'first' }));
      await expect(e.items.insert(newItem({ uid: 'same', question: 'second' }))).rejects.toThrow();
      await expect(e.items.insert(newItem({ datasetId: 99, question: 'third' }))).rejects.toThrow();
      const page = await e.items.list(listFilter());
      expect(page.total).toBe(1);
      expect((await e.items.list(listFilter({ q: 'second' }))).total).toBe(0);
      expect((await e.items.list(listFilter({ q: 'third' }))).total).toBe(0);
    });

    it('applies an update only at the expected version, bumping it by one', async () => {
      const id = await e.items.insert(newItem({ question: 'old' }));
      expect(
        await e.items.update(id, 1, {
          question: 'new',
          trueFalseAnswer: true,
          metadata: { b: 2, a: 1 },
          status: 'submitted',
          submittedAt: at(2),
          updatedAt: at(2),
        }),
      ).toBe(true);
      expect(await e.items.update(id, 1, { question: 'stale', updatedAt: at(3) })).toBe(false);
      expect(await e.items.update(id + 1000, 1, { question: 'nobody', updatedAt: at(3) })).toBe(false);
      const item = await e.items.get(id);
      expect(item).toMatchObject({
        question: 'new',
        trueFalseAnswer: true,
        metadata: { b: 2, a: 1 },
        status: 'submitted',
        submittedAt: at(2),
        updatedAt: at(2),
        version: 2,
      });
      expect(Object.keys(item!.metadata!)).toEqual(['b', 'a']);
      // Search follows the update at once; the old text is gone.
      expect(ids(await e.items.list(listFilter({ q: 'new' })))).toEqual([id]);
      expect(ids(await e.items.list(listFilter({ q: 'old' })))).toEqual([]);
      expect(ids(await e.items.list(listFilter({ q: 'stale' })))).toEqual([]);
      expect(ids(await e.items.list(listFilter({ q: 'ew' })))).toEqual([id]);
      expect(ids(await e.items.list(listFilter({ q: 'ol' })))).toEqual([]);
    });

    it('when two edits of one draft hold the same version at once, one succeeds and the other gets false', async () => {
      const id = await e.items.insert(newItem({ question: 'draft' }));
      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstWrote!: () => void;
      const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
      // The first edit writes and keeps its transaction open; the second comes from elsewhere meanwhile.
      const first = e.transaction(async () => {
        const ok = await e.items.update(id, 1, { question: 'first edit', updatedAt: at(1) });
        firstWrote();
        await firstHolds;
        return ok;
      });
      await wrote;
      const second = e.items.update(id, 1, { question: 'second edit', updatedAt: at(2) });
      await e.someoneWaitsForALock();
      releaseFirst();
      expect(await first).toBe(true);
      expect(await second).toBe(false);
      expect(await e.items.get(id)).toMatchObject({ question: 'first edit', version: 2, updatedAt: at(1) });
      expect(ids(await e.items.list(listFilter({ q: 'second' })))).toEqual([]);
    });

    it('an update rolled back with its transaction leaves the row and its search text as they were', async () => {
      const id = await e.items.insert(newItem({ question: 'kept' }));
      await expect(
        e.transaction(async () => {
          await e.items.update(id, 1, { question: 'undone', updatedAt: at(1) });
          throw new Error('the caller fails');
        }),
      ).rejects.toThrow('the caller fails');
      expect(await e.items.get(id)).toMatchObject({ question: 'kept', version: 1 });
      expect(ids(await e.items.list(listFilter({ q: 'undone' })))).toEqual([]);
      expect(ids(await e.items.list(listFilter({ q: 'kept' })))).toEqual([id]);
    });

    it('setSplit marks an exemplar without a new version; false for an unknown item', async () => {
      const id = await e.items.insert(newItem());
      expect(await e.items.setSplit(id, 'dev')).toBe(true);
      expect(await e.items.get(id)).toMatchObject({ split: 'dev', version: 1 });
      expect(await e.items.setSplit(id + 1000, 'dev')).toBe(false);
    });
  });

  describe('revisions', () => {
    it('lists revisions newest first without snapshots and gives one with its snapshot', async () => {
      const id = await e.items.insert(newItem({ question: 'q' }));
      const snapshot = (await e.items.get(id))!;
      await e.items.insertRevision({
        itemId: id,
        version: 1,
        userId: 1,
        action: 'create',
        changes: {},
        snapshot,
        createdAt: at(1),
      });
      await e.items.insertRevision({
        itemId: id,
        version: 2,
        userId: 2,
        action: 'status',
        changes: { status: ['draft', 'submitted'] },
        snapshot: { ...snapshot, status: 'submitted', version: 2 },
        createdAt: at(2),
      });
      const revisions = await e.items.listRevisions(id);
      expect(revisions.map((r) => [r.version, r.userName, r.action, r.changes, r.createdAt])).toEqual([
        [2, 'Ben', 'status', { status: ['draft', 'submitted'] }, at(2)],
        [1, 'Ana', 'create', {}, at(1)],
      ]);
      expect(revisions[0]).not.toHaveProperty('snapshot');
      const second = await e.items.getRevision(id, 2);
      expect(second).toMatchObject({ itemId: id, version: 2, userId: 2, action: 'status' });
      expect(second!.snapshot).toEqual({ ...snapshot, status: 'submitted', version: 2 });
      expect(await e.items.getRevision(id, 3)).toBeUndefined();
    });

    it('refuses a second revision of the same version, or one of an unknown item', async () => {
      const id = await e.items.insert(newItem());
      const snapshot = (await e.items.get(id))!;
      const revision = {
        itemId: id,
        version: 1,
        userId: 1,
        action: 'create' as const,
        changes: {},
        snapshot,
        createdAt: T0,
      };
      await e.items.insertRevision(revision);
      await expect(e.items.insertRevision(revision)).rejects.toThrow();
      await expect(e.items.insertRevision({ ...revision, itemId: id + 1000 })).rejects.toThrow();
      expect(await e.items.listRevisions(id)).toHaveLength(1);
    });
  });

  describe('list', () => {
    /** Items named by a letter, with the fields the filters read. */
    async function world() {
      const add = (overrides: Partial<NewItem>) => e.items.insert(newItem(overrides));
      const a = await add({
        language: 'ko',
        status: 'submitted',
        updatedAt: at(5),
        createdAt: at(1),
        primaryCategory: 'tradition',
      });
      const b = await add({
        language: 'ko',
        status: 'draft',
        updatedAt: at(5),
        createdAt: at(2),
        primaryCategory: 'tradition/food',
      });
      const c = await add({
        language: 'ar',
        status: 'accepted',
        updatedAt: at(3),
        createdAt: at(3),
        primaryCategory: 'tradition/food/rice',
        kind: 'safety',
        format: 'short_answer',
      });
      const d = await add({
        language: 'ko',
        status: 'draft',
        authorId: 2,
        updatedAt: at(9),
        createdAt: at(4),
        primaryCategory: 'traditional',
      });
      const f = await add({
        language: 'ko',
        status: 'accepted',
        datasetId: 2,
        updatedAt: at(1),
        createdAt: at(5),
        primaryCategory: 'tradition0',
      });
      return { a, b, c, d, f };
    }

    it('sorts by update, creation or id, ties broken by id in the sort direction, and pages with the total', async () => {
      const { a, b, c, d, f } = await world();
      expect(ids(await e.items.list(listFilter({ sort: 'updated_desc' })))).toEqual([d, b, a, c, f]);
      expect(ids(await e.items.list(listFilter({ sort: 'updated_asc' })))).toEqual([f, c, a, b, d]);
      expect(ids(await e.items.list(listFilter({ sort: 'created_desc' })))).toEqual([f, d, c, b, a]);
      expect(ids(await e.items.list(listFilter({ sort: 'created_asc' })))).toEqual([a, b, c, d, f]);
      expect(ids(await e.items.list(listFilter({ sort: 'id_desc' })))).toEqual([f, d, c, b, a]);
      const page = await e.items.list(listFilter({ sort: 'updated_desc', limit: 2, offset: 1 }));
      expect(ids(page)).toEqual([b, a]);
      expect(page.total).toBe(5);
      expect(page.items[0]).toEqual({
        id: b,
        uid: expect.any(String) as string,
        datasetId: 1,
        language: 'ko',
        country: null,
        kind: 'culture',
        format: 'open_ended',
        status: 'draft',
        question: '',
        questionEn: null,
        primaryCategory: 'tradition/food',
        hazard: null,
        authorId: 1,
        authorName: 'Ana',
        version: 1,
        updatedAt: at(5),
      } satisfies ItemSummary);
    });

    it('filters by dataset, language, status, kind, format, author and category (the node and what is under it)', async () => {
      const { a, b, c, d, f } = await world();
      const list = async (o: Partial<ItemListFilter>) => {
        const page = await e.items.list(listFilter(o));
        return [ids(page), page.total];
      };
      expect(await list({ dataset: 2 })).toEqual([[f], 1]);
      expect(await list({ language: 'ko', status: 'draft' })).toEqual([[b, d], 2]);
      expect(await list({ kind: 'safety' })).toEqual([[c], 1]);
      expect(await list({ format: 'short_answer' })).toEqual([[c], 1]);
      expect(await list({ author: 2 })).toEqual([[d], 1]);
      // Not 'traditional' nor 'tradition0' (bytewise after 'tradition/').
      expect(await list({ category: 'tradition' })).toEqual([[a, b, c], 3]);
      expect(await list({ category: 'tradition/food' })).toEqual([[b, c], 2]);
      expect(await list({ dataset: 1, category: 'tradition', limit: 1, offset: 2 })).toEqual([[c], 3]);
    });

    it('keeps to what a scope may see: its languages, and of drafts only the viewer’s own', async () => {
      const { a, b, c, d, f } = await world();
      const scope = (userId: number, languages: string[]) => listFilter({ scope: { userId, languages } });
      expect(ids(await e.items.list(scope(1, ['ko'])))).toEqual([a, b, f]);
      expect(ids(await e.items.list(scope(2, ['ko'])))).toEqual([a, d, f]);
      expect(ids(await e.items.list(scope(2, ['ar', 'ko'])))).toEqual([a, c, d, f]);
      expect(await e.items.list(scope(1, []))).toEqual({ items: [], total: 0 });
    });

    it('lists only unsolved tried items under trials=unsolved, and hides rows of an import still hidden', async () => {
      const { a, b, c } = await world();
      await e.run(
        'INSERT INTO item_trial_summary (item_id, item_version, scored, correct) VALUES (?, 1, 2, 0), (?, 1, 2, 1), (?, 1, 0, 0)',
        [a, b, c],
      );
      expect(ids(await e.items.list(listFilter({ trials: 'unsolved' })))).toEqual([a]);

      await e.run(
        `INSERT INTO imports (id, dataset_id, user_id, file_name, format, options, dry_run, item_status, state, rows_hidden, created_at)
         VALUES (7, 1, 1, 'f.csv', 'csv', '{}', FALSE, 'submitted', 'writing', TRUE, ?)`,
        [T0],
      );
      const hidden = await e.items.insert(newItem({ question: 'imported' }));
      await e.run('UPDATE items SET import_id = 7 WHERE id = ?', [hidden]);
      expect((await e.items.list(listFilter())).total).toBe(5);
      expect(await e.items.get(hidden)).toBeUndefined();
      await e.run('UPDATE imports SET rows_hidden = FALSE WHERE id = 7');
      expect((await e.items.list(listFilter())).total).toBe(6);
      expect((await e.items.get(hidden))?.question).toBe('imported');
    });
  });

  describe('search', () => {
    /** The parity corpus: the same ids must come back on both engines. */
    async function corpus() {
      const add = (overrides: Partial<NewItem>) => e.items.insert(newItem(overrides));
      return {
        songpyeon: await add({ question: '송편은 반달 모양의 떡입니다', referenceAnswer: '밤, 깨, 콩' }),
        moon: await add({ question: '밤하늘의 반달' }),
        egyptVowelled: await add({ language: 'ar', question: 'ما هي عاصمة مِصْر؟' }),
        egypt: await add({ language: 'ar', question: 'تاريخ مصر القديم' }),
        shalom: await add({ language: 'he', question: 'שָׁלוֹם עֲלֵיכֶם' }),
        fullWidth: await add({ language: 'ja', question: 'ＡＢＣ１２３ ﾃｽﾄ' }),
        cafe: await add({
          language: 'fr',
          question: 'Café au lait: 100% _pas_ cher',
          options: ['Oui', 'Non'],
        }),
        path: await add({ language: 'en', question: 'C:\\Cafe\\path', notes: 'Ünïcode NOTES' }),
      };
    }

    it('finds the same items for terms of any length in any script, folded as on SQLite', async () => {
      const c = await corpus();
      const search = async (q: string) => ids(await e.items.list(listFilter({ q })));
      expect(await search('송편')).toEqual([c.songpyeon]);
      expect(await search('반달')).toEqual([c.songpyeon, c.moon]);
      expect(await search('밤')).toEqual([c.songpyeon, c.moon]); // one character; 송편's is in its answer
      expect(await search('반달 밤하늘')).toEqual([c.moon]);
      expect(await search('مصر')).toEqual([c.egyptVowelled, c.egypt]);
      expect(await search('مِصْر')).toEqual([c.egyptVowelled, c.egypt]);
      expect(await search('مِ')).toEqual([c.egyptVowelled, c.egypt]); // a letter and its haraka: one character
      expect(await search('ً')).toEqual([]); // only a haraka: folds to nothing
      expect(await search('שלום')).toEqual([c.shalom]);
      expect(await search('שָׁלוֹם')).toEqual([c.shalom]);
      expect(await search('abc')).toEqual([c.fullWidth]);
      expect(await search('ＡＢＣ')).toEqual([c.fullWidth]);
      expect(await search('１２')).toEqual([c.fullWidth]);
      expect(await search('テスト')).toEqual([c.fullWidth]);
      expect(await search('CAFE')).toEqual([c.cafe, c.path]);
      expect(await search('café oui')).toEqual([c.cafe]);
      expect(await search('unicode')).toEqual([c.path]);
      // LIKE's and FTS5's own characters are text like any other.
      expect(await search('%')).toEqual([c.cafe]);
      expect(await search('0%')).toEqual([c.cafe]);
      expect(await search('_pas_')).toEqual([c.cafe]);
      expect(await search('_')).toEqual([c.cafe]);
      expect(await search('\\')).toEqual([c.path]);
      expect(await search('\\cafe\\')).toEqual([c.path]);
      expect(await search('"')).toEqual([]);
      expect(await search('x')).toEqual([]);
      const page = await e.items.list(listFilter({ q: '반달', sort: 'id_desc', limit: 1 }));
      expect([ids(page), page.total]).toEqual([[c.moon], 2]);
      expect((await e.items.list(listFilter({ q: '반달', language: 'ar' }))).total).toBe(0);
    });

    it('gives the text highlighting needs: the same match ranges in the text as typed on both engines', async () => {
      const c = await corpus();
      const terms = searchTerms('مصر').all;
      const [vowelled, plain] = await e.items.searchableText([c.egyptVowelled, c.egypt], null);
      // The harakat belong to the letter before them: مِصْر is characters 12–16 of the question.
      expect(searchMatches(vowelled, terms)).toEqual([
        { field: 'question', text: 'ما هي عاصمة مِصْر؟', ranges: [[12, 17]] },
      ]);
      expect(searchMatches(plain, terms)).toEqual([
        { field: 'question', text: 'تاريخ مصر القديم', ranges: [[6, 9]] },
      ]);
      const [cafe] = await e.items.searchableText([c.cafe], null);
      expect(searchMatches(cafe, searchTerms('CAFE oui').all)).toEqual([
        { field: 'question', text: 'Café au lait: 100% _pas_ cher', ranges: [[0, 4]] },
        { field: 'options', text: 'Oui · Non', ranges: [[0, 3]] },
      ]);
    });

    it('finds items created with deferIndex at once; catching up leaves nothing pending', async () => {
      const id = await e.items.insert(newItem({ question: '늦은 색인' }), { deferIndex: true });
      expect(ids(await e.items.list(listFilter({ q: '색인' })))).toEqual([id]);
      while ((await e.items.catchUpSearchIndex(100)) > 0);
      expect(await e.items.pendingSearchIndex()).toBe(0);
      while (await e.items.mergeSearchIndex(10));
      expect(ids(await e.items.list(listFilter({ q: '색인' })))).toEqual([id]);
    });

    it('matches a term in the answers only where the viewer may see them', async () => {
      // Submitted items by Ana; Ben is a validator. Withheld from Ben until he has submitted a validation.
      const open = await e.items.insert(
        newItem({ status: 'accepted', question: '질문', referenceAnswer: '떡국' }),
      );
      const out = await e.items.insert(
        newItem({ status: 'submitted', question: '질문', referenceAnswer: '떡국' }),
      );
      const gold = await e.items.insert(
        newItem({ status: 'accepted', question: '질문', referenceAnswer: '떡국' }),
      );
      const asked = await e.items.insert(newItem({ status: 'submitted', question: '떡국 질문' }));
      await e.run(
        `INSERT INTO gold_items (item_id, grounded, correct, created_by, created_at) VALUES (?, 'yes', 'yes', 1, ?)`,
        [gold, T0],
      );
      const ben = { userId: 2 };
      const search = async (q: string, answers: { userId: number } | null) =>
        ids(await e.items.list(listFilter({ q, answers })));
      expect(await search('떡국', null)).toEqual([open, out, gold, asked]);
      expect(await search('떡국', ben)).toEqual([open, asked]);
      expect(await search('떡국 질문', ben)).toEqual([open, asked]);
      expect(await search('떡국', { userId: 1 })).toEqual([open, out, gold, asked]);
      expect((await e.items.list(listFilter({ q: '떡국', answers: ben }))).total).toBe(2);
      expect(await e.items.answersWithheld(out, ben)).toBe(true);
      expect(await e.items.answersWithheld(gold, ben)).toBe(true);
      expect(await e.items.answersWithheld(open, ben)).toBe(false);
      expect(await e.items.answersWithheld(out, null)).toBe(false);
      expect(await e.items.answersWithheld(out + 1000, ben)).toBe(false);

      // Once Ben has submitted his own validation, the answers are his to see.
      await e.run(
        `INSERT INTO validations (item_id, dataset_id, round, validator_id, gold, item_version, status, leased_at, expires_at,
           grounded, correct, category, quality, submitted_at)
         VALUES (?, 1, 1, 2, FALSE, 1, 'submitted', ?, ?, 'yes', 'yes', 'keep', 4, ?)`,
        [out, T0, T0, T0],
      );
      expect(await search('떡국', ben)).toEqual([open, out, asked]);
      expect(await e.items.answersWithheld(out, ben)).toBe(false);
    });

    it('gives the searchable text of items in the order asked, with whether their answers are withheld', async () => {
      const first = await e.items.insert(
        newItem({
          status: 'submitted',
          question: 'Q1',
          questionEn: 'E1',
          options: ['o1', 'o2'],
          notes: 'n1',
          referenceAnswer: 'r1',
          answerEn: 'a1',
          acceptedAnswers: ['x1'],
          rationale: 'why',
        }),
      );
      const second = await e.items.insert(newItem({ status: 'accepted', question: 'Q2' }));
      expect(await e.items.searchableText([second, first], { userId: 2 })).toEqual([
        {
          id: second,
          question: 'Q2',
          questionEn: null,
          options: [],
          notes: null,
          referenceAnswer: null,
          answerEn: null,
          acceptedAnswers: [],
          rationale: null,
          answersWithheld: false,
        },
        {
          id: first,
          question: 'Q1',
          questionEn: 'E1',
          options: ['o1', 'o2'],
          notes: 'n1',
          referenceAnswer: 'r1',
          answerEn: 'a1',
          acceptedAnswers: ['x1'],
          rationale: 'why',
          answersWithheld: true,
        },
      ]);
      expect((await e.items.searchableText([first], null))[0].answersWithheld).toBe(false);
      expect(await e.items.searchableText([], null)).toEqual([]);
    });

    it('finds near-duplicate candidates of one dataset and language sharing trigrams, most shared first', async () => {
      const add = (overrides: Partial<NewItem>) =>
        e.items.insert(newItem({ status: 'accepted', ...overrides }));
      const close = await add({ question: '설날 떡국을 먹는 이유' });
      const closer = await add({ question: '설날에 떡국을 먹는 이유는?' });
      await add({ question: '추석 송편' });
      await add({ question: '설날에 떡국을 먹는 이유', language: 'en' });
      await add({ question: '설날에 떡국을 먹는 이유', datasetId: 2 });
      const draft = await add({ question: '설날에 떡국을', status: 'draft', authorId: 2 });
      const trigrams = [
        '설날에',
        '날에 ',
        '에 떡',
        ' 떡국',
        '떡국을',
        '국을 ',
        '을 먹',
        ' 먹는',
        '먹는 ',
        '는 이',
        ' 이유',
        '이유는',
        '유는?',
      ];
      const candidates = (o: { excludeId?: number; scope?: { userId: number; languages: string[] } } = {}) =>
        e.items.similarCandidates({ datasetId: 1, language: 'ko', trigrams, scope: null, limit: 10, ...o });
      expect((await candidates()).map((c) => c.id)).toEqual([closer, close, draft]);
      expect((await candidates({ excludeId: closer })).map((c) => c.id)).toEqual([close, draft]);
      expect((await candidates({ scope: { userId: 1, languages: ['ko'] } })).map((c) => c.id)).toEqual([
        closer,
        close,
      ]);
      expect((await candidates())[0]).toMatchObject({
        id: closer,
        question: '설날에 떡국을 먹는 이유는?',
        authorName: 'Ana',
      });
      expect(
        await e.items.similarCandidates({
          datasetId: 1,
          language: 'ko',
          trigrams: ['설날'],
          scope: null,
          limit: 10,
        }),
      ).toEqual([]);
    });
  });
});

describe('item list on PostgreSQL: query plans', () => {
  /** The plan of every statement a list runs, with sequential scans priced out: what an index can serve. */
  async function plans(f: Partial<ItemListFilter>): Promise<string[]> {
    const db = await planDb;
    const statements: { text: string; params: readonly unknown[] }[] = [];
    const recording: PgDatabase = {
      location: db.location,
      query: (text, params) => {
        statements.push({ text, params: params ?? [] });
        return db.query(text, params);
      },
      execute: (text, params) => db.execute(text, params),
      exec: (text) => db.exec(text),
      transaction: (fn, options) => db.transaction(fn, options),
      cursor: (text, params, batch) => db.cursor(text, params, batch),
      close: () => db.close(),
    };
    await createPgItemRepository(recording).list(listFilter(f));
    const out: string[] = [];
    for (const s of statements.filter((s) => !s.text.includes('FROM imports WHERE rows_hidden LIMIT 1'))) {
      await db.transaction(async () => {
        await db.exec('SET LOCAL enable_seqscan = off');
        const rows = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${s.text}`, s.params);
        out.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
      });
    }
    return out;
  }
  let planDb: Promise<PgDatabase>;
  beforeAll(() => {
    planDb = (async () => {
      const db = await freshPostgres();
      await db.execute(
        `INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
         VALUES (1, 'ana', 'Ana', 'annotator', 'x', $1, $1)`,
        [T0],
      );
      await db.execute(`INSERT INTO datasets (id, slug, name, created_at) VALUES (1, 'd1', 'D1', $1)`, [T0]);
      const items = createPgItemRepository(db);
      for (let n = 0; n < 40; n++) {
        await items.insert(
          newItem({ question: `송편 ${n} مصر`, language: n % 2 ? 'ko' : 'ar', updatedAt: at(n % 60) }),
        );
      }
      await db.exec('ANALYZE');
      return db;
    })();
    return planDb;
  }, 60_000);

  const noSeqScan = (plan: string) => expect(plan).not.toMatch(/Seq Scan on (items|items_search_text)\b/);

  it('reads each sort in order from its index, with no sort step', async () => {
    for (const [sort, index] of [
      ['updated_desc', 'items_by_updated'],
      ['created_asc', 'items_by_created'],
      ['id_desc', 'items_pkey'],
    ] as const) {
      const [page, count] = await plans({ sort });
      expect(page).toContain(`using ${index} on items`);
      expect(page).not.toMatch(/\bSort\b/);
      noSeqScan(count);
    }
  });

  it('serves filters, a scope and the counts from indexes', async () => {
    for (const f of [
      { dataset: 1, language: 'ko', status: 'draft' as const },
      { category: 'tradition' },
      { author: 1, kind: 'culture' as const },
      { scope: { userId: 1, languages: ['ko'] } },
      { trials: 'unsolved' as const },
    ]) {
      for (const plan of await plans(f)) noSeqScan(plan);
    }
  });

  it('finds search terms through the trigram indexes (three characters or more) and the key arrays (fewer)', async () => {
    const [page, count] = await plans({ q: '송편 مصر' });
    expect(page).toContain('items_search_question');
    noSeqScan(page);
    noSeqScan(count);
    const [shortPage, shortCount] = await plans({ q: '송', answers: { userId: 2 } });
    expect(shortPage).toContain('items_search_question_keys');
    expect(shortPage).toContain('items_search_answer_keys');
    noSeqScan(shortPage);
    noSeqScan(shortCount);
  });
});
