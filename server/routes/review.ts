import { Router } from 'express';
import { updateItemSchema } from '../../schema/item.ts';
import { decisionInputSchema, reviewQueueQuerySchema } from '../../schema/validation.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/review: queue, review view, edits and decisions (reviewers and maintainers, in their languages). */
export function reviewRouter(deps: ApiDeps) {
  const { review } = deps.services;
  const router = Router();
  router.use(requireRole('reviewer', 'maintainer'));

  router.get('/queue', async (req, res) => {
    const query = parseInput(reviewQueueQuerySchema, req.query, 'query');
    res.json(await review.queue(caller(req).user, query));
  });

  router.get('/items/:id', async (req, res) => {
    res.json(await review.view(caller(req).user, idParam(req.params.id, 'Item')));
  });

  router.patch('/items/:id', async (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const input = parseInput(updateItemSchema, req.body);
    res.json(await review.edit(caller(req).user, id, input));
  });

  router.post('/items/:id/decision', async (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const input = parseInput(decisionInputSchema, req.body);
    res.json(await review.decide(caller(req).user, id, input));
  });

  return router;
}
