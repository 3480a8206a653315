import express, { type RequestHandler } from 'express';
import { isUtf8 } from 'node:buffer';
import { AppError } from '../errors.ts';
import { hasBody } from './raw-body.ts';

/** A lone UTF-16 surrogate: with the `u` flag a well-formed pair reads as one astral code point. */
const LONE_SURROGATE = /\p{Cs}/u;

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

const pathOf = (visit: Visit) => {
  const keys: string[] = [];
  for (let v: Visit | null = visit; v && v.key !== null; v = v.parent) keys.unshift(v.key);
  return keys.join('.');
};

/**
 * The dotted path of a string (value or key) in `body` holding a lone surrogate, if there is one. A loop, not
 * recursion: a 1 MB body can nest far deeper than the call stack.
 */
function loneSurrogatePath(body: unknown): string | undefined {
  const stack: Visit[] = [{ value: body, key: null, parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return pathOf(visit);
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const next = { value: child, key: key.replace(/\p{Cs}/gu, '\uFFFD'), parent: visit };
        if (LONE_SURROGATE.test(key)) return pathOf(next);
        stack.push(next);
      }
    }
  }
  return undefined;
}

/**
 * The JSON-only guard and parser of every route that did not declare its own raw-body parser (rawBody, mounted
 * before this): a body that is not application/json is 415, since a cross-site HTML form cannot send JSON
 * without a CORS preflight (which also closes login CSRF). JSON bodies are refused rather than repaired: the
 * stock parser turns invalid UTF-8 into U+FFFD and JSON.parse accepts `"\ud800"` escapes, and either would be
 * stored as if it were text.
 */
export function jsonBody(): RequestHandler[] {
  return [
    (req, _res, next) => {
      if (hasBody(req) && !req.is('application/json')) {
        throw new AppError(415, 'unsupported-media-type', 'Send the body as application/json');
      }
      next();
    },
    express.json({
      limit: '1mb',
      strict: false,
      verify: (_req, _res, buf, encoding) => {
        if (encoding.toLowerCase() === 'utf-8' && !isUtf8(buf)) {
          throw new AppError(400, 'invalid-utf8', 'The request body is not valid UTF-8');
        }
      },
    }),
    (req, _res, next) => {
      const path = loneSurrogatePath(req.body);
      if (path !== undefined) {
        throw new AppError(
          400,
          'invalid-unicode',
          'The request body holds a lone UTF-16 surrogate (\\ud800–\\udfff without its pair)',
          { path },
        );
      }
      next();
    },
  ];
}
