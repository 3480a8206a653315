import express, { type RequestHandler } from 'express';
import { isUtf8 } from 'node:buffer';
import { AppError } from '../errors.ts';
import { nulCharacter } from './nul-guard.ts';
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

/** What no stored text may hold: a lone surrogate (not Unicode text), or U+0000 (PostgreSQL's text refuses it). */
const problemOf = (s: string) =>
  LONE_SURROGATE.test(s) ? 'lone-surrogate' : s.includes('\u0000') ? 'nul' : undefined;

/**
 * The first string (value or key) in `body` that no text may hold, with its dotted path, if there is one. A
 * loop, not recursion: a 1 MB body can nest far deeper than the call stack.
 */
function unstorableString(body: unknown): { path: string; problem: 'lone-surrogate' | 'nul' } | undefined {
  const stack: Visit[] = [{ value: body, key: null, parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === 'string') {
      const problem = problemOf(value);
      if (problem) return { path: pathOf(visit), problem };
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const next = { value: child, key: key.replace(/\p{Cs}/gu, '\uFFFD'), parent: visit };
        const problem = problemOf(key);
        if (problem) return { path: pathOf(next), problem };
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
      const found = unstorableString(req.body);
      if (found?.problem === 'nul') throw nulCharacter(found.path);
      if (found) {
        const { path } = found;
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
