import type { RequestHandler } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { Role } from '../../schema/common.ts';
import type { Auth, AuthService } from '../domain/auth.ts';
import { AppError, forbidden, unauthenticated } from '../errors.ts';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: Auth;
  }
}

export const SESSION_COOKIE = 'cs_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Resolves the caller from a Bearer token or the session cookie. A cookie-authenticated write must
 * carry the session's CSRF token in X-CSRF-Token (synchronizer token); Bearer calls need none,
 * because browsers never attach them on their own.
 */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const a = m?.[1] ? await auth.fromBearer(m[1]) : undefined;
      if (!a) throw new AppError(401, 'invalid-token', 'The API token is invalid or revoked');
      req.auth = a;
      return next();
    }
    const cookie: unknown = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    // cookie-parser turns `j:…` values into JSON (objects, numbers, null); a session id is always a
    // plain string, so anything else is no session at all.
    if (typeof cookie === 'string' && cookie) {
      const a = await auth.fromSessionCookie(cookie);
      if (a) {
        if (!SAFE_METHODS.has(req.method)) {
          const sent = req.get(CSRF_HEADER);
          if (!sent || !a.csrfToken || !sameSecret(sent, a.csrfToken)) {
            throw new AppError(403, 'csrf-token-invalid', 'Missing or wrong X-CSRF-Token header');
          }
        }
        req.auth = a;
      }
    }
    next();
  };
}

export const requireUser: RequestHandler = (req, _res, next) => {
  if (!req.auth) throw unauthenticated();
  next();
};

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.auth) throw unauthenticated();
    if (!roles.includes(req.auth.user.role)) throw forbidden(`Requires role ${roles.join(' or ')}`);
    next();
  };
}

/** The authenticated caller; for handlers mounted behind requireUser/requireRole. */
export function caller(req: { auth?: Auth }): Auth {
  if (!req.auth) throw unauthenticated();
  return req.auth;
}
