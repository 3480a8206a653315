import { Router } from 'express';
import type { Repositories } from '../db/repositories.ts';
import type { AuthService } from '../domain/auth.ts';
import { agreementRouter, goldRouter, validationSettingsRouter } from './agreement.ts';
import { authRouter, type LoginRateLimit } from './auth.ts';
import { datasetsRouter } from './datasets.ts';
import { itemsRouter } from './items.ts';
import { meRouter } from './me.ts';
import { itemDecisionsRouter, reviewRouter } from './review.ts';
import { tasksRouter } from './tasks.ts';
import { taxonomiesRouter } from './taxonomies.ts';
import { tokensRouter } from './tokens.ts';
import { usersRouter } from './users.ts';

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
  router.use('/me/tokens', tokensRouter(deps));
  router.use('/me', meRouter(deps));
  router.use('/users', usersRouter(deps));
  router.use('/datasets', datasetsRouter(deps));
  router.use('/taxonomies', taxonomiesRouter(deps));
  router.use('/items', itemDecisionsRouter(deps));
  router.use('/items', itemsRouter(deps));
  router.use('/tasks', tasksRouter(deps));
  router.use('/review', reviewRouter(deps));
  router.use('/agreement', agreementRouter(deps));
  router.use('/gold', goldRouter(deps));
  router.use('/validation-settings', validationSettingsRouter(deps));
  return router;
}
