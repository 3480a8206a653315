import {
  importFieldNames,
  importMappingSchema,
  type ImportField,
  type ImportMappingInput,
  type ImportPreset,
  type ImportPresetName,
} from '../../../schema/import.ts';

/** Socio-cultural categories for the topic and subject names public benchmarks use. */
const TOPIC_CATEGORIES: Record<string, string> = {
  food: 'tradition/food',
  sport: 'popular-culture/sports',
  sports: 'popular-culture/sports',
  family: 'society/family',
  education: 'society/education',
  holidays: 'tradition/holidays',
  'holidays/celebration/leisure': 'tradition/holidays',
  'work-life': 'society/work',
  'work life': 'society/work',
  history: 'history',
  geography: 'geography',
  law: 'law',
  politics: 'politics-and-government',
  economy: 'economy',
  economics: 'economy',
  society: 'society',
  tradition: 'tradition',
  'pop culture': 'popular-culture',
  'popular culture': 'popular-culture',
  'korean language': 'language',
  language: 'language',
  religion: 'society/religion',
};
/** The same names capitalised as they appear in the files (values are matched exactly). */
const topicValues = Object.fromEntries(
  Object.entries(TOPIC_CATEGORIES).flatMap(([k, v]) => [
    [k, v],
    [k.replace(/(^|[\s/-])\p{L}/gu, (c) => c.toUpperCase()), v],
  ]),
);

const native: ImportMappingInput = {
  columns: Object.fromEntries(importFieldNames.map((f) => [f, f])) as Record<string, ImportField>,
};

const definitions: Record<ImportPresetName, { description: string; mapping: ImportMappingInput }> = {
  native: {
    description:
      'Columns named after the item fields (externalId, language, country, kind, format, question, …); ' +
      'lists as JSON arrays or separated by |.',
    mapping: native,
  },
  release: {
    description:
      'Records of a Culture Studio release (data/<language>/test.jsonl or csv/test.csv): re-import a release.',
    mapping: {
      columns: {
        id: 'externalId',
        language: 'language',
        'locale.country': 'country',
        'locale.region': 'region',
        kind: 'kind',
        format: 'format',
        question: 'question',
        question_en: 'questionEn',
        choices: 'options',
        answer_index: 'correctIndex',
        answer: 'trueFalseAnswer',
        reference_answer: 'referenceAnswer',
        answer_en: 'answerEn',
        accepted_answers: 'acceptedAnswers',
        rationale: 'rationale',
        sources: 'sources',
        category: 'primaryCategory',
        tags: 'secondaryTags',
        difficulty: 'difficulty',
        'safety.hazard': 'hazard',
        'safety.attack_style': 'attackStyle',
        'safety.expected_behavior': 'expectedBehavior',
      },
    },
  },
  blend: {
    description:
      'BLEnD-shaped short-answer questions (ID, question, en_question, answers, topic, country): ' +
      'kind culture, format short_answer; topics map to categories.',
    mapping: {
      columns: {
        ID: 'externalId',
        language: 'language',
        country: 'country',
        region: 'region',
        topic: 'primaryCategory',
        question: 'question',
        en_question: 'questionEn',
        answers: 'acceptedAnswers',
      },
      defaults: { kind: 'culture', format: 'short_answer' },
      values: { primaryCategory: topicValues },
    },
  },
  click: {
    description:
      'CLIcK-shaped Korean multiple choice (id, paragraph, question, choices, answer as the text of the ' +
      'correct choice): language ko, country KR; give defaults.primaryCategory.',
    mapping: {
      columns: {
        id: 'externalId',
        question: 'question',
        choices: 'options',
        answer: 'correctIndex',
        paragraph: 'notes',
      },
      defaults: { language: 'ko', country: 'KR', kind: 'culture', format: 'multiple_choice' },
      answer: 'text',
    },
  },
  kmmlu: {
    description:
      'KMMLU-shaped Korean multiple choice (question, A, B, C, D, answer 1–4, Category): language ko, ' +
      'country KR; the category goes to notes, give defaults.primaryCategory.',
    mapping: {
      columns: {
        id: 'externalId',
        question: 'question',
        A: 'options',
        B: 'options',
        C: 'options',
        D: 'options',
        answer: 'correctIndex',
        Category: 'notes',
      },
      defaults: { language: 'ko', country: 'KR', kind: 'culture', format: 'multiple_choice' },
      answer: 'index1',
    },
  },
  include: {
    description:
      'INCLUDE-shaped multiple choice (id, language, country, subject, question, choices or ' +
      'option_a…option_d, answer 0-based); subjects map to categories.',
    mapping: {
      columns: {
        id: 'externalId',
        language: 'language',
        country: 'country',
        regional_feature: 'region',
        subject: 'primaryCategory',
        question: 'question',
        choices: 'options',
        option_a: 'options',
        option_b: 'options',
        option_c: 'options',
        option_d: 'options',
        answer: 'correctIndex',
      },
      defaults: { kind: 'culture', format: 'multiple_choice' },
      values: { primaryCategory: topicValues },
      answer: 'index0',
    },
  },
};

/** Every preset, parsed once (so defaults are filled in exactly as for a mapping sent by a client). */
export const importPresets: ImportPreset[] = Object.entries(definitions).map(([name, d]) => ({
  name: name as ImportPresetName,
  description: d.description,
  mapping: importMappingSchema.parse(d.mapping),
}));

export function importPreset(name: ImportPresetName): ImportPreset {
  const preset = importPresets.find((p) => p.name === name);
  if (!preset) throw new Error(`no import preset ${name}`);
  return preset;
}
