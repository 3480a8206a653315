import { describe, expect, it } from 'vitest';
import { extractChoice, extractShortAnswer, extractTrueFalse } from '../../server/domain/scoring/extract.ts';
import { renderPrompt } from '../../server/domain/scoring/prompts.ts';
import type { ReleaseItemFields } from '../../schema/release.ts';

const KO = ['떡국', '송편', '팥죽', '냉면'];
const AR = ['الكسكس', 'الملوخية', 'الفول', 'الكشري'];
const TH = ['ต้มยำ', 'ผัดไทย', 'ส้มตำ', 'แกงเขียวหวาน'];
const HI = ['दिवाली', 'होली', 'ईद', 'पोंगल'];
const EN = ['Rice', 'Bread', 'Noodles', 'Soup', 'Dumplings'];

// [language, options, response, expected option index or null]
const CHOICES: [string, string[], string, number | null][] = [
  ['en', EN, 'B', 1],
  ['en', EN, '(c)', 2],
  ['en', EN, '**D**', 3],
  ['en', EN, 'The answer is B.', 1],
  ['en', EN, 'Answer: E) Dumplings', 4],
  ['en', EN, 'A good guess would be C', 2],
  ['en', EN, 'I think it is (B), not (B) again', 1],
  ['en', EN, 'C. Noodles are eaten on birthdays.', 2],
  ['en', EN, 'noodles', 2],
  ['en', EN, 'They usually eat Noodles on that day.', 2],
  ['en', EN, 'Either Rice or Soup.', null],
  ['en', EN, 'I do not know.', null],
  ['en', EN, '<think>maybe A? or B</think>D', 3],
  ['en', EN, '2', 1],
  ['en', EN, 'Option 4', 3],
  ['ko', KO, '가', 0],
  ['ko', KO, '정답은 다입니다', 2],
  ['ko', KO, '정답: 나', 1],
  ['ko', KO, '(라) 냉면', 3],
  ['ko', KO, '송편을 먹습니다.', 1],
  ['ko', KO, '제가 보기에 떡국입니다', 0],
  ['ko', KO, 'B', 1],
  ['ko', KO, '３', 2],
  ['ar', AR, 'ب', 1],
  ['ar', AR, 'الإجابة: ج', 2],
  ['ar', AR, 'الإجابة هي د', 3],
  ['ar', AR, 'ا', 0],
  ['ar', AR, '(أ) الكسكس', 0],
  ['ar', AR, '٣', 2],
  ['ar', AR, 'الملوخية', 1],
  ['ar', AR, 'أعتقد أن الفول هو الصحيح', 2],
  ['th', TH, 'ข', 1],
  ['th', TH, 'คำตอบคือ ค', 2],
  ['th', TH, 'ง. แกงเขียวหวาน', 3],
  ['th', TH, '๒', 1],
  ['th', TH, 'ผัดไทย', 1],
  ['hi', HI, 'ख', 1],
  ['hi', HI, 'उत्तर: ग', 2],
  ['hi', HI, '(घ) पोंगल', 3],
  ['hi', HI, '३', 2],
  ['hi', HI, 'सही उत्तर होली है', 1],
];

describe('multiple-choice extraction', () => {
  for (const [language, options, response, expected] of CHOICES) {
    it(`reads ${JSON.stringify(response)} (${language}) as ${expected}`, () => {
      expect(extractChoice(response, options, language).index).toBe(expected);
    });
  }

  it('ignores labels beyond the item’s options', () => {
    expect(extractChoice('F', ['x', 'y'], 'en').index).toBeNull();
  });
});

const TRUTHS: [string, string, boolean | null][] = [
  ['en', 'True', true],
  ['en', 'false.', false],
  ['en', 'That is not true.', false],
  ['en', 'No, it is not.', false],
  ['en', 'Knowing this, yes', true],
  ['en', 'Maybe', null],
  ['ko', '참', true],
  ['ko', '거짓입니다.', false],
  ['ko', '맞습니다. 설날에 먹어요.', true],
  ['ko', '아니요, 틀렸습니다.', false],
  ['ko', '참고로 이 문장은 거짓입니다', false],
  ['ar', 'صحيح', true],
  ['ar', 'غير صحيح', false],
  ['ar', 'خطأ، هذا ليس كذلك', false],
  ['th', 'ไม่ใช่', false],
  ['th', 'ใช่ครับ', true],
  ['th', 'เท็จ', false],
  ['hi', 'असत्य', false],
  ['hi', 'सत्य है', true],
  ['sw', 'Si kweli', false],
  ['sw', 'Kweli', true],
];

describe('true/false extraction', () => {
  for (const [language, response, expected] of TRUTHS) {
    it(`reads ${JSON.stringify(response)} (${language}) as ${expected}`, () => {
      expect(extractTrueFalse(response, language).value).toBe(expected);
    });
  }
});

const SHORT: [string, string[], string, boolean][] = [
  ['ko', ['두 손으로', '양손으로'], '두손으로', true],
  ['ko', ['두 손으로', '양손으로'], '정답: 양손으로!', true],
  ['ko', ['두 손으로', '양손으로'], '어른 앞에서는 두 손으로 받습니다.', true],
  ['ko', ['두 손으로', '양손으로'], '한 손으로', false],
  ['ar', ['سفرة دايمة'], 'سُفْرَة دايمة', true],
  ['en', ['Diwali'], 'The answer is: diwali.', true],
  ['en', ['Eid'], 'They celebrate Eidul Fitr', false],
  ['th', ['ส้มตำ'], 'คำตอบคือส้มตำ', true],
  ['hi', ['१५ अगस्त'], '15 अगस्त', true],
];

describe('short-answer matching', () => {
  for (const [language, variants, response, expected] of SHORT) {
    it(`${expected ? 'accepts' : 'refuses'} ${JSON.stringify(response)} (${language})`, () => {
      expect(extractShortAnswer(response, variants, language).correct).toBe(expected);
    });
  }
});

describe('prompt templates', () => {
  const item = {
    uid: 'ko-1',
    language: 'ko',
    country: 'KR',
    region: null,
    kind: 'culture',
    format: 'multiple_choice',
    question: '설날 음식은?',
    options: KO,
  } as unknown as ReleaseItemFields;

  it('fills the per-format default in the item’s language, with the language’s option labels', () => {
    expect(renderPrompt(null, item)).toBe(
      '설날 음식은?\n\n가. 떡국\n나. 송편\n다. 팥죽\n라. 냉면\n\n정답 보기의 기호(가, 나, 다, 라 …)만 답하세요.',
    );
  });

  it('fills a custom template and leaves unknown placeholders as written', () => {
    expect(renderPrompt('[{country}] {question} {unknown}', item)).toBe('[KR] 설날 음식은? {unknown}');
  });
});
