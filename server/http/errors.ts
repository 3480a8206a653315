import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DatabaseUnavailableError } from '../db/postgres/errors.ts';
import { AppError } from '../errors.ts';

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
    if (err instanceof DatabaseUnavailableError) {
      // PostgreSQL's connection was lost or refused (server restarted, failover, network): the server keeps
      // running, the pool opens new connections once the database is back, and the client tries again. The
      // driver's message (which names the location) is for the log only.
      log('database unavailable', err);
      res
        .status(503)
        .set('Retry-After', String(err.retryAfterSeconds))
        .json({
          error: { code: 'database-unavailable', message: 'The database is unavailable; try again shortly' },
        });
      return;
    }
    log('unhandled error', err);
    res.status(500).json({ error: { code: 'internal', message: 'Internal server error' } });
  };
}
