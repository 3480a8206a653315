import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { SessionInfo } from '../../schema/user.ts';
import { loginSchema } from '../../schema/user.ts';
import { SESSION_TTL_MS, type AuthService } from '../domain/auth.ts';
import { tooManyAttempts, type LoginRateLimit } from '../domain/login-throttle.ts';
import type { RateLimiter } from '../domain/rate-limits.ts';
import { SharedRateLimitStore } from '../http/rate-limit-store.ts';
import { SESSION_COOKIE, caller, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';

export type { LoginRateLimit };

/** /api/auth: login, logout, and the current session (user + CSRF token), or whether there is one. */
export function authRouter(
  auth: AuthService,
  opts: { secureCookies: boolean; loginRateLimit: LoginRateLimit; services: { rateLimits: RateLimiter } },
) {
  const router = Router();
  // Per client address (req.ip, which honours only the configured trusted proxies), counted in the database with
  // every app instance (SharedRateLimitStore); the auth service also limits failures per username, whatever
  // address they come from.
  const loginLimiter = rateLimit({
    store: new SharedRateLimitStore(opts.services.rateLimits, 'login-address'),
    windowMs: opts.loginRateLimit.windowMs,
    limit: opts.loginRateLimit.limit,
    // Failed attempts only: a team behind one NAT logging in normally is never locked out.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Trusting no proxy is the documented default (CS_TRUST_PROXY): a forwarded header is then a
    // client's claim, ignored on purpose, not a misconfiguration to warn about.
    validate: { xForwardedForHeader: false },
    handler: () => {
      throw tooManyAttempts();
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

  router.post('/logout', requireUser, async (req, res) => {
    const a = caller(req);
    if (a.sessionHash) await auth.logout(a.sessionHash);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/session', requireUser, (req, res) => {
    const a = caller(req);
    res.json({ user: a.user, csrfToken: a.csrfToken ?? null } satisfies SessionInfo);
  });

  // The web app's start-up probe: signed out is an expected answer here, not an error, so it is a 200 (a 401
  // would be logged as a failed request in the browser console on every visit to the sign-in page).
  router.get('/state', (req, res) => {
    const a = req.auth;
    res.json({
      session: a ? ({ user: a.user, csrfToken: a.csrfToken ?? null } satisfies SessionInfo) : null,
    });
  });

  return router;
}
