import type { ReleaseFile, ReleaseSnapshot } from '../schema/release.ts';
import type { HarnessView } from './harness.ts';
import { lmEvalUtilsPy } from './lm-eval-utils.ts';
import { utf8, yamlString } from './text.ts';

/** The folder of the lm-evaluation-harness tasks in a release (its --include_path). */
export const LM_EVAL_DIR = 'harness/lm-eval';

/** lm-evaluation-harness task names allow letters, digits and underscores. */
function taskId(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/**
 * The names of a release's lm-eval group, tags and tasks. They carry the dataset slug and the version, so
 * the tasks of two releases (or two datasets) can sit on one include path.
 */
export function taskNames(slug: string, version: string, view?: HarnessView['view'], language?: string) {
  const group = `${taskId(slug)}_${taskId(version)}`;
  const tag = view ? `${group}_${view}` : group;
  return { group, tag, task: view && language ? `${tag}_${taskId(language)}` : group };
}

/** The exact command that runs every task of the release, one overall score plus one per task. */
export function lmEvalCommand(snapshot: Pick<ReleaseSnapshot, 'dataset' | 'version'>): string {
  const { group } = taskNames(snapshot.dataset.slug, snapshot.version);
  const folder = `${snapshot.dataset.slug}-${snapshot.version}`;
  return `lm_eval --model hf --model_args pretrained=<model> --include_path /path/to/${folder}/${LM_EVAL_DIR} --tasks ${group}`;
}

function header(snapshot: ReleaseSnapshot, what: string): string[] {
  return [
    `# lm-evaluation-harness: ${snapshot.dataset.slug} ${snapshot.version}, ${what}.`,
    '# Data files are found relative to the release folder (utils.py), so this runs from any directory:',
    `#   ${lmEvalCommand(snapshot)}`,
  ];
}

/** The lines every task shares: its names and its view file, loaded by utils.load_data_files. */
function taskStart(snapshot: ReleaseSnapshot, view: HarnessView, what: string): string[] {
  const { tag, task } = taskNames(snapshot.dataset.slug, snapshot.version, view.view, view.language);
  return [
    ...header(snapshot, `${what}, ${view.language}`),
    `task: ${task}`,
    'tag:',
    `  - ${tag}`,
    'custom_dataset: !function utils.load_data_files',
    'dataset_kwargs:',
    '  data_files:',
    `    test: ${yamlString(view.path)}`,
    // Few-shot examples come from the exemplars maintainers marked (the dev split), never from the test items.
    ...(view.devPath ? [`    dev: ${yamlString(view.devPath)}`] : []),
    'test_split: test',
    ...(view.devPath ? ['fewshot_split: dev'] : []),
  ];
}

const metadata = (snapshot: ReleaseSnapshot) => [
  'metadata:',
  '  version: 1.0',
  `  release: ${yamlString(snapshot.version)}`,
];

/** Multiple choice over the INCLUDE-shaped view, prompted as INCLUDE's own lm-eval tasks prompt. */
function mcqTask(snapshot: ReleaseSnapshot, view: HarnessView): string {
  return (
    [
      ...taskStart(snapshot, view, 'multiple choice (INCLUDE-shaped)'),
      'output_type: multiple_choice',
      `doc_to_text: ${yamlString(
        '{{question.strip()}}\nA. {{option_a}}\nB. {{option_b}}\nC. {{option_c}}\nD. {{option_d}}\nAnswer:',
      )}`,
      'doc_to_choice:',
      '  - A',
      '  - B',
      '  - C',
      '  - D',
      'doc_to_target: answer',
      'metric_list:',
      '  - metric: acc',
      '    aggregation: mean',
      '    higher_is_better: true',
      ...metadata(snapshot),
    ].join('\n') + '\n'
  );
}

/** Short answer over the BLEnD-shaped view, scored by utils.py as Culture Studio scores it. */
function shortAnswerTask(snapshot: ReleaseSnapshot, view: HarnessView): string {
  return (
    [
      ...taskStart(snapshot, view, 'short answer (BLEnD-shaped)'),
      'output_type: generate_until',
      `doc_to_text: ${yamlString('{{question.strip()}}\nAnswer:')}`,
      `doc_to_target: ${yamlString('{{annotations[0].answers[0]}}')}`,
      'generation_kwargs:',
      '  until:',
      `    - ${yamlString('\n')}`,
      '  do_sample: false',
      '  max_gen_toks: 64',
      '# Correct when the answer matches any accepted variant of any annotation group after normalisation',
      '# (Unicode punctuation stripped, case and script variants folded), as in Culture Studio.',
      `process_results: !function utils.process_results_${taskId(view.language)}`,
      'metric_list:',
      '  - metric: acc',
      '    aggregation: mean',
      '    higher_is_better: true',
      ...metadata(snapshot),
    ].join('\n') + '\n'
  );
}

/** The group: every task of the release, and one overall accuracy weighted by each task's size. */
function groupConfig(snapshot: ReleaseSnapshot, tasks: readonly string[]): string {
  const { group } = taskNames(snapshot.dataset.slug, snapshot.version);
  return (
    [
      ...header(snapshot, 'every task, with one overall accuracy'),
      `group: ${group}`,
      'task:',
      ...tasks.map((t) => `  - ${t}`),
      'aggregate_metric_list:',
      '  - metric: acc',
      '    aggregation: mean',
      '    weight_by_size: true',
      ...metadata(snapshot),
    ].join('\n') + '\n'
  );
}

/** harness/lm-eval/: one task per view file, the group over them, and utils.py (none without views). */
export function lmEvalFiles(snapshot: ReleaseSnapshot, views: readonly HarnessView[]): ReleaseFile[] {
  if (views.length === 0) return [];
  const files: ReleaseFile[] = [];
  const tasks: string[] = [];
  for (const view of views) {
    const { task } = taskNames(snapshot.dataset.slug, snapshot.version, view.view, view.language);
    tasks.push(task);
    const text = view.view === 'mcq' ? mcqTask(snapshot, view) : shortAnswerTask(snapshot, view);
    files.push({ path: `${LM_EVAL_DIR}/${task}.yaml`, bytes: utf8(text) });
  }
  tasks.sort();
  const { group } = taskNames(snapshot.dataset.slug, snapshot.version);
  files.push({ path: `${LM_EVAL_DIR}/${group}.yaml`, bytes: utf8(groupConfig(snapshot, tasks)) });
  const shortAnswer = views
    .filter((v) => v.view === 'short_answer')
    .map((v) => ({ suffix: taskId(v.language), tag: v.language }));
  files.push({ path: `${LM_EVAL_DIR}/utils.py`, bytes: utf8(lmEvalUtilsPy(shortAnswer)) });
  return files;
}
