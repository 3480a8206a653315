import { Router } from 'express';
import { caller, requireUser } from '../http/auth.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** GET /api/items/:id/decisions: the decision trail, for the item's author and its reviewers. */
export function itemDecisionsRouter(deps: ApiDeps) {
  const { review } = deps.services;
  const router = Router();
  router.get('/:id/decisions', requireUser, async (req, res) => {
    res.json(await review.decisions(caller(req).user, idParam(req.params.id, 'Item')));
  });
  return router;
}
