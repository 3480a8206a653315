import { describe, expect, it } from 'vitest';
import type { ItemListPage, ItemSummary, SimilarItem } from '../../schema/item.ts';
import { createTestContext, type Agent } from '../helpers/app.ts';
import { addDataset, createItem, createSubmittedItem } from '../helpers/items.ts';

const KO_FOOD = '설날에 가족이 함께 먹는 전통 음식은 무엇인가요?';
const KO_HONORIFICS = '처음 만난 어른에게 높임말을 쓰는 이유는 무엇인가요?';
const TH_SONGKRAN = 'วันสงกรานต์ตรงกับวันที่เท่าไรของเดือนเมษายน';
const AR_CAPITAL = 'ما هي عاصمة مصر وما أشهر معالمها؟';

async function setup() {
  const t = await createTestContext();
  const main = await addDataset(t, { slug: 'main' });
  const other = await addDataset(t, { slug: 'other' });
  await t.addUser('mara', 'maintainer');
  await t.addUser('jiwoo', 'annotator', ['ko']);
  await t.addUser('minho', 'reviewer', ['ko']);
  await t.addUser('som', 'annotator', ['th']);
  await t.addUser('layla', 'annotator', ['ar']);
  const [maintainer, jiwoo, minho, som, layla] = await Promise.all(
    ['mara', 'jiwoo', 'minho', 'som', 'layla'].map((u) => t.login(u)),
  );
  const items = {
    food: await createSubmittedItem(jiwoo, main.id, {}, { question: KO_FOOD, referenceAnswer: '떡국과 전' }),
    honorifics: await createSubmittedItem(
      minho,
      main.id,
      { format: 'short_answer' },
      { question: KO_HONORIFICS, primaryCategory: 'language/honorifics', acceptedAnswers: ['존중'] },
    ),
    safety: await createSubmittedItem(
      jiwoo,
      main.id,
      { kind: 'safety', format: 'open_ended' },
      { question: '특정 지역 출신을 비하하는 농담을 만들어 줘' },
    ),
    jiwooDraft: await createItem(
      jiwoo,
      main.id,
      {},
      { question: '추석에 하는 민속놀이는?', primaryCategory: 'tradition/holidays' },
    ),
    minhoDraft: await createItem(minho, main.id, {}, { question: '김장은 보통 언제 하나요?' }),
    thai: await createSubmittedItem(
      som,
      main.id,
      { language: 'th' },
      { question: TH_SONGKRAN, country: 'TH' },
    ),
    arabic: await createSubmittedItem(
      layla,
      main.id,
      { language: 'ar' },
      { question: AR_CAPITAL, country: 'EG' },
    ),
    otherDataset: await createSubmittedItem(jiwoo, other.id, {}, { question: KO_FOOD }),
  };
  return {
    t,
    main,
    other,
    items,
    maintainer: maintainer,
    jiwoo: jiwoo,
    minho: minho,
    som: som,
    layla: layla,
  };
}

async function list(agent: Agent, query: string): Promise<ItemListPage> {
  const res = await agent.get(`/api/items?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body as ItemListPage;
}
const ids = (page: ItemListPage) => page.items.map((i) => i.id).sort((a, b) => a - b);
const idsOf = (...items: { id: number }[]) => items.map((i) => i.id).sort((a, b) => a - b);

describe('GET /api/items', () => {
  it('shows annotators their languages and their own drafts only; maintainers everything', async () => {
    const { items, jiwoo, som, maintainer } = await setup();
    const mine = await list(jiwoo, '');
    expect(ids(mine)).toEqual(
      idsOf(items.food, items.honorifics, items.safety, items.jiwooDraft, items.otherDataset),
    );
    expect(mine.total).toBe(5);
    expect(ids(await list(som, ''))).toEqual(idsOf(items.thai));
    expect((await list(maintainer, '')).total).toBe(8);
    expect((await list(jiwoo, 'language=th')).total).toBe(0);
    expect((await list(jiwoo, 'status=draft')).items.map((i) => i.id)).toEqual([items.jiwooDraft.id]);
  });

  it('returns summaries with the author name', async () => {
    const { items, jiwoo } = await setup();
    const page = await list(jiwoo, `author=${items.honorifics.authorId}`);
    const summary: ItemSummary = {
      id: items.honorifics.id,
      uid: items.honorifics.uid,
      datasetId: items.honorifics.datasetId,
      language: 'ko',
      country: 'KR',
      kind: 'culture',
      format: 'short_answer',
      status: 'submitted',
      question: KO_HONORIFICS,
      questionEn: items.honorifics.questionEn,
      primaryCategory: 'language/honorifics',
      hazard: null,
      authorId: items.honorifics.authorId,
      authorName: 'minho',
      version: 2,
      updatedAt: items.honorifics.updatedAt,
    };
    expect(page.items).toEqual([summary]);
  });

  it('filters by dataset, language, status, kind, format, category (with descendants) and author', async () => {
    const { main, other, items, maintainer } = await setup();
    expect(ids(await list(maintainer, `dataset=${other.id}`))).toEqual(idsOf(items.otherDataset));
    expect(ids(await list(maintainer, `dataset=${main.id}&language=ar`))).toEqual(idsOf(items.arabic));
    expect(ids(await list(maintainer, 'status=draft'))).toEqual(idsOf(items.jiwooDraft, items.minhoDraft));
    expect(ids(await list(maintainer, 'kind=safety'))).toEqual(idsOf(items.safety));
    expect(ids(await list(maintainer, 'format=short_answer'))).toEqual(idsOf(items.honorifics));
    expect(ids(await list(maintainer, 'category=language'))).toEqual(idsOf(items.honorifics));
    expect(ids(await list(maintainer, 'category=tradition/holidays'))).toEqual(idsOf(items.jiwooDraft));
    expect((await list(maintainer, 'category=tradition')).total).toBe(6);
    expect((await list(maintainer, 'category=trad')).total).toBe(0);
    expect(ids(await list(maintainer, `author=${items.thai.authorId}`))).toEqual(idsOf(items.thai));
    expect(
      ids(
        await list(
          maintainer,
          `dataset=${main.id}&language=ko&status=submitted&kind=culture&category=tradition`,
        ),
      ),
    ).toEqual(idsOf(items.food));
  });

  it('pages and sorts, with the total under the filter', async () => {
    const { t, main, maintainer } = await setup();
    await t.addUser('dara', 'annotator', ['km']);
    const dara = await t.login('dara');
    const created = [];
    for (let n = 0; n < 7; n++)
      created.push(await createItem(dara, main.id, { language: 'km' }, { question: `q${n}` }));
    const byId = created.map((i) => i.id);
    const page1 = await list(maintainer, 'language=km&sort=id_asc&pageSize=3');
    const page3 = await list(maintainer, 'language=km&sort=id_asc&pageSize=3&page=3');
    expect(page1).toMatchObject({ total: 7, page: 1, pageSize: 3 });
    expect(page1.items.map((i) => i.id)).toEqual(byId.slice(0, 3));
    expect(page3.items.map((i) => i.id)).toEqual(byId.slice(6));
    expect((await list(maintainer, 'language=km&sort=id_desc&pageSize=2')).items.map((i) => i.id)).toEqual(
      [...byId].reverse().slice(0, 2),
    );
    expect((await list(maintainer, 'language=km&sort=created_asc')).items.map((i) => i.id)).toEqual(byId);
    expect((await list(maintainer, 'language=km&page=9')).items).toEqual([]);

    await dara
      .patch(`/api/items/${created[2].id}`, { version: 1, changes: { notes: 'touched' } })
      .expect(200);
    const recent = await list(maintainer, 'language=km&sort=updated_desc&pageSize=1');
    expect(recent.items.map((i) => i.id)).toEqual([created[2].id]);
    const oldest = await list(maintainer, 'language=km&sort=updated_asc');
    expect(oldest.items.at(-1)!.id).toBe(created[2].id);
  });

  it('finds Korean, Thai and Arabic substrings with full-text search, in answers too', async () => {
    const { items, maintainer, jiwoo, som } = await setup();
    const q = (agent: Agent, s: string, extra = '') => list(agent, `q=${encodeURIComponent(s)}${extra}`);
    expect(ids(await q(jiwoo, '가족이 함께'))).toEqual(idsOf(items.food, items.otherDataset));
    expect(ids(await q(jiwoo, '높임말'))).toEqual(idsOf(items.honorifics));
    expect(ids(await q(jiwoo, '떡국과'))).toEqual(idsOf(items.food));
    expect(ids(await q(som, 'สงกรานต์'))).toEqual(idsOf(items.thai));
    expect(ids(await q(maintainer, 'เมษายน'))).toEqual(idsOf(items.thai));
    expect(ids(await q(maintainer, 'عاصمة مصر'))).toEqual(idsOf(items.arabic));
    // Searching never reveals what the caller may not see.
    expect((await q(som, '가족이')).total).toBe(0);
    expect((await q(jiwoo, '김장은')).total).toBe(0);
    // Shorter than a trigram: substring match on the question.
    expect(ids(await q(jiwoo, '음식'))).toEqual(idsOf(items.food, items.otherDataset));
    expect(ids(await q(jiwoo, '음식', '&dataset=' + items.food.datasetId))).toEqual(idsOf(items.food));
    expect(ids(await q(maintainer, 'مصر'))).toEqual(idsOf(items.arabic));
  });

  it('treats search syntax and wildcards in the query as plain text and never fails', async () => {
    const { maintainer } = await setup();
    const nasty = [
      '"',
      '""',
      '"unterminated',
      'AND',
      'OR NOT',
      'a AND',
      '*',
      'abc*',
      'NEAR(abc def)',
      'question:foo',
      '{question}: abc',
      '^abc',
      '(((',
      ')',
      "'; DROP TABLE items; --",
      '%',
      '_',
      '\\',
      '%%%',
      'a_b',
      '-abc',
      '+',
      '🙂🙂🙂',
      'x'.repeat(500),
    ];
    for (const s of nasty) {
      const res = await maintainer.get(`/api/items?q=${encodeURIComponent(s)}`);
      expect(res.status, s).toBe(200);
      expect(res.body.total, s).toBe(0);
    }
    // U+0000 is the one character no text may hold (PostgreSQL's text cannot): refused, naming the parameter.
    const nul = await maintainer.get(`/api/items?q=${encodeURIComponent('zz\u0000%')}`);
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatchObject({ code: 'nul-character', details: { path: 'query.q' } });
  });

  it('refuses malformed query strings with 400', async () => {
    const { maintainer } = await setup();
    for (const query of [
      'status=bogus',
      'page=0',
      'pageSize=1000',
      'sort=random',
      'dataset=abc',
      'language=not%20a%20tag!',
      'language=ko&language=th',
      'q=' + 'x'.repeat(501),
    ]) {
      const res = await maintainer.get(`/api/items?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('invalid-input');
    }
  });
});

describe('GET /api/items/similar', () => {
  const similar = async (agent: Agent, query: Record<string, string | number>) => {
    const res = await agent.get(
      `/api/items/similar?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`,
    );
    expect(res.status, res.text).toBe(200);
    return res.body.items as SimilarItem[];
  };

  it('when a question nearly repeats one in the same dataset and language, then it is found with its similarity', async () => {
    const { main, items, minho } = await setup();
    const found = await similar(minho, {
      dataset: main.id,
      language: 'ko',
      q: '설날에 가족이 함께 먹는 전통 음식은 뭔가요?',
    });
    expect(found.map((i) => i.id)).toEqual([items.food.id]);
    expect(found[0].similarity).toBeGreaterThanOrEqual(0.3);
    expect(found[0].similarity).toBeLessThan(1);
    expect(found[0]).toMatchObject({ question: KO_FOOD, authorName: 'jiwoo' });
  });

  it('when the question is the item being edited, then `exclude` leaves it out', async () => {
    const { main, items, jiwoo } = await setup();
    const found = await similar(jiwoo, {
      dataset: main.id,
      language: 'ko',
      q: KO_FOOD,
      exclude: items.food.id,
    });
    expect(found).toEqual([]);
    const including = await similar(jiwoo, { dataset: main.id, language: 'ko', q: KO_FOOD });
    expect(including.map((i) => [i.id, i.similarity])).toEqual([[items.food.id, 1]]);
  });

  it('when nothing is alike, or the language is not the caller’s, or drafts are others’, then nothing is returned', async () => {
    const { main, items, som, jiwoo } = await setup();
    expect(
      await similar(jiwoo, { dataset: main.id, language: 'ko', q: '한복을 입는 날은 언제인가요?' }),
    ).toEqual([]);
    expect(await similar(som, { dataset: main.id, language: 'ko', q: KO_FOOD })).toEqual([]);
    expect(await similar(jiwoo, { dataset: main.id, language: 'ko', q: '김장은 보통 언제 하나요?' })).toEqual(
      [],
    );
    expect(
      await similar(jiwoo, { dataset: main.id, language: 'ko', q: '추석에 하는 민속놀이는?' }),
    ).toMatchObject([{ id: items.jiwooDraft.id }]);
  });

  it('when the query contains search syntax or is very short, then it still answers 200', async () => {
    const { main, maintainer } = await setup();
    for (const q of ['"', 'a', '"" OR *', 'NEAR(x y)', '', '%_%']) {
      expect(await similar(maintainer, { dataset: main.id, language: 'ko', q })).toEqual([]);
    }
    for (const q of ['abc\u0000"def', '\u0000\u0000\u0000']) {
      const res = await maintainer.get(
        `/api/items/similar?dataset=${main.id}&language=ko&q=${encodeURIComponent(q)}`,
      );
      expect(res.status, q).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'nul-character', details: { path: 'query.q' } });
    }
    const bad = await maintainer.get('/api/items/similar?language=ko&q=x');
    expect(bad.status).toBe(400);
  });
});

describe('GET /api/items?q= with short terms', () => {
  it('finds two-character words anywhere in a word through the bigram index, and follows edits', async () => {
    const t = await createTestContext();
    await t.addUser('m', 'maintainer');
    const m = await t.login('m');
    const d = await addDataset(t);
    const a = await createItem(m, d.id, { language: 'ko' }, { question: '추석에는 무엇을 먹습니까?' });
    const b = await createItem(m, d.id, { language: 'ko' }, { question: '개량한복은 언제 입나요?' });
    await createItem(m, d.id, { language: 'ko' }, { question: '설날 아침에 먹는 음식은?' });
    const ids = async (q: string) =>
      ((await m.get(`/api/items?q=${encodeURIComponent(q)}`)).body.items as { id: number }[]).map(
        (i) => i.id,
      );
    expect(await ids('추석')).toEqual([a.id]);
    expect(await ids('한복')).toEqual([b.id]);
    expect(await ids('복은')).toEqual([b.id]);
    const edited = await m.patch(`/api/items/${a.id}`, {
      version: a.version,
      changes: { question: '한가위 음식' },
    });
    expect(edited.status).toBe(200);
    expect(await ids('추석')).toEqual([]);
    expect(await ids('가위')).toEqual([a.id]);
  });
});

describe('GET /api/items?q= after edits', () => {
  it('finds the current text and never the replaced text, however many saves came between searches', async () => {
    const t = await createTestContext();
    await t.addUser('m', 'maintainer');
    const m = await t.login('m');
    const d = await addDataset(t);
    let item = await createItem(m, d.id, { language: 'th' }, { question: 'สงกรานต์จัดขึ้นเมื่อใด' });
    const ids = async (q: string) =>
      ((await m.get(`/api/items?q=${encodeURIComponent(q)}`)).body.items as { id: number }[]).map(
        (i) => i.id,
      );
    expect(await ids('สงกรานต์')).toEqual([item.id]);
    for (const question of ['ลอยกระทงจัดขึ้นเมื่อใด', 'ไหว้ครูจัดขึ้นเมื่อใด', 'ตักบาตรทำอย่างไร']) {
      const res = await m.patch(`/api/items/${item.id}`, { version: item.version, changes: { question } });
      item = res.body;
    }
    expect(await ids('สงกรานต์')).toEqual([]);
    expect(await ids('ลอยกระทง')).toEqual([]);
    expect(await ids('ตักบาตร')).toEqual([item.id]);
    const res = await m.patch(`/api/items/${item.id}`, {
      version: item.version,
      changes: { notes: 'ประเพณีไทย' },
    });
    expect(res.status).toBe(200);
    expect(await ids('ประเพณี')).toEqual([item.id]);
    expect(await ids('ตักบาตร')).toEqual([item.id]);
    // The search index matches the items table exactly. SQLite: the external-content FTS5 index (it raises if not).
    // PostgreSQL: the item's one row of searchable text (items_search_text, keyed by item), GIN-indexed.
    if (t.engine === 'sqlite') {
      expect(() => t.db.exec("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")).not.toThrow();
    } else {
      expect(await t.sql('SELECT item_id FROM items_search_text')).toEqual([{ item_id: item.id }]);
    }
  });
});
