import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

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

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'route-not-found', `No route for ${req.method} ${req.path}`));
};

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/** Central error handler: known errors keep their status; body-parser errors become 4xx; the rest 500. */
export function errorHandler(log: (msg: string, err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof AppError) {
      res.status(err.status).json({
        error: {
          code: err.code,
          message: err.message,
          ...(err.details === undefined ? {} : { details: err.details }),
        },
      });
      return;
    }
    const e = (err ?? {}) as HttpLikeError;
    const status = e.status ?? e.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code =
        e.type === 'entity.too.large'
          ? 'payload-too-large'
          : e.type === 'entity.parse.failed'
            ? 'malformed-json'
            : e.type === 'encoding.unsupported' || e.type === 'charset.unsupported'
              ? 'unsupported-encoding'
              : 'bad-request';
      const message =
        code === 'payload-too-large'
          ? 'Request body is too large'
          : code === 'malformed-json'
            ? 'Request body is not valid JSON'
            : (e.expose && e.message) || 'Bad request';
      res.status(status).json({ error: { code, message } });
      return;
    }
    if ((err as { code?: unknown } | null)?.code === 'SQLITE_BUSY') {
      // Another writer held the database past the busy timeout: nothing was written, and a retry may pass.
      log('database busy', err);
      res
        .status(503)
        .set('Retry-After', '1')
        .json({ error: { code: 'database-busy', message: 'The database is busy; try again in a moment' } });
      return;
    }
    log('unhandled error', err);
    res.status(500).json({ error: { code: 'internal', message: 'Internal server error' } });
  };
}
