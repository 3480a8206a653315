import { submissionProblems, type ItemFields, type SubmissionProblem } from '../../../schema/item.ts';
import { problemText } from '../i18n/problems.ts';
import type { Problems } from './field-change.ts';

/** The order of the form, so "the first problem" is the first one on screen. */
const FORM_ORDER = [
  'question',
  'questionEn',
  'referenceAnswer',
  'acceptedAnswers',
  'options',
  'correctIndex',
  'trueFalseAnswer',
  'answerEn',
  'hazard',
  'attackStyle',
  'expectedBehavior',
  'primaryCategory',
  'difficulty',
  'secondaryTags',
  'country',
  'region',
  'rationale',
  'sources',
  'notes',
];
const formOrder = (path: string) => {
  const [root, index] = path.split('.');
  return FORM_ORDER.indexOf(root ?? path) * 100 + (index === undefined ? 0 : Number(index) + 1);
};

/** The problem paths a control covers, by its id: it counts as touched once focus has left it. */
export function touchedPaths(id: string): string[] {
  const m = /^(?:f-(\w+)|option-(\d+)|(correct)-\d+|(accepted)-\d+|(tf)-\w+|(source)-url-\d+)$/.exec(id);
  if (!m) return [];
  if (m[1]) return [m[1]];
  if (m[2]) return [`options.${m[2]}`, 'options'];
  if (m[3]) return ['correctIndex'];
  if (m[4]) return ['acceptedAnswers'];
  if (m[5]) return ['trueFalseAnswer'];
  return ['sources'];
}

export interface EditorProblemsInput {
  /** Fields kept on this device as invalid, by path (the autosaver's). */
  readonly invalid: Readonly<Record<string, string | undefined>>;
  /** Paths whose control the author has left. */
  readonly touched: ReadonlySet<string>;
  readonly submitTried: boolean;
  /** The server's answer to the last Submit. */
  readonly server: readonly SubmissionProblem[];
}

/**
 * What blocks Submit (`list`, in form order), and the problems shown next to fields (`byPath`): a field's
 * submission problems once it was touched or Submit was tried; fields kept on this device as invalid and the
 * server's answer always.
 */
export function editorProblems(
  fields: ItemFields,
  input: EditorProblemsInput,
): { list: SubmissionProblem[]; byPath: Problems } {
  const list = [...submissionProblems(fields)];
  const invalid: SubmissionProblem[] = Object.entries(input.invalid).map(([path, message]) => ({
    path,
    code: 'invalid',
    message: message ?? '',
  }));
  list.push(...invalid);
  list.sort((a, b) => formOrder(a.path) - formOrder(b.path));
  const shown = input.submitTried ? list : list.filter((p) => input.touched.has(p.path));
  const byPath: Problems = {};
  for (const p of [...invalid, ...shown, ...input.server]) byPath[p.path] ??= problemText(p);
  return { list, byPath };
}
