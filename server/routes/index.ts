import { Router } from 'express';
import { jsonBody } from '../http/json-body.ts';
import { nulGuard } from '../http/nul-guard.ts';
import type { Services } from '../domain/services.ts';
import { agreementRouter } from './agreement.ts';
import { authRouter, type LoginRateLimit } from './auth.ts';
import { datasetsRouter } from './datasets.ts';
import { goldRouter } from './gold.ts';
import { hubRouter } from './hub.ts';
import { judgeRunsRouter } from './judge-runs.ts';
import { judgeSettingsRouter } from './judge-settings.ts';
import { judgesRouter } from './judges.ts';
import { itemDecisionsRouter } from './item-decisions.ts';
import { itemSplitRouter } from './item-split.ts';
import { importFileRouter, importsRouter } from './imports.ts';
import { releasesRouter } from './releases.ts';
import { itemsRouter } from './items.ts';
import { meRouter } from './me.ts';
import { modelsRouter } from './models.ts';
import { ratingRouter } from './ratings.ts';
import { reportComparisonsRouter } from './report-comparisons.ts';
import { reportsRouter } from './reports.ts';
import { responseFileRouter, runsRouter } from './runs.ts';
import { reviewRouter } from './review.ts';
import { tasksRouter } from './tasks.ts';
import { taxonomiesRouter } from './taxonomies.ts';
import { tokensRouter } from './tokens.ts';
import { itemTrialsRouter } from './item-trials.ts';
import { trialSettingsRouter } from './trial-settings.ts';
import { usersRouter } from './users.ts';
import { validationSettingsRouter } from './validation-settings.ts';

export interface ApiDeps {
  /** The domain services, built once by createApp (domain/services.ts): routes call them, never a repository. */
  services: Services;
  secureCookies: boolean;
  loginRateLimit: LoginRateLimit;
}

/** Every /api route, one router per resource. */
export function apiRouter(deps: ApiDeps) {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  // No route reads a path or query string holding U+0000 (http/nul-guard.ts).
  router.use(nulGuard());
  // The file uploads come first: each declares its own raw-body parser (http/raw-body.ts) and answers.
  router.use('/imports', importFileRouter(deps));
  router.use('/runs', responseFileRouter(deps));
  // Every other route takes JSON bodies only (415 otherwise), checked for well-formed text.
  router.use(jsonBody());
  router.use('/auth', authRouter(deps.services.auth, deps));
  router.use('/me/tokens', tokensRouter(deps));
  router.use('/me', meRouter(deps));
  router.use('/users', usersRouter(deps));
  router.use('/datasets', datasetsRouter(deps));
  router.use('/taxonomies', taxonomiesRouter(deps));
  router.use('/items', itemTrialsRouter(deps));
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
  router.use('/trial-settings', trialSettingsRouter(deps));
  router.use('/models', modelsRouter(deps));
  router.use('/runs', runsRouter(deps));
  router.use('/rating', ratingRouter(deps));
  router.use('/reports', reportComparisonsRouter(deps));
  router.use('/reports', reportsRouter(deps));
  router.use('/judges', judgesRouter(deps));
  router.use('/judge-runs', judgeRunsRouter(deps));
  router.use('/judge-settings', judgeSettingsRouter(deps));
  return router;
}
