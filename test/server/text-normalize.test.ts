import { describe, expect, it } from 'vitest';
import { extractShortAnswer } from '../../server/domain/scoring/extract.ts';
import {
  foldForSearch,
  foldForSearchMapped,
  matchesAnyVariant,
  normalizeAnswer,
} from '../../server/text-normalize.ts';

describe('normalizeAnswer', () => {
  it('folds case, removes punctuation and symbols, and collapses whitespace', () => {
    expect(normalizeAnswer('  Hello,   WORLD!! ', 'en')).toBe('hello world');
    expect(normalizeAnswer('Dar-es-Salaam', 'sw')).toBe('dar es salaam');
    expect(normalizeAnswer('£5 + 10%', 'en')).toBe('5 10');
  });

  it('applies NFKC, so full-width, half-width and presentation forms compare equal to the plain ones', () => {
    expect(normalizeAnswer('ＫＢＳ', 'ko')).toBe('kbs');
    expect(normalizeAnswer('ｶﾀｶﾅ', 'ja')).toBe('カタカナ');
    expect(normalizeAnswer('\uFEFB', 'ar')).toBe('لا'); // lam-alef ligature
  });

  it('removes zero-width and bidi format characters', () => {
    expect(normalizeAnswer('\u200Fعام\u200E', 'ar')).toBe('عام');
    expect(normalizeAnswer('\uFEFFjibu', 'sw')).toBe('jibu');
    expect(normalizeAnswer('कि\u200Dसान', 'hi')).toBe('किसान');
  });

  it('writes digits of any script as ASCII', () => {
    expect(normalizeAnswer('١٩٤٨', 'ar')).toBe('1948'); // Arabic-Indic
    expect(normalizeAnswer('۱۴۰۳', 'fa')).toBe('1403'); // Extended Arabic-Indic (Persian, Urdu)
    expect(normalizeAnswer('१९४७', 'hi')).toBe('1947'); // Devanagari
    expect(normalizeAnswer('๒๕๖๗', 'th')).toBe('2567'); // Thai
    expect(normalizeAnswer('১৯৭১', 'bn')).toBe('1971'); // Bengali
  });

  it('keeps the Turkish dotted and dotless i apart, and makes İ plain i elsewhere', () => {
    expect(normalizeAnswer('İSTANBUL', 'tr')).toBe('istanbul');
    expect(normalizeAnswer('ISPARTA', 'tr')).toBe('ısparta');
    expect(normalizeAnswer('ISPARTA', 'en')).toBe('isparta');
    expect(normalizeAnswer('İstanbul', 'en')).toBe('istanbul');
  });

  it('applies full case folding for final sigma and sharp s', () => {
    // Case folding (CaseFolding.txt) maps final ς to σ and ß to ss, whatever case the word was typed in.
    expect(normalizeAnswer('ΟΔΟΣ', 'el')).toBe('οδοσ');
    expect(normalizeAnswer('οδος', 'el')).toBe('οδοσ');
    expect(normalizeAnswer('Straße', 'de')).toBe('strasse');
    expect(normalizeAnswer('STRASSE', 'de')).toBe('strasse');
  });
});

describe('normalizeAnswer, per language', () => {
  it('ko: composes conjoining jamo and ignores spacing, which varies in Korean', () => {
    const decomposed = '\u1112\u1161\u11AB\u1100\u1173\u11AF'; // 한글 typed as jamo
    expect(normalizeAnswer(decomposed, 'ko')).toBe('한글');
    expect(normalizeAnswer('김치 찌개!', 'ko')).toBe('김치찌개');
    expect(normalizeAnswer('서울 특별시', 'ko-KR')).toBe('서울특별시');
  });

  it('ar: removes tatweel, harakat and Arabic punctuation', () => {
    const plain = 'القاهره'; // teh marbuta (ة) written as heh (ه), as below
    expect(normalizeAnswer('القاهرة', 'ar')).toBe(plain);
    expect(normalizeAnswer('القـــاهرة', 'ar')).toBe(plain);
    expect(normalizeAnswer('القَاهِرَة', 'ar')).toBe(plain);
    expect(normalizeAnswer('القاهرة؟', 'ar-EG')).toBe(plain);
    expect(normalizeAnswer('مصر، القاهرة', 'ar')).toBe('مصر القاهره');
  });

  it('ar: unifies the alef forms, alef maksura and teh marbuta', () => {
    expect(normalizeAnswer('ألفسيخ', 'ar')).toBe('الفسيخ');
    expect(normalizeAnswer('إسلام', 'ar')).toBe('اسلام');
    expect(normalizeAnswer('آمن', 'ar')).toBe('امن');
    expect(normalizeAnswer('ٱلله', 'ar')).toBe('الله');
    expect(normalizeAnswer('مستشفى', 'ar')).toBe('مستشفي');
    expect(normalizeAnswer('مدرسة', 'ar')).toBe('مدرسه');
  });

  it('he: removes niqqud and cantillation marks', () => {
    expect(normalizeAnswer('שָׁלוֹם', 'he')).toBe('שלום');
    expect(normalizeAnswer('בְּרֵאשִׁ֖ית', 'he')).toBe('בראשית');
  });

  it('ar: keeps harakat when asked to, but still removes tatweel', () => {
    expect(normalizeAnswer('القَـاهِرَة', 'ar', { stripArabicDiacritics: false })).toBe('القَاهِرَة');
  });

  it('th: removes all spaces and zero-width spaces, and unifies the two spellings of sara am', () => {
    expect(normalizeAnswer('กรุง\u200Bเทพ มหานคร', 'th')).toBe('กรุงเทพมหานคร');
    // ำ (U+0E33) versus nikhahit + sara aa (U+0E4D U+0E32), both seen in typed Thai.
    // NFKC decomposes ำ into ํ + า, so both spellings become the second.
    expect(normalizeAnswer('น้ำ', 'th')).toBe('น\u0E49\u0E4D\u0E32');
    expect(normalizeAnswer('น้\u0E4D\u0E32', 'th')).toBe('น\u0E49\u0E4D\u0E32');
    expect(normalizeAnswer('พ.ศ. ๒๕๖๗', 'th')).toBe('พศ2567');
  });

  it('hi: removes the danda, unifies precomposed and decomposed nukta letters, keeps vowel signs', () => {
    expect(normalizeAnswer('भारत।', 'hi')).toBe('भारत');
    // क़: U+0958 is a composition exclusion, so normalisation writes it as क + nukta.
    expect(normalizeAnswer('\u0958', 'hi')).toBe('\u0915\u093C');
    expect(normalizeAnswer('\u0915\u093C', 'hi')).toBe('\u0915\u093C');
    // Vowel signs and virama are combining marks too, but not diacritics: even stripDiacritics keeps them.
    expect(normalizeAnswer('दिल्ली', 'hi', { stripDiacritics: true })).toBe('दिल्ली');
  });

  it('sw: drops apostrophes inside words, whichever apostrophe was typed', () => {
    expect(normalizeAnswer("Ng'ombe", 'sw')).toBe('ngombe');
    expect(normalizeAnswer('ng’ombe', 'sw')).toBe('ngombe');
    expect(normalizeAnswer('NGOMBE', 'sw')).toBe('ngombe');
  });

  it('yo: keeps tone marks and dots below by default, whatever their encoding or order', () => {
    const composed = 'Ọ̀yọ́';
    const decomposed = 'O\u0323\u0300yo\u0323\u0301';
    const reordered = 'O\u0300\u0323yo\u0301\u0323';
    // NFC: ọ (U+1ECD, o with dot below) then the tone mark, which has no precomposed form with it.
    const oyo = '\u1ECD\u0300y\u1ECD\u0301';
    expect(normalizeAnswer(composed, 'yo')).toBe(oyo);
    expect(normalizeAnswer(decomposed, 'yo')).toBe(oyo);
    expect(normalizeAnswer(reordered, 'yo')).toBe(oyo);
    expect(normalizeAnswer('Oyo', 'yo')).toBe('oyo');
    // ọkọ́ (husband) and ọkọ̀ (vehicle) must stay different answers.
    expect(normalizeAnswer('ọkọ́', 'yo')).toBe('\u1ECDk\u1ECD\u0301');
    expect(normalizeAnswer('ọkọ̀', 'yo')).toBe('\u1ECDk\u1ECD\u0300');
  });

  it('yo: strips tone marks and dots below only when asked to', () => {
    expect(normalizeAnswer('Ọ̀yọ́', 'yo', { stripDiacritics: true })).toBe('oyo');
  });

  it('zh and ja: remove spaces and full-width punctuation', () => {
    expect(normalizeAnswer('臺北 市。', 'zh-Hant')).toBe('臺北市');
    expect(normalizeAnswer('東京 都「都庁」', 'ja')).toBe('東京都都庁');
  });
});

describe('matchesAnyVariant', () => {
  it('matches an answer against accepted variants after normalisation', () => {
    expect(matchesAnyVariant('  NG’OMBE. ', ["ng'ombe", 'mbuzi'], 'sw')).toBe(true);
    expect(matchesAnyVariant('القـاهرة', ['الإسكندرية', 'القَاهِرَة'], 'ar')).toBe(true);
    expect(matchesAnyVariant('김치 찌개', ['김치찌개'], 'ko')).toBe(true);
    expect(matchesAnyVariant('๒๕๖๗', ['2567'], 'th')).toBe(true);
  });

  it('does not match a different answer', () => {
    expect(matchesAnyVariant('mbuzi', ['ngombe'], 'sw')).toBe(false);
    expect(matchesAnyVariant('Oyo', ['Ọ̀yọ́'], 'yo')).toBe(false);
  });

  it('never matches an answer that normalises to nothing, nor an empty variant list', () => {
    expect(matchesAnyVariant('?!', ['...', ''], 'en')).toBe(false);
    expect(matchesAnyVariant('', [''], 'en')).toBe(false);
    expect(matchesAnyVariant('jibu', [], 'sw')).toBe(false);
  });
});

describe('short-answer scoring across Arabic spellings', () => {
  it('scores الفسيخ and ألفسيخ the same, whichever is the accepted variant', () => {
    expect(extractShortAnswer('ألفسيخ', ['الفسيخ'], 'ar')).toEqual({ correct: true, extracted: 'ألفسيخ' });
    expect(extractShortAnswer('الفسيخ', ['ألفسيخ'], 'ar')).toEqual({ correct: true, extracted: 'الفسيخ' });
    expect(matchesAnyVariant('مِصْر', ['مصر'], 'ar')).toBe(true);
    expect(matchesAnyVariant('القاهرة', ['القاهره'], 'ar')).toBe(true);
  });
});

describe('foldForSearch', () => {
  it('ar: ignores harakat and tatweel and unifies letter variants', () => {
    expect(foldForSearch('مِصْر')).toBe('مصر');
    expect(foldForSearch('القـــاهرة')).toBe('القاهره');
    expect(foldForSearch('أإآٱ ى ة')).toBe('اااا ي ه');
  });

  it('he: ignores niqqud', () => {
    expect(foldForSearch('שָׁלוֹם')).toBe('שלום');
  });

  it('CJK: unifies full-width and half-width forms, and only those', () => {
    expect(foldForSearch('ＫＢＳ１２３')).toBe('kbs123');
    expect(foldForSearch('ｶﾀｶﾅ')).toBe('カタカナ');
    expect(foldForSearch('東京\u3000タワー')).toBe('東京 タワー');
    // Compatibility forms outside the width block stay as typed: the ligature and the circled digit.
    expect(foldForSearch('\uFB01 \u2460')).toBe('\uFB01 \u2460');
  });

  it('Latin: folds case and accents, as the search did before', () => {
    expect(foldForSearch('Café İSTANBUL Ọ̀yọ́')).toBe('cafe istanbul oyo');
  });

  it('leaves Korean syllables, Thai and Devanagari as they are', () => {
    expect(foldForSearch('송편 반달')).toBe('송편 반달');
    expect(foldForSearch('น้ำ')).toBe('น้ำ');
    expect(foldForSearch('हिन्दी')).toBe('हिन्दी');
  });

  it('maps every folded character back to the text as typed, marks included', () => {
    // م ِ ص ْ ر: each haraka belongs to the letter before it.
    expect(foldForSearchMapped('مِصْر')).toEqual({ text: 'مصر', start: [0, 2, 4], end: [2, 4, 5] });
    // A full-width letter is one UTF-16 unit, and so is what it folds to.
    expect(foldForSearchMapped('Ｋa')).toEqual({ text: 'ka', start: [0, 1], end: [1, 2] });
  });
});
