import { describe, expect, it } from 'vitest';
import { emptyItemFields, submissionProblems, type Item } from '../../schema/item.ts';
import { openDatabase } from '../../server/db/connection.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { addDataset, completeItemBody, createItem, createSubmittedItem } from '../helpers/items.ts';

async function setup() {
  const t = await createTestContext();
  const dataset = await addDataset(t);
  await t.addUser('mara', 'maintainer');
  await t.addUser('jiwoo', 'annotator', ['ko', 'ar', 'th', 'hi']);
  await t.addUser('minho', 'reviewer', ['ko']);
  return {
    t,
    dataset,
    maintainer: await t.login('mara'),
    jiwoo: await t.login('jiwoo'),
    minho: await t.login('minho'),
  };
}

// Counted in the table: the revisions API would not show a revision written twice under one version.
const revisionCount = async (t: TestContext, itemId: number) =>
  (await t.sql<{ n: number }>('SELECT count(*) AS n FROM item_revisions WHERE item_id = ?', itemId))[0].n;

describe('PATCH /api/items/:id', () => {
  it('when the author saves changes at the current version, then the version goes up and a revision records before/after', async () => {
    const { t, dataset, jiwoo } = await setup();
    const item = await createItem(jiwoo, dataset.id);
    const res = await jiwoo.patch(`/api/items/${item.id}`, {
      version: 1,
      changes: {
        referenceAnswer: '떡국 (가래떡을 썰어 끓인 국)',
        difficulty: 'easy',
        question: item.question,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 2,
      referenceAnswer: '떡국 (가래떡을 썰어 끓인 국)',
      difficulty: 'easy',
    });
    expect(res.body.updatedAt >= item.updatedAt).toBe(true);
    const revisions = await jiwoo.get(`/api/items/${item.id}/revisions`);
    expect(revisions.body[0]).toMatchObject({
      version: 2,
      action: 'update',
      userName: 'jiwoo',
      // `question` was sent unchanged, so it is not part of the change set.
      changes: { referenceAnswer: ['떡국', '떡국 (가래떡을 썰어 끓인 국)'], difficulty: [null, 'easy'] },
    });
    expect(await revisionCount(t, item.id)).toBe(2);
  });

  it('when nothing actually changes, then no revision is written and the version stays', async () => {
    const { t, dataset, jiwoo } = await setup();
    const item = await createItem(jiwoo, dataset.id);
    const res = await jiwoo.patch(`/api/items/${item.id}`, {
      version: 1,
      changes: { question: item.question, options: [] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(item);
    expect(await revisionCount(t, item.id)).toBe(1);
  });

  it('when two editors load the same version, then the second save is refused with 409 and both versions; after reloading it succeeds', async () => {
    const { t, dataset, jiwoo } = await setup();
    const item = await createItem(jiwoo, dataset.id);
    // Two sessions (two tabs, or a tab and a script) both holding version 1.
    const otherTab = await t.login('jiwoo');
    const first = { version: item.version, changes: { referenceAnswer: '떡국' + ' 한 그릇' } };
    const second = { version: item.version, changes: { referenceAnswer: '만둣국', notes: '두 번째' } };
    const [a, b] = await Promise.all([
      jiwoo.patch(`/api/items/${item.id}`, first),
      otherTab.patch(`/api/items/${item.id}`, second),
    ]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    const winningChanges = winner === a ? first.changes : second.changes;
    const losingChanges = winner === a ? second.changes : first.changes;
    expect(winner.status).toBe(200);
    expect(loser.status).toBe(409);
    expect(loser.body.error.code).toBe('stale-version');
    expect(loser.body.error.details.current).toMatchObject({ version: 2, ...winningChanges });
    expect(loser.body.error.details.yours).toEqual(losingChanges);

    const stored = (await jiwoo.get(`/api/items/${item.id}`)).body as Item;
    expect(stored).toMatchObject({ version: 2, ...winningChanges });

    const retry = await jiwoo.patch(`/api/items/${item.id}`, { version: 2, changes: losingChanges });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ version: 3, ...losingChanges });
  });

  it('when a save is stale, then nothing is written', async () => {
    const { t, dataset, jiwoo } = await setup();
    const item = await createItem(jiwoo, dataset.id);
    await jiwoo.patch(`/api/items/${item.id}`, { version: 1, changes: { notes: 'first' } }).expect(200);
    const stale = await jiwoo.patch(`/api/items/${item.id}`, { version: 1, changes: { notes: 'second' } });
    expect(stale.status).toBe(409);
    expect((await jiwoo.get(`/api/items/${item.id}`)).body).toMatchObject({ version: 2, notes: 'first' });
    expect(await revisionCount(t, item.id)).toBe(2);
  });

  it('when the item is no longer editable, then 409 not-editable', async () => {
    const { dataset, jiwoo } = await setup();
    const item = await createSubmittedItem(jiwoo, dataset.id);
    const res = await jiwoo.patch(`/api/items/${item.id}`, {
      version: item.version,
      changes: { notes: 'x' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not-editable');
  });

  it('when the body is malformed or names unknown fields or taxonomy ids, then 400 and nothing changes', async () => {
    const { t, dataset, jiwoo } = await setup();
    const item = await createItem(jiwoo, dataset.id);
    const url = `/api/items/${item.id}`;
    const cases: unknown[] = [
      { changes: { notes: 'x' } },
      { version: 'one', changes: {} },
      { version: 1, changes: { status: 'accepted' } },
      { version: 1, changes: { authorId: 99 } },
      { version: 1, changes: { options: ['1', '2', '3', '4', '5', '6', '7'] } },
      { version: 1, changes: { primaryCategory: 'nope' } },
      { version: 1, changes: { secondaryTags: ['society/family', 'made/up'] } },
      { version: 1, changes: { question: 'a'.repeat(10_001) } },
      [],
    ];
    for (const body of cases) {
      const res = await jiwoo.patch(url, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const taxonomy = await jiwoo.patch(url, {
      version: 1,
      changes: { hazard: 'privacy', attackStyle: 'nope' },
    });
    expect(taxonomy.body.error.details.issues).toEqual([
      expect.objectContaining({ path: 'changes.attackStyle', code: 'unknown-taxonomy-node' }),
    ]);
    expect((await jiwoo.get(url)).body).toEqual(item);
    expect(await revisionCount(t, item.id)).toBe(1);
  });

  it('when the language changes to one the author is not registered for, then 403', async () => {
    const { dataset, jiwoo } = await setup();
    const item = await createItem(jiwoo, dataset.id);
    const res = await jiwoo.patch(`/api/items/${item.id}`, { version: 1, changes: { language: 'sw' } });
    expect(res.status).toBe(403);
  });
});

describe('PATCH /api/items/:id racing another writer', () => {
  it('when another connection saves the item between the server’s read and its write, then the save is refused as stale and the other write is kept', async () => {
    let raceOn: number | undefined;
    // The other writer, as the CLI or a second server process: on SQLite a second connection to the same file; on
    // PostgreSQL a query outside the save's transaction (another pooled connection on a server).
    let saveElsewhere: (id: number) => Promise<unknown> = () => Promise.resolve();
    const t = await createTestContext({
      itemSaveHook: async (id) => {
        if (id !== raceOn) return;
        raceOn = undefined;
        await saveElsewhere(id);
      },
    });
    const other = t.engine === 'sqlite' ? openDatabase(t.location!) : undefined;
    const update = `UPDATE items SET notes = 'saved elsewhere', version = version + 1 WHERE id = ?`;
    saveElsewhere = async (id) => (other ? other.prepare(update).run(id) : await t.sql(update, id));
    try {
      await t.addUser('jiwoo', 'annotator', ['ko']);
      const jiwoo = await t.login('jiwoo');
      const item = await createItem(jiwoo, (await addDataset(t)).id);

      raceOn = item.id;
      const res = await jiwoo.patch(`/api/items/${item.id}`, {
        version: 1,
        changes: { notes: 'saved here' },
      });
      expect(raceOn).toBeUndefined();
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('stale-version');
      expect(res.body.error.details.current).toMatchObject({ version: 2, notes: 'saved elsewhere' });
      expect(res.body.error.details.yours).toEqual({ notes: 'saved here' });
      expect(await t.sql('SELECT version, notes FROM items WHERE id = ?', item.id)).toEqual([
        { version: 2, notes: 'saved elsewhere' },
      ]);
      expect(await t.sql('SELECT version FROM item_revisions WHERE item_id = ?', item.id)).toEqual([
        { version: 1 },
      ]);

      const retry = await jiwoo.patch(`/api/items/${item.id}`, {
        version: 2,
        changes: { notes: 'saved here' },
      });
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ version: 3, notes: 'saved here' });
    } finally {
      other?.close();
    }
  });
});

describe('Unicode text', () => {
  const samples = {
    // Decomposed jamo (NFD) as some input methods and macOS file names produce them.
    ko: '설날에 떡국을 먹나요? 한국어'.normalize('NFD'),
    ar: 'مَا هِيَ عَاصِمَةُ مِصْرَ؟ 🇪🇬',
    th: 'วันสงกรานต์ตรงกับวันที่เท่าไร',
    hi: 'दीवाली पर कौन-सी मिठाई बनाई जाती है? 🪔',
  };

  it('when text in Korean, Arabic with harakat, Thai, Devanagari and emoji is saved, then it reads back byte-exact in NFC', async () => {
    const { dataset, jiwoo } = await setup();
    for (const [language, question] of Object.entries(samples)) {
      const nfc = question.normalize('NFC');
      const created = await createItem(
        jiwoo,
        dataset.id,
        { language },
        { question, referenceAnswer: question },
      );
      expect(created.question).toBe(nfc);
      expect(Buffer.from(created.question)).toEqual(Buffer.from(nfc));
      const note = `${question} — ${question}`;
      const patched = await jiwoo.patch(`/api/items/${created.id}`, { version: 1, changes: { notes: note } });
      expect(patched.status).toBe(200);
      const read = (await jiwoo.get(`/api/items/${created.id}`)).body as Item;
      expect(Buffer.from(read.question)).toEqual(Buffer.from(nfc));
      expect(Buffer.from(read.referenceAnswer!)).toEqual(Buffer.from(nfc));
      expect(Buffer.from(read.notes!)).toEqual(Buffer.from(note.normalize('NFC')));
    }
    // The Korean sample really was decomposed, so normalisation had work to do.
    expect(samples.ko).not.toBe(samples.ko.normalize('NFC'));
  });
});

describe('POST /api/items/:id/submit', () => {
  it('when a complete item is submitted, then it becomes submitted with a submit revision', async () => {
    const { dataset, jiwoo } = await setup();
    const item = await createItem(jiwoo, dataset.id, { format: 'multiple_choice' });
    const res = await jiwoo.post(`/api/items/${item.id}/submit`, { version: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'submitted', version: 2, submittedAt: expect.any(String) });
    const revisions = await jiwoo.get(`/api/items/${item.id}/revisions`);
    expect(revisions.body[0]).toMatchObject({
      action: 'submit',
      version: 2,
      changes: { status: ['draft', 'submitted'] },
    });
  });

  const incomplete: [string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    [
      'a multiple-choice item without a correct option',
      { format: 'multiple_choice' },
      { correctIndex: null },
      ['correctIndex'],
    ],
    [
      'a multiple-choice item with repeated options',
      { format: 'multiple_choice' },
      { options: ['떡국', '송편', '떡국 '] },
      ['options'],
    ],
    [
      'a multiple-choice item with four empty options (each empty, none a duplicate)',
      { format: 'multiple_choice' },
      { options: ['', '', ' ', ''] },
      ['options.0', 'options.1', 'options.2', 'options.3'],
    ],
    [
      'a short-answer item without variants',
      { format: 'short_answer' },
      { acceptedAnswers: [] },
      ['acceptedAnswers'],
    ],
    [
      'a true/false item without the answer',
      { format: 'true_false' },
      { trueFalseAnswer: null },
      ['trueFalseAnswer'],
    ],
    ['an open culture item without a reference answer', {}, { referenceAnswer: '  ' }, ['referenceAnswer']],
    [
      'a safety item without hazard, attack style and expected behaviour',
      { kind: 'safety' },
      { hazard: null, attackStyle: null, expectedBehavior: null },
      ['attackStyle', 'expectedBehavior', 'hazard'],
    ],
    [
      'an item without country or category',
      {},
      { country: null, primaryCategory: null },
      ['country', 'primaryCategory'],
    ],
  ];
  it.each(incomplete)(
    'when it is %s, then 422 incomplete-item names the problems',
    async (_name, shape, overrides, paths) => {
      const { dataset, jiwoo } = await setup();
      const item = await createItem(jiwoo, dataset.id, shape, overrides);
      const res = await jiwoo.post(`/api/items/${item.id}/submit`, { version: 1 });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('incomplete-item');
      const got = [...new Set(res.body.error.details.problems.map((p: { path: string }) => p.path))].sort();
      expect(got).toEqual(paths);
      expect((await jiwoo.get(`/api/items/${item.id}`)).body).toMatchObject({ status: 'draft', version: 1 });
    },
  );

  it('compares options and accepted answers case-blind by the rules of the item’s language (Turkish i)', () => {
    const item = (language: string, format: 'multiple_choice' | 'short_answer', answers: string[]) => ({
      ...emptyItemFields({ language, kind: 'culture', format }),
      question: 'q',
      country: 'TR',
      primaryCategory: 'tradition/food',
      ...(format === 'multiple_choice'
        ? { options: answers, correctIndex: 0 }
        : { acceptedAnswers: answers }),
    });
    const codes = (i: ReturnType<typeof item>) => submissionProblems(i).map((p) => `${p.path}:${p.code}`);
    // Turkish lowers I to ı and İ to i; other languages lower I to i and İ to i + combining dot.
    expect(codes(item('tr', 'multiple_choice', ['ILIK', 'ılık', 'sıcak']))).toEqual(['options:duplicate']);
    expect(codes(item('en', 'multiple_choice', ['ILIK', 'ılık', 'sıcak']))).toEqual([]);
    expect(codes(item('tr-TR', 'short_answer', ['İstanbul', 'istanbul']))).toEqual([
      'acceptedAnswers:duplicate',
    ]);
    expect(codes(item('de', 'short_answer', ['İstanbul', 'istanbul']))).toEqual([]);
    expect(codes(item('ko', 'multiple_choice', ['떡국', '송편', ' 떡국']))).toEqual(['options:duplicate']);
  });

  it('when the version is stale, or the caller is not the author, or it was already submitted, then 409/403/409', async () => {
    const { dataset, jiwoo, maintainer } = await setup();
    const item = await createItem(jiwoo, dataset.id);
    await jiwoo.patch(`/api/items/${item.id}`, { version: 1, changes: { notes: 'n' } }).expect(200);
    const stale = await jiwoo.post(`/api/items/${item.id}/submit`, { version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale-version');
    expect(stale.body.error.details.current.version).toBe(2);
    expect((await maintainer.post(`/api/items/${item.id}/submit`, { version: 2 })).status).toBe(403);
    await jiwoo.post(`/api/items/${item.id}/submit`, { version: 2 }).expect(200);
    const again = await jiwoo.post(`/api/items/${item.id}/submit`, { version: 3 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not-editable');
    expect((await jiwoo.post(`/api/items/${item.id}/submit`, {})).status).toBe(400);
  });

  it('when the body of a complete item is built by the shared helper, then every kind and format submits', async () => {
    const { dataset, jiwoo } = await setup();
    for (const kind of ['culture', 'safety'] as const) {
      for (const format of ['open_ended', 'short_answer', 'multiple_choice', 'true_false'] as const) {
        const res = await jiwoo.post('/api/items', completeItemBody(dataset.id, { kind, format }));
        const submit = await jiwoo.post(`/api/items/${res.body.id}/submit`, { version: 1 });
        expect(submit.status, `${kind}/${format} ${submit.text}`).toBe(200);
      }
    }
  });
});

describe('PATCH /api/items/:id answer', () => {
  it('is exactly the item as stored afterwards, for every kind of field', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const minji = await t.login('minji');
    const dataset = await addDataset(t);
    const item = await createItem(minji, dataset.id, { language: 'ko', format: 'true_false' });
    const res = await minji.patch(`/api/items/${item.id}`, {
      version: item.version,
      changes: {
        question: '한글날은 10월 9일이다.',
        trueFalseAnswer: false,
        secondaryTags: ['society/family'],
        sources: [{ url: 'https://ko.wikipedia.org/wiki/한글날', title: '한글날' }],
        region: null,
      },
    });
    expect(res.status).toBe(200);
    const stored = await minji.get(`/api/items/${item.id}`);
    expect(res.body).toEqual(stored.body);
    expect(stored.body).toMatchObject({ version: item.version + 1, trueFalseAnswer: false, region: null });
    const revision = await minji.get(`/api/items/${item.id}/revisions/${item.version + 1}`);
    expect(revision.body.snapshot).toEqual(stored.body);
  });
});
