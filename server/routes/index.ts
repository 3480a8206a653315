import { Router } from 'express';
import type { Repositories } from '../db/repositories.ts';
import type { AuthService } from '../domain/auth.ts';
import type { ReleaseBuildHook } from '../domain/releases/service.ts';
import type { ImportHook } from '../domain/import/service.ts';
import type { OutboundOptions } from '../outbound/client.ts';
import type { ItemSaveHook } from '../domain/items.ts';
import { agreementRouter } from './agreement.ts';
import { authRouter, type LoginRateLimit } from './auth.ts';
import { datasetsRouter } from './datasets.ts';
import { goldRouter } from './gold.ts';
import { hubRouter } from './hub.ts';
import type { HubSettings } from '../domain/hub-publish.ts';
import { itemDecisionsRouter } from './item-decisions.ts';
import { itemSplitRouter } from './item-split.ts';
import { importsRouter } from './imports.ts';
import { releasesRouter } from './releases.ts';
import { itemsRouter } from './items.ts';
import { meRouter } from './me.ts';
import { modelsRouter } from './models.ts';
import { ratingRouter } from './ratings.ts';
import { reportsRouter } from './reports.ts';
import { runsRouter } from './runs.ts';
import { reviewRouter } from './review.ts';
import { tasksRouter } from './tasks.ts';
import { taxonomiesRouter } from './taxonomies.ts';
import { tokensRouter } from './tokens.ts';
import { usersRouter } from './users.ts';
import { validationSettingsRouter } from './validation-settings.ts';

export interface ApiDeps {
  repos: Repositories;
  auth: AuthService;
  secureCookies: boolean;
  loginRateLimit: LoginRateLimit;
  releasesDir: string;
  releaseBuildHook?: ReleaseBuildHook;
  /** The app's log, for what must reach an operator (e.g. a damaged release file). */
  log?: (message: string, err: unknown) => void;
  importHook?: ImportHook;
  itemSaveHook?: ItemSaveHook;
  /** Where model API keys named by an environment variable are read (default process.env). */
  scoringEnv?: Record<string, string | undefined>;
  /** Address policy and DNS of requests to model endpoints (default: loopback and private networks refused). */
  outbound?: OutboundOptions;
  /** The Hugging Face Hub releases are pushed to (endpoint and token from the environment in main.ts). */
  hub?: HubSettings;
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
  router.use('/items', itemSplitRouter(deps));
  router.use('/items', itemsRouter(deps));
  router.use('/imports', importsRouter(deps));
  router.use('/releases', hubRouter(deps));
  router.use('/releases', releasesRouter(deps));
  router.use('/tasks', tasksRouter(deps));
  router.use('/review', reviewRouter(deps));
  router.use('/agreement', agreementRouter(deps));
  router.use('/gold', goldRouter(deps));
  router.use('/validation-settings', validationSettingsRouter(deps));
  router.use('/models', modelsRouter(deps));
  router.use('/runs', runsRouter(deps));
  router.use('/rating', ratingRouter(deps));
  router.use('/reports', reportsRouter(deps));
  return router;
}
