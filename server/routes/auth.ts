import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { SessionInfo } from '../../schema/user.ts';
import { loginSchema } from '../../schema/user.ts';
import { SESSION_TTL_MS, type AuthService } from '../domain/auth.ts';
import { SESSION_COOKIE, caller, requireUser } from '../http/auth.ts';
import { parseInput } from '../http/errors.ts';

export interface LoginRateLimit {
  windowMs: number;
  limit: number;
}

/** /api/auth: login, logout, and the current session (user + CSRF token). */
export function authRouter(
  auth: AuthService,
  opts: { secureCookies: boolean; loginRateLimit: LoginRateLimit },
) {
  const router = Router();
  const loginLimiter = rateLimit({
    windowMs: opts.loginRateLimit.windowMs,
    limit: opts.loginRateLimit.limit,
    // Failed attempts only: a team behind one NAT logging in normally is never locked out.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res
        .status(429)
        .json({ error: { code: 'too-many-attempts', message: 'Too many failed logins; try again later' } });
    },
  });

  router.post('/login', loginLimiter, async (req, res) => {
    const { username, password } = parseInput(loginSchema, req.body);
    const { sessionToken, csrfToken, user } = await auth.login(username, password);
    res.cookie(SESSION_COOKIE, sessionToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
      path: '/',
      maxAge: SESSION_TTL_MS,
    });
    res.json({ user, csrfToken } satisfies SessionInfo);
  });

  router.post('/logout', requireUser, (req, res) => {
    const a = caller(req);
    if (a.sessionHash) auth.logout(a.sessionHash);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/session', requireUser, (req, res) => {
    const a = caller(req);
    res.json({ user: a.user, csrfToken: a.csrfToken ?? null } satisfies SessionInfo);
  });

  return router;
}
