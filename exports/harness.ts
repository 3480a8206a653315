import type { DatasetRecord, ReleaseFile, ReleaseSnapshot } from '../schema/release.ts';
import { encodeLines, jsonlLine } from './jsonl.ts';
import { recordsByLanguage } from './record.ts';
import { utf8, yamlString } from './text.ts';

/**
 * Multiple-choice view in the shape of INCLUDE (CohereForAI/include-base-44): the same keys, with
 * `choices` holding 2–6 options and `answer` the 0-based index of the correct one.
 */
export function includeRecord(r: DatasetRecord) {
  return {
    id: r.id,
    language: r.language,
    country: r.locale.country,
    domain: r.category?.split('/')[0] ?? null,
    subject: r.category,
    regional_feature: r.locale.region,
    level: r.difficulty,
    question: r.question,
    choices: r.choices ?? [],
    answer: r.answer_index ?? 0,
  };
}

/**
 * Short-answer view in the shape of BLEnD's annotations (nayeon212/BLEnD): one annotation group holding
 * every accepted variant (`answers`) and its English gloss (`en_answers`); `count` is the number of
 * independent validations. `answers` is repeated at the top level so harnesses can use it directly.
 */
export function blendRecord(r: DatasetRecord) {
  const answers = r.accepted_answers ?? [];
  return {
    ID: r.id,
    language: r.language,
    country: r.locale.country,
    region: r.locale.region,
    topic: r.category,
    question: r.question,
    en_question: r.question_en,
    answers,
    annotations: [
      { answers, en_answers: r.answer_en === null ? [] : [r.answer_en], count: r.annotation.validations },
    ],
  };
}

const isMcq = (r: DatasetRecord) => r.kind === 'culture' && r.format === 'multiple_choice';
const isShortAnswer = (r: DatasetRecord) => r.kind === 'culture' && r.format === 'short_answer';
const mcqPath = (language: string) => `harness/mcq/${language}.jsonl`;
const shortAnswerPath = (language: string) => `harness/short_answer/${language}.jsonl`;

/** The harness view file a record has a row in (culture multiple-choice and short-answer items), or null. */
export function harnessViewPath(r: DatasetRecord): string | null {
  return isMcq(r) ? mcqPath(r.language) : isShortAnswer(r) ? shortAnswerPath(r.language) : null;
}

/** The record's row in its harness view file (see harnessViewPath), or null. */
export function harnessViewRow(r: DatasetRecord): object | null {
  return isMcq(r) ? includeRecord(r) : isShortAnswer(r) ? blendRecord(r) : null;
}

/** lm-evaluation-harness task names allow letters, digits and underscores. */
function taskId(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

export function taskNames(slug: string, view: 'mcq' | 'short_answer', language: string) {
  return { tag: `${taskId(slug)}_${view}`, task: `${taskId(slug)}_${view}_${taskId(language)}` };
}

function lmEvalHeader(snapshot: ReleaseSnapshot, view: string, language: string, tag: string): string[] {
  return [
    `# lm-evaluation-harness task: ${snapshot.dataset.slug} ${snapshot.version}, ${view}, ${language}.`,
    '# Run from the release root (data_files paths are relative to it):',
    `#   lm_eval --model hf --model_args pretrained=<model> --include_path harness/lm-eval --tasks ${tag}`,
  ];
}

function mcqTask(snapshot: ReleaseSnapshot, language: string, dataPath: string): string {
  const { tag, task } = taskNames(snapshot.dataset.slug, 'mcq', language);
  return (
    [
      ...lmEvalHeader(snapshot, 'multiple choice', language, tag),
      `task: ${task}`,
      'tag:',
      `  - ${tag}`,
      'dataset_path: json',
      'dataset_kwargs:',
      '  data_files:',
      `    test: ${yamlString(dataPath)}`,
      'test_split: test',
      'output_type: multiple_choice',
      `doc_to_text: ${yamlString(
        "{{question.strip()}}\n{% for c in choices %}{{ 'ABCDEF'[loop.index0] }}. {{ c }}\n{% endfor %}Answer:",
      )}`,
      `doc_to_choice: ${yamlString("{{ ['A', 'B', 'C', 'D', 'E', 'F'][:choices|length] }}")}`,
      'doc_to_target: answer',
      'metric_list:',
      '  - metric: acc',
      '    aggregation: mean',
      '    higher_is_better: true',
      'metadata:',
      '  version: 1.0',
      `  release: ${yamlString(snapshot.version)}`,
    ].join('\n') + '\n'
  );
}

function shortAnswerTask(snapshot: ReleaseSnapshot, language: string, dataPath: string): string {
  const { tag, task } = taskNames(snapshot.dataset.slug, 'short_answer', language);
  return (
    [
      ...lmEvalHeader(snapshot, 'short answer', language, tag),
      `task: ${task}`,
      'tag:',
      `  - ${tag}`,
      'dataset_path: json',
      'dataset_kwargs:',
      '  data_files:',
      `    test: ${yamlString(dataPath)}`,
      'test_split: test',
      'output_type: generate_until',
      `doc_to_text: ${yamlString('{{question.strip()}}\nAnswer:')}`,
      '# A list target: a generation matching any accepted variant counts as correct.',
      'doc_to_target: answers',
      'generation_kwargs:',
      '  until:',
      `    - ${yamlString('\n')}`,
      '  do_sample: false',
      '  max_gen_toks: 64',
      'filter_list:',
      '  - name: remove_whitespace',
      '    filter:',
      '      - function: remove_whitespace',
      '      - function: take_first',
      'metric_list:',
      '  - metric: exact_match',
      '    aggregation: mean',
      '    higher_is_better: true',
      '    ignore_case: true',
      '    ignore_punctuation: true',
      'metadata:',
      '  version: 1.0',
      `  release: ${yamlString(snapshot.version)}`,
    ].join('\n') + '\n'
  );
}

/**
 * harness/: the INCLUDE-like multiple-choice view and the BLEnD-like short-answer view per language (culture
 * items of those formats only), and an lm-evaluation-harness task YAML over each view file.
 */
export function harnessFiles(snapshot: ReleaseSnapshot, records: readonly DatasetRecord[]): ReleaseFile[] {
  const files: ReleaseFile[] = [];
  for (const [language, rows] of recordsByLanguage(records)) {
    const mcq = rows.filter(isMcq);
    if (mcq.length > 0) {
      const path = mcqPath(language);
      files.push({ path, bytes: encodeLines(mcq.map((r) => jsonlLine(includeRecord(r)))) });
      const { task } = taskNames(snapshot.dataset.slug, 'mcq', language);
      files.push({ path: `harness/lm-eval/${task}.yaml`, bytes: utf8(mcqTask(snapshot, language, path)) });
    }
    const short = rows.filter(isShortAnswer);
    if (short.length > 0) {
      const path = shortAnswerPath(language);
      files.push({ path, bytes: encodeLines(short.map((r) => jsonlLine(blendRecord(r)))) });
      const { task } = taskNames(snapshot.dataset.slug, 'short_answer', language);
      files.push({
        path: `harness/lm-eval/${task}.yaml`,
        bytes: utf8(shortAnswerTask(snapshot, language, path)),
      });
    }
  }
  return files;
}
