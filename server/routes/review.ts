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

  router.get('/queue', (req, res) => {
    const query = parseInput(reviewQueueQuerySchema, req.query, 'query');
    res.json(review.queue(caller(req).user, query));
  });

  router.get('/items/:id', (req, res) => {
    res.json(review.view(caller(req).user, idParam(req.params.id, 'Item')));
  });

  router.patch('/items/:id', (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const input = parseInput(updateItemSchema, req.body);
    res.json(review.edit(caller(req).user, id, input));
  });

  router.post('/items/:id/decision', (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const input = parseInput(decisionInputSchema, req.body);
    res.json(review.decide(caller(req).user, id, input));
  });

  return router;
}
