// Realistic multilingual items for benchmarks: questions assembled from per-language phrase pools,
// so full-text search and list filters see the variety (scripts, lengths, categories) of real data.
import type { NewItem } from '../../server/db/items.ts';
import { emptyItemFields, type ItemFormat, type ItemStatus } from '../../schema/item.ts';

interface LanguagePool {
  language: string;
  country: string;
  topics: string[];
  frames: string[]; // "{t}" is replaced by a topic
  answers: string[];
}

const POOLS: LanguagePool[] = [
  {
    language: 'ko',
    country: 'KR',
    topics: [
      '추석',
      '설날',
      '김장',
      '한복',
      '존댓말',
      '제사',
      '돌잔치',
      '떡국',
      '송편',
      '윷놀이',
      '태권도',
      '한글날',
    ],
    frames: [
      '{t}에 대해 설명하세요.',
      '{t} 때 주로 무엇을 합니까?',
      '{t}의 유래는 무엇인가요?',
      '한국에서 {t}은(는) 언제입니까?',
    ],
    answers: ['가족이 모여 차례를 지낸다', '음력 8월 15일', '떡국을 먹는다', '웃어른께 세배를 한다'],
  },
  {
    language: 'ar',
    country: 'EG',
    topics: [
      'عيد الفطر',
      'رمضان',
      'الكنافة',
      'شم النسيم',
      'المولد النبوي',
      'الحناء',
      'القهوة العربية',
      'الضيافة',
    ],
    frames: [
      'ما هي عادات {t} في مصر؟',
      'متى يحتفل الناس بـ{t}؟',
      'اشرح معنى {t} في الثقافة المحلية.',
      'ماذا يأكل الناس في {t}؟',
    ],
    answers: ['يجتمع الأهل لتناول الطعام', 'في أول أيام شهر شوال', 'الكعك والبسكويت', 'زيارة الأقارب'],
  },
  {
    language: 'th',
    country: 'TH',
    topics: ['สงกรานต์', 'ลอยกระทง', 'ไหว้ครู', 'ตักบาตร', 'ส้มตำ', 'มวยไทย', 'วันพ่อ', 'การไหว้'],
    frames: ['{t}จัดขึ้นเมื่อใด', 'คนไทยทำอะไรในวัน{t}', 'อธิบายความหมายของ{t}', '{t}มีที่มาอย่างไร'],
    answers: ['เดือนเมษายน', 'รดน้ำดำหัวผู้ใหญ่', 'ลอยกระทงในแม่น้ำ', 'ทำบุญตักบาตร'],
  },
  {
    language: 'hi',
    country: 'IN',
    topics: ['दिवाली', 'होली', 'रक्षाबंधन', 'करवा चौथ', 'छठ पूजा', 'नमस्ते', 'पोंगल', 'गणेश चतुर्थी'],
    frames: [
      '{t} कब मनाया जाता है?',
      '{t} पर लोग क्या करते हैं?',
      '{t} का महत्व क्या है?',
      '{t} से जुड़ी परंपराएँ बताइए।',
    ],
    answers: ['दीये जलाए जाते हैं', 'रंग खेलते हैं', 'बहन भाई को राखी बाँधती है', 'कार्तिक मास में'],
  },
  {
    language: 'sw',
    country: 'TZ',
    topics: ['Sikukuu ya Idi', 'methali', 'harusi', 'ugali', 'kanga', 'Mwaka Kogwa', 'salamu', 'Uhuru'],
    frames: [
      'Eleza maana ya {t}.',
      'Watu hufanya nini wakati wa {t}?',
      '{t} huadhimishwa lini?',
      'Kwa nini {t} ni muhimu?',
    ],
    answers: ['Haraka haraka haina baraka', 'Shikamoo', 'Desemba 9', 'Familia hukutana pamoja'],
  },
  {
    language: 'yo',
    country: 'NG',
    topics: ['ìkíni', 'Ọdún Ọ̀ṣun', 'àṣà ìsọmọlórúkọ', 'ẹ̀kọ́ ilé', 'òwe', 'aṣọ òkè', 'àmàlà', 'Ẹ̀gúngún'],
    frames: [
      'Kí ni ìtumọ̀ {t}?',
      'Báwo ni a ṣe ń ṣe {t}?',
      'Ìgbà wo ni {t} máa ń wáyé?',
      'Ṣàlàyé {t} ní ṣókí.',
    ],
    answers: ['Ẹ kú àárọ̀', 'Ọjọ́ keje', 'Ní oṣù Ògún', 'Àwọn ẹbí péjọ'],
  },
];

const CATEGORIES = [
  'society/family',
  'society/etiquette',
  'tradition/food',
  'tradition/holidays',
  'language/honorifics',
];
const FORMATS: ItemFormat[] = ['open_ended', 'short_answer', 'multiple_choice', 'true_false'];
const STATUSES: ItemStatus[] = ['draft', 'submitted', 'submitted', 'submitted', 'accepted'];

/** A small deterministic PRNG so benchmark data is the same in every run. */
export function prng(seed = 42) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BENCH_LANGUAGES = POOLS.map((p) => p.language);
export const BENCH_CATEGORIES = CATEGORIES;
export const benchTopics = (language: string) => POOLS.find((p) => p.language === language)?.topics ?? [];

/** The i-th generated item (authors cycle through `authorIds`). */
export function generateItem(i: number, rand: () => number, datasetId: number, authorIds: number[]): NewItem {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const pool = POOLS[i % POOLS.length]!;
  const format = pick(FORMATS);
  const topic = pick(pool.topics);
  const question = `${pick(pool.frames).replace('{t}', topic)} (#${i})`;
  const answer = pick(pool.answers);
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  const status = pick(STATUSES);
  const fields = emptyItemFields({ language: pool.language, kind: 'culture', format });
  return {
    ...fields,
    country: pool.country,
    question,
    questionEn: `Question ${i} about ${topic}`,
    referenceAnswer: format === 'open_ended' ? answer : null,
    acceptedAnswers: format === 'short_answer' ? [answer, `${answer}.`] : [],
    options: format === 'multiple_choice' ? [answer, pick(pool.answers) + ' ', 'A', 'B'] : [],
    correctIndex: format === 'multiple_choice' ? 0 : null,
    trueFalseAnswer: format === 'true_false' ? rand() < 0.5 : null,
    primaryCategory: pick(CATEGORIES),
    difficulty: pick(['easy', 'medium', 'hard'] as const),
    uid: `${pool.language}-bench${String(i).padStart(7, '0')}`,
    datasetId,
    externalId: null,
    status,
    authorId: authorIds[i % authorIds.length]!,
    version: 1,
    createdAt: at,
    updatedAt: at,
    submittedAt: status === 'draft' ? null : at,
  };
}
