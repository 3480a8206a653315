import { describe, expect, it } from 'vitest';
import type { ItemListPage, SearchMatch } from '../../schema/item.ts';
import { createTestContext, type Agent } from '../helpers/app.ts';
import { addDataset, createItem } from '../helpers/items.ts';

/** Every text field blank unless given: a term can only be found where a test put it. */
const blank = {
  questionEn: null,
  referenceAnswer: null,
  answerEn: null,
  acceptedAnswers: [],
  options: [],
  correctIndex: null,
  rationale: null,
  notes: null,
};

async function setup() {
  const t = await createTestContext();
  await t.addUser('mara', 'maintainer');
  await t.addUser('jiwoo', 'annotator', ['ko', 'ar', 'he', 'ja', 'th']);
  const maintainer = await t.login('mara');
  const jiwoo = await t.login('jiwoo');
  const d = await addDataset(t);
  const make = (language: string, fields: Record<string, unknown>, format = 'open_ended') =>
    createItem(jiwoo, d.id, { language, format: format as 'open_ended' }, { ...blank, ...fields });
  return { t, maintainer, jiwoo, make };
}

async function search(agent: Agent, q: string): Promise<ItemListPage> {
  const res = await agent.get(`/api/items?sort=id_asc&q=${encodeURIComponent(q)}`);
  expect(res.status, res.text).toBe(200);
  return res.body as ItemListPage;
}
const found = async (agent: Agent, q: string) => (await search(agent, q)).items.map((i) => i.id);

describe('GET /api/items?q= in every field', () => {
  it('finds Korean terms of one, two and three or more syllables in every searchable field', async () => {
    const { jiwoo, make } = await setup();
    const answer = await make('ko', {
      question: '추석에 먹는 떡은?',
      referenceAnswer: '송편, 반달 모양의 떡',
    });
    const gloss = await make('ko', {
      question: '질문',
      questionEn: 'Half-moon rice cake',
      answerEn: 'Songpyeon',
    });
    const options = await make(
      'ko',
      { question: '가을 간식은?', options: ['군밤', '호떡'], correctIndex: 0 },
      'multiple_choice',
    );
    const accepted = await make('ko', { question: '밤하늘', acceptedAnswers: ['은하수'] }, 'short_answer');
    const notes = await make('ko', {
      question: '메모',
      notes: '차례상 준비',
      rationale: '조상께 올리는 음식',
    });

    expect(await found(jiwoo, '송편')).toEqual([answer.id]);
    expect(await found(jiwoo, '반달')).toEqual([answer.id]);
    expect(await found(jiwoo, '반달 모양')).toEqual([answer.id]);
    expect(await found(jiwoo, '밤')).toEqual([options.id, accepted.id]);
    expect(await found(jiwoo, '은하수')).toEqual([accepted.id]);
    expect(await found(jiwoo, '은하')).toEqual([accepted.id]);
    expect(await found(jiwoo, '호떡')).toEqual([options.id]);
    expect(await found(jiwoo, '차례')).toEqual([notes.id]);
    expect(await found(jiwoo, '조상께')).toEqual([notes.id]);
    expect(await found(jiwoo, 'half-moon')).toEqual([gloss.id]);
    expect(await found(jiwoo, 'songpyeon')).toEqual([gloss.id]);
    expect(await found(jiwoo, '떡')).toEqual([answer.id, options.id]);
  });

  it('Arabic: harakat, tatweel and letter variants do not stand between a query and the text', async () => {
    const { jiwoo, make } = await setup();
    const egypt = await make('ar', { question: 'ما عاصمة مِصْر؟', referenceAnswer: 'ألفسيخ والقـــاهرة' });
    const hospital = await make('ar', { question: 'أين المستشفى؟', notes: 'مدرسة' });

    expect(await found(jiwoo, 'مصر')).toEqual([egypt.id]);
    expect(await found(jiwoo, 'مِصْرَ')).toEqual([egypt.id]);
    expect(await found(jiwoo, 'الفسيخ')).toEqual([egypt.id]);
    expect(await found(jiwoo, 'القاهرة')).toEqual([egypt.id]);
    expect(await found(jiwoo, 'القاهره')).toEqual([egypt.id]);
    expect(await found(jiwoo, 'اين')).toEqual([hospital.id]);
    expect(await found(jiwoo, 'المستشفي')).toEqual([hospital.id]);
    expect(await found(jiwoo, 'مدرسه')).toEqual([hospital.id]);
    expect(await found(jiwoo, 'مص')).toEqual([egypt.id]);
  });

  it('Hebrew: niqqud is ignored on both sides', async () => {
    const { jiwoo, make } = await setup();
    const pointed = await make('he', { question: 'מה פירוש שָׁלוֹם?' });
    const plain = await make('he', { question: 'שלום עליכם' });
    expect(await found(jiwoo, 'שלום')).toEqual([pointed.id, plain.id]);
    expect(await found(jiwoo, 'שָׁלוֹם')).toEqual([pointed.id, plain.id]);
    expect(await found(jiwoo, 'של')).toEqual([pointed.id, plain.id]);
  });

  it('Japanese: full-width and half-width forms find each other', async () => {
    const { jiwoo, make } = await setup();
    const wide = await make('ja', { question: 'ＮＨＫのカタカナ番組は？' });
    const narrow = await make('ja', { question: 'ﾃﾚﾋﾞ局 NHK' });
    expect(await found(jiwoo, 'nhk')).toEqual([wide.id, narrow.id]);
    expect(await found(jiwoo, 'ＮＨＫ')).toEqual([wide.id, narrow.id]);
    expect(await found(jiwoo, 'ｶﾀｶﾅ')).toEqual([wide.id]);
    expect(await found(jiwoo, '局')).toEqual([narrow.id]);
  });

  it('Thai: one, two and more characters, without spaces between words', async () => {
    const { jiwoo, make } = await setup();
    const item = await make('th', { question: 'วันสงกรานต์', referenceAnswer: 'รดน้ำดำหัว' });
    expect(await found(jiwoo, 'สงกรานต์')).toEqual([item.id]);
    expect(await found(jiwoo, 'น้ำ')).toEqual([item.id]);
    expect(await found(jiwoo, 'รด')).toEqual([item.id]);
    expect(await found(jiwoo, 'ไม่มี')).toEqual([]);
  });

  it('matches short terms with punctuation and quotes as typed', async () => {
    const { jiwoo, make } = await setup();
    const dashed = await make('ko', { question: 'K-pop "아이돌" 문화' });
    const plain = await make('ko', { question: 'K pop 문화' });
    expect(await found(jiwoo, '-')).toEqual([dashed.id]);
    expect(await found(jiwoo, 'k-')).toEqual([dashed.id]);
    expect(await found(jiwoo, '"아')).toEqual([dashed.id]);
    expect(await found(jiwoo, '"')).toEqual([dashed.id]);
    expect(await found(jiwoo, 'k')).toEqual([dashed.id, plain.id]);
    expect(await found(jiwoo, 'kp')).toEqual([]);
  });

  it('keeps the text exactly as typed', async () => {
    const { maintainer, make } = await setup();
    const item = await make('ar', { question: 'ما عاصمة مِصْر؟' });
    const page = await search(maintainer, 'مصر');
    expect(page.items[0].question).toBe('ما عاصمة مِصْر؟');
    expect((await maintainer.get(`/api/items/${item.id}`)).body.question).toBe('ما عاصمة مِصْر؟');
  });
});

describe('GET /api/items?q= matches', () => {
  it('returns each field where a term was found, with the ranges of the text as typed', async () => {
    const { jiwoo, make } = await setup();
    await make('ko', {
      question: '추석에 송편을 빚나요?',
      referenceAnswer: '네, 송편을 빚습니다',
      notes: '추석 음식',
    });
    const page = await search(jiwoo, '송편 추석');
    const expected: SearchMatch[] = [
      {
        field: 'question',
        text: '추석에 송편을 빚나요?',
        ranges: [
          [0, 2],
          [4, 6],
        ],
      },
      { field: 'notes', text: '추석 음식', ranges: [[0, 2]] },
      { field: 'referenceAnswer', text: '네, 송편을 빚습니다', ranges: [[3, 5]] },
    ];
    expect(page.items[0].matches).toEqual(expected);
  });

  it('marks a folded match over the letters as typed, harakat included', async () => {
    const { jiwoo, make } = await setup();
    await make('ar', { question: 'ما عاصمة مِصْر؟' });
    const page = await search(jiwoo, 'مصر');
    // "ما عاصمة " is 9 code units; مِصْر is 5 (three letters, two harakat).
    expect(page.items[0].matches).toEqual([{ field: 'question', text: 'ما عاصمة مِصْر؟', ranges: [[9, 14]] }]);
  });

  it('shows list fields joined, and a window of a long field around the first match', async () => {
    const { jiwoo, make } = await setup();
    const long = `${'가'.repeat(100)} 송편 ${'나'.repeat(200)}`;
    await make('ko', { question: '떡', acceptedAnswers: ['꿀떡', '송편'], notes: long }, 'short_answer');
    const page = await search(jiwoo, '송편');
    expect(page.items[0].matches).toEqual([
      { field: 'notes', text: `…${'가'.repeat(39)} 송편 ${'나'.repeat(117)}…`, ranges: [[41, 43]] },
      { field: 'acceptedAnswers', text: '꿀떡 · 송편', ranges: [[5, 7]] },
    ]);
  });

  it('leaves matches out when there is no search', async () => {
    const { jiwoo, make } = await setup();
    await make('ko', { question: '송편' });
    const res = await jiwoo.get('/api/items');
    expect(res.body.items[0]).not.toHaveProperty('matches');
  });
});
