/**
 * Prompts for collecting responses. A template is text with placeholders ({question}, {options},
 * {language}, {country}, {region}); without one, each item gets its format's default template in its own
 * language (English where we have no translation). docs/scoring.md lists the placeholders and defaults.
 */
import type { ItemFormat } from '../../../schema/item.ts';
import type { ReleaseItemFields } from '../../../schema/release.ts';
import { optionLabels } from './extract.ts';

type Instructions = Record<ItemFormat, string>;

const EN: Instructions = {
  multiple_choice: '{question}\n\n{options}\n\nAnswer with the letter of the correct option only.',
  short_answer: '{question}\n\nAnswer with a short phrase only.',
  true_false: '{question}\n\nAnswer with "true" or "false" only.',
  open_ended: '{question}',
};

/** Default templates by primary language subtag. */
export const DEFAULT_TEMPLATES: Record<string, Instructions> = {
  en: EN,
  ko: {
    multiple_choice: '{question}\n\n{options}\n\n정답 보기의 기호(가, 나, 다, 라 …)만 답하세요.',
    short_answer: '{question}\n\n짧은 구로만 답하세요.',
    true_false: '{question}\n\n"참" 또는 "거짓"으로만 답하세요.',
    open_ended: '{question}',
  },
  ar: {
    multiple_choice: '{question}\n\n{options}\n\nأجب بحرف الخيار الصحيح فقط (أ، ب، ج، د …).',
    short_answer: '{question}\n\nأجب بعبارة قصيرة فقط.',
    true_false: '{question}\n\nأجب بـ "صحيح" أو "خطأ" فقط.',
    open_ended: '{question}',
  },
  th: {
    multiple_choice: '{question}\n\n{options}\n\nตอบเฉพาะตัวอักษรของตัวเลือกที่ถูกต้อง (ก ข ค ง …) เท่านั้น',
    short_answer: '{question}\n\nตอบเป็นวลีสั้น ๆ เท่านั้น',
    true_false: '{question}\n\nตอบว่า "จริง" หรือ "เท็จ" เท่านั้น',
    open_ended: '{question}',
  },
  hi: {
    multiple_choice: '{question}\n\n{options}\n\nकेवल सही विकल्प का अक्षर (क, ख, ग, घ …) लिखें।',
    short_answer: '{question}\n\nकेवल एक छोटे वाक्यांश में उत्तर दें।',
    true_false: '{question}\n\nकेवल "सत्य" या "असत्य" में उत्तर दें।',
    open_ended: '{question}',
  },
  sw: {
    multiple_choice: '{question}\n\n{options}\n\nJibu kwa herufi ya chaguo sahihi pekee.',
    short_answer: '{question}\n\nJibu kwa kifungu kifupi pekee.',
    true_false: '{question}\n\nJibu "kweli" au "si kweli" pekee.',
    open_ended: '{question}',
  },
};

export function defaultTemplate(language: string, format: ItemFormat): string {
  const lang = language.split('-')[0].toLowerCase();
  return (DEFAULT_TEMPLATES[lang] ?? EN)[format];
}

/** The options as a labelled list in the language's convention (`가. …` in Korean, `A. …` by default). */
export function formatOptions(item: Pick<ReleaseItemFields, 'options' | 'language'>): string {
  const labels = optionLabels(item.language);
  return item.options.map((o, i) => `${labels[i]}. ${o}`).join('\n');
}

/**
 * Fills a template; unknown {placeholders} stay as written. An item with a passage (`context`) gets it where
 * the template says {context}, or, when the template does not place it, before everything else: a question
 * about a passage cannot be answered without it.
 */
export function renderPrompt(template: string | null, item: ReleaseItemFields): string {
  // `?? ''`: snapshots frozen before items had a context.
  const context = (item.context ?? '').trim();
  let text = template ?? defaultTemplate(item.language, item.format);
  if (context !== '' && !text.includes('{context}')) text = `{context}\n\n${text}`;
  const values: Record<string, string> = {
    context,
    question: item.question,
    options: item.format === 'multiple_choice' ? formatOptions(item) : '',
    language: item.language,
    country: item.country ?? '',
    region: item.region ?? '',
  };
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole).trim();
}
