import {
  importFieldNames,
  importMappingSchema,
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
  columns: Object.fromEntries(importFieldNames.map((f) => [f, f])),
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
        context: 'context',
        origin: 'origin',
        license: 'license',
        metadata: 'metadata',
      },
    },
  },
  blend: {
    description:
      'BLEnD short-answer annotations (one JSON file per country: [{ID, question, en_question, annotations: ' +
      '[{answers, en_answers, count}], idks}]; format json): every answer variant of every annotation group is ' +
      'accepted; annotations (with how many annotators gave each group) and idks are kept in metadata. The files ' +
      'name no language, country or topic: give defaults.language, defaults.country (a code or a name such as ' +
      '"South Korea") and defaults.primaryCategory. Licence cc-by-sa-4.0 (share-alike). Also reads older ' +
      'BLEnD-shaped rows with answers, topic, language and country columns.',
    mapping: {
      columns: {
        ID: 'externalId',
        language: 'language',
        country: 'country',
        region: 'region',
        topic: 'primaryCategory',
        question: 'question',
        en_question: 'questionEn',
        'annotations[].answers': 'acceptedAnswers',
        answers: 'acceptedAnswers',
      },
      defaults: { kind: 'culture', format: 'short_answer', license: 'cc-by-sa-4.0' },
      values: { primaryCategory: topicValues },
      metadata: ['annotations'],
      keepOtherColumns: true,
      benchmark: 'blend',
    },
  },
  click: {
    description:
      'CLIcK Korean multiple choice (id, paragraph, question, choices, answer as the text of the correct choice; ' +
      "json or jsonl): the paragraph is the item's context; language ko, country KR; give defaults.primaryCategory " +
      'and defaults.license (CLIcK names none).',
    mapping: {
      columns: {
        id: 'externalId',
        question: 'question',
        choices: 'options',
        answer: 'correctIndex',
        paragraph: 'context',
      },
      defaults: { language: 'ko', country: 'KR', kind: 'culture', format: 'multiple_choice' },
      answer: 'text',
      keepOtherColumns: true,
      benchmark: 'click',
    },
  },
  kmmlu: {
    description:
      'KMMLU Korean multiple choice (question, A, B, C, D, answer 1–4, Category, Human Accuracy): language ko, ' +
      'country KR; Category and Human Accuracy are kept in metadata; give defaults.primaryCategory. Licence ' +
      'cc-by-nd-4.0.',
    mapping: {
      columns: {
        id: 'externalId',
        question: 'question',
        A: 'options',
        B: 'options',
        C: 'options',
        D: 'options',
        answer: 'correctIndex',
      },
      defaults: {
        language: 'ko',
        country: 'KR',
        kind: 'culture',
        format: 'multiple_choice',
        license: 'cc-by-nd-4.0',
      },
      answer: 'index1',
      keepOtherColumns: true,
      benchmark: 'kmmlu',
    },
  },
  include: {
    description:
      'INCLUDE multiple choice (language and country as English names such as "Korean" and "South Korea", ' +
      'domain, subject, regional_feature, level, question, option_a…option_d or choices, answer 0-based): names ' +
      'become a BCP-47 tag and an ISO 3166 code (unknown names are reported per row); common subjects map to ' +
      'categories, others take defaults.primaryCategory; language, country, subject and every other column are kept in metadata as written. Licence ' +
      'apache-2.0.',
    mapping: {
      columns: {
        id: 'externalId',
        language: 'language',
        country: 'country',
        subject: 'primaryCategory',
        question: 'question',
        choices: 'options',
        option_a: 'options',
        option_b: 'options',
        option_c: 'options',
        option_d: 'options',
        answer: 'correctIndex',
      },
      defaults: { kind: 'culture', format: 'multiple_choice', license: 'apache-2.0' },
      values: { primaryCategory: topicValues },
      unlistedValues: 'default',
      answer: 'index0',
      metadata: ['language', 'country', 'subject'],
      keepOtherColumns: true,
      benchmark: 'include',
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
