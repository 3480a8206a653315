import { Router } from 'express';
import type { Repositories } from '../db/repositories.ts';
import type { AuthService } from '../domain/auth.ts';
import { authRouter, type LoginRateLimit } from './auth.ts';

export interface ApiDeps {
  repos: Repositories;
  auth: AuthService;
  secureCookies: boolean;
  loginRateLimit: LoginRateLimit;
}

/** Every /api route, one router per resource. */
export function apiRouter(deps: ApiDeps) {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  router.use('/auth', authRouter(deps.auth, deps));
  return router;
}
