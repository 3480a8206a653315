import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.ts';

/** Whether the request carries a body at all (a length of 0 is none; chunked is one). */
export const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * A route's own parser for a raw file body (CSV, JSONL…): the route's handler reads the request as a stream
 * (never buffered whole); a body of any other type is 415 with `message`. Routes that declare it are mounted
 * before the JSON-only guard (jsonBody), which refuses non-JSON everywhere else. Cookie-authenticated uploads
 * are still CSRF-checked like any write.
 */
export function rawBody(
  types: readonly string[],
  message = `Send the file as ${types.join(', ')}`,
): RequestHandler {
  return (req, _res, next) => {
    if (hasBody(req) && !req.is([...types])) throw new AppError(415, 'unsupported-media-type', message);
    next();
  };
}
