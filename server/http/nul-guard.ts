import type { RequestHandler } from 'express';
import { AppError } from '../errors.ts';

/**
 * U+0000 (NUL) is refused in everything a request carries as text: PostgreSQL's text cannot store it (SQLite
 * can), so letting it through would give a 500 on one engine only, and a SQLite database holding it could not be
 * copied to PostgreSQL. `path` names where it was: a body field (`question`, `changes.notes`), `query.<name>`, or
 * `url`. Bodies are checked by jsonBody (json-body.ts), uploaded files row by row by their readers.
 */
export const nulCharacter = (path: string) =>
  new AppError(
    400,
    'nul-character',
    'The request holds a NUL character (U+0000), which no text may contain',
    {
      path,
    },
  );

const NUL = '\u0000';

/** The URL's path and query string: a NUL escaped as %00 anywhere in them is refused before any route reads it. */
export function nulGuard(): RequestHandler {
  return (req, _res, next) => {
    const [path] = req.originalUrl.split('?', 1);
    if (/%00/i.test(path) || path.includes(NUL)) throw nulCharacter('url');
    for (const [name, value] of Object.entries(req.query as Record<string, unknown>)) {
      const values = Array.isArray(value) ? (value as unknown[]) : [value];
      if (name.includes(NUL) || values.some((v) => typeof v === 'string' && v.includes(NUL))) {
        throw nulCharacter(`query.${name}`);
      }
    }
    next();
  };
}
