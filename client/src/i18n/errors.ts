import { en, type MessageKey } from './en.ts';
import { msg } from './index.ts';
import { itemFieldLabel } from './labels.ts';

/** A field problem as the server sends it in `details.issues` (see `fieldIssues` on the server). */
export interface FieldIssue {
  path: string;
  code: string;
  message: string;
}

const known = (key: string): key is MessageKey => Object.hasOwn(en, key);

/** The issues of an error answer (`invalid-input`, `username-taken`, …), or none. */
export function issuesOf(err: unknown): FieldIssue[] {
  const details = (err as { details?: { issues?: unknown } } | null)?.details;
  const issues = details?.issues;
  return Array.isArray(issues) ? (issues as FieldIssue[]) : [];
}

/** One field problem in the interface language, by its code; the server's wording only for codes we do not know. */
export function issueText(issue: Pick<FieldIssue, 'code' | 'message'>): string {
  const key = `fieldErr_${issue.code}`;
  return known(key) ? msg(key) : issue.message;
}

/** The field an issue's path is about: `languages.1` → `languages`, `changes.language` → `language`. */
export const fieldOf = (path: string): string =>
  path.split('.').find((p) => !/^\d+$/.test(p) && p !== 'changes' && p !== 'filter') ?? path;

/**
 * Field problems keyed by field, in the interface language, for showing next to the fields; the first problem of
 * a field wins.
 */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issuesOf(err)) out[fieldOf(issue.path)] ??= issueText(issue);
  return out;
}

/** What to show for an error answer: its code in the interface language, else the server's message; never raw details. */
export function errorMessage(code: string, message: string): string {
  const key = `error_${code}`;
  return known(key) ? msg(key) : message;
}

/** Fields outside items that error answers name, with their form labels. */
const FORM_FIELDS: Partial<Record<string, MessageKey>> = {
  username: 'username',
  password: 'password',
  displayName: 'displayName',
  role: 'role',
  languages: 'languages',
};

/** The field an issue's path names, for people (`changes.questionEn` → "English gloss", `languages.1` → "Languages"). */
export function fieldName(path: string): string {
  const field = fieldOf(path);
  const key = FORM_FIELDS[field];
  return key ? msg(key) : itemFieldLabel(field);
}
