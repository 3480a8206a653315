import { Router } from 'express';
import { tryModelsSchema } from '../../schema/trials.ts';
import { TrialRateLimited } from '../domain/trial-throttle.ts';
import { caller, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/items/:id/trials: "Try on models" (POST) and the item's trials (GET). */
export function itemTrialsRouter(deps: ApiDeps) {
  const { trials } = deps.services;
  const router = Router();

  router.get('/:id/trials', requireUser, async (req, res) => {
    res.json(await trials.list(caller(req).user, idParam(req.params.id, 'Item')));
  });

  router.post('/:id/trials', requireUser, async (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const input = parseInput(tryModelsSchema, req.body);
    try {
      res.json({ results: await trials.tryModels(caller(req).user, id, input) });
    } catch (e) {
      if (e instanceof TrialRateLimited) res.set('Retry-After', String(e.retryAfterSeconds));
      throw e;
    }
  });

  return router;
}
