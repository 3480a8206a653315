import { z } from 'zod';

/**
 * The application's errors, for every layer (database, domain, jobs, CLI, HTTP): an AppError carries the HTTP
 * status it answers with, so a domain rule can say "404" without knowing Express; server/http/errors.ts turns
 * them into responses.
 */
/** The one error type: an HTTP status, a stable kebab-case code, a message and optional details. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'bad-request', message, details);
export const notFound = (what = 'Resource') => new AppError(404, 'not-found', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') =>
  new AppError(403, 'forbidden', message);
export const unauthenticated = () => new AppError(401, 'unauthenticated', 'Log in first');
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);

export interface FieldIssue {
  path: string;
  code: string;
  message: string;
}

/**
 * zod issues as field-level details: a dotted path, a code and a message. A refinement of ours names its own
 * code in `params.code` (e.g. `invalid-language-tag`), so clients can word it in their language.
 */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => {
    const own = i.code === 'custom' ? (i.params as { code?: unknown } | undefined)?.code : undefined;
    return { path: i.path.join('.'), code: typeof own === 'string' ? own : i.code, message: i.message };
  });
}

/** Parses `input` with `schema`, throwing a 400 `invalid-input` with field-level details. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError(400, 'invalid-input', `Invalid ${where}`, { issues: fieldIssues(result.error) });
  }
  return result.data;
}
