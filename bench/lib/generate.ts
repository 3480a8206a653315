// Multilingual items for benchmarks: questions assembled from per-language phrase pools and everyday
// words, so full-text search and list filters see the variety (scripts, lengths, categories) of real
// data; the `repetitive` corpus keeps the old, deliberately narrow text as a worst case for search.
import type { NewItem } from '../../server/db/items.ts';
import { emptyItemFields, type ItemFormat, type ItemStatus } from '../../schema/item.ts';

interface LanguagePool {
  language: string;
  country: string;
  topics: string[];
  frames: string[]; // "{t}" is replaced by a topic
  answers: string[];
}

/**
 * Everyday words per language (family, food, seasons, places, people, customs), from which the varied
 * corpus writes the rest of each question and answer: real data repeats topics but not whole sentences.
 */
const VOCABULARY: Record<string, string[]> = {
  ko: (
    '가족 음식 명절 전통 어른 아이 조상 떡 밥 김치 국 고기 나물 과일 시장 마을 집 부엌 어머니 아버지 ' +
    '할머니 할아버지 형제 친구 이웃 선물 인사 절 옷 모자 신발 노래 춤 놀이 이야기 역사 왕 궁궐 봄 여름 ' +
    '가을 겨울 아침 저녁 밤 달 해 바다 산 강 나무 꽃 비 눈 바람 손님 잔치 술 차 그릇 숟가락 젓가락 ' +
    '반달 보름달 차례상 세배 덕담 한과 식혜 약과 만두 잡채 갈비 전 부침개 막걸리 농사 추수 곡식'
  ).split(' '),
  ar: (
    'عائلة طعام عيد تقاليد القاهرة الأجداد الأطفال الخبز الأرز اللحم الفول السمك الحلوى التمر الشاي ' +
    'القهوة السوق القرية البيت المطبخ الأم الأب الجدة الجد الإخوة الأصدقاء الجيران هدية تحية الصلاة ' +
    'المسجد الملابس الغناء الرقص الحكاية التاريخ الملك النيل الصحراء الربيع الصيف الخريف الشتاء الصباح ' +
    'المساء الليل القمر الشمس البحر الجبل النهر الشجرة الزهور المطر الضيوف العرس الفسيخ الكعك الملوخية ' +
    'الكشري الفطير العصير الحمام الفلاحين الحصاد المدينة الإسكندرية الأقصر أسوان'
  ).split(' '),
  th: (
    'ครอบครัว อาหาร เทศกาล ประเพณี ข้าว แกง ปลา ไก่ ผลไม้ ขนม ตลาด หมู่บ้าน บ้าน ครัว แม่ พ่อ ยาย ตา ' +
    'พี่น้อง เพื่อน เพื่อนบ้าน ของขวัญ วัด พระ เสื้อผ้า เพลง รำ นิทาน ประวัติศาสตร์ กษัตริย์ แม่น้ำ ' +
    'ทะเล ภูเขา ต้นไม้ ดอกไม้ ฝน ลม พระจันทร์ ดวงอาทิตย์ เช้า เย็น กลางคืน ฤดูร้อน ฤดูฝน ฤดูหนาว แขก ' +
    'งานแต่ง น้ำ ชา ข้าวเหนียว มะม่วง ต้มยำ ผัดไทย พวงมาลัย โคมลอย เรือ ชาวนา เกี่ยวข้าว เชียงใหม่ อยุธยา'
  ).split(' '),
  hi: (
    'परिवार भोजन त्योहार परंपरा चावल रोटी दाल सब्ज़ी मिठाई फल बाज़ार गाँव घर रसोई माँ पिता दादी दादा ' +
    'भाई बहन दोस्त पड़ोसी उपहार पूजा मंदिर कपड़े गीत नृत्य कहानी इतिहास राजा नदी पहाड़ पेड़ फूल बारिश ' +
    'हवा चाँद सूरज सुबह शाम रात गर्मी सर्दी मेहमान शादी पानी चाय दीया रंगोली लड्डू खीर पतंग मेला ' +
    'किसान फसल गंगा बनारस जयपुर साड़ी कुर्ता आरती'
  ).split(' '),
  sw: (
    'familia chakula sikukuu desturi wali ugali samaki nyama matunda maandazi soko kijiji nyumba jikoni ' +
    'mama baba bibi babu kaka dada rafiki jirani zawadi msikiti kanisa nguo wimbo ngoma hadithi historia ' +
    'mfalme mto bahari mlima mti maua mvua upepo mwezi jua asubuhi jioni usiku wageni harusi maji chai ' +
    'kahawa pilau chapati mkate ndizi nazi embe wakulima mavuno Zanzibar Mombasa Arusha kitenge'
  ).split(' '),
  yo: (
    'ẹbí oúnjẹ ọdún àṣà ìrẹsì iṣu ẹja ẹran èso ọjà abúlé ilé ìyá bàbá ọ̀rẹ́ aládùúgbò ẹ̀bùn ìkíni ' +
    'ṣọ́ọ̀ṣì mọ́ṣáláṣí aṣọ orin ijó ìtàn ọba odò òkun òkè igi òdòdó òjò afẹ́fẹ́ oṣù oòrùn òwúrọ̀ ' +
    'ìrọ̀lẹ́ òru àlejò ìgbéyàwó omi ọmọ àgbà ilẹ̀ ìlù àdúrà ọjọ́ ẹ̀kọ́ àkàrà ẹ̀wà dòdò gbẹ̀gìrì ' +
    'Ìbàdàn Èkó Ọ̀yọ́ àgbẹ̀ ìkórè'
  ).split(' '),
};

/**
 * `repetitive`: every question one of four frames around one of about ten topic words (the worst case
 * for search: each term sits in thousands of items). `varied`: the same frames followed by a few
 * everyday words, and answers written from them, so terms spread as in real data.
 */
export type BenchCorpus = 'varied' | 'repetitive';

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
/** The words a query may look for in a corpus: its topics, and for `varied` its vocabulary too. */
export const benchWords = (language: string, corpus: BenchCorpus) => [
  ...benchTopics(language),
  ...(corpus === 'varied' ? (VOCABULARY[language] ?? []) : []),
];

/** The i-th generated item (authors cycle through `authorIds`). */
export function generateItem(
  i: number,
  rand: () => number,
  datasetId: number,
  authorIds: number[],
  corpus: BenchCorpus = 'varied',
): NewItem {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const pool = POOLS[i % POOLS.length];
  const format = pick(FORMATS);
  const topic = pick(pool.topics);
  const words = (min: number, max: number) => {
    const vocabulary = VOCABULARY[pool.language];
    const count = min + Math.floor(rand() * (max - min + 1));
    return Array.from({ length: count }, () => pick(vocabulary)).join(' ');
  };
  const frame = pick(pool.frames).replace('{t}', topic);
  const question = corpus === 'varied' ? `${frame} ${words(3, 7)} (#${i})` : `${frame} (#${i})`;
  const answer = corpus === 'varied' ? `${pick(pool.answers)} ${words(1, 4)}` : pick(pool.answers);
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
    authorId: authorIds[i % authorIds.length],
    version: 1,
    createdAt: at,
    updatedAt: at,
    submittedAt: status === 'draft' ? null : at,
  };
}
