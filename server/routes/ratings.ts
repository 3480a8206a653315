import { Router } from 'express';
import { createCampaignSchema, ratingInputSchema, reviewerRatingInputSchema } from '../../schema/scoring.ts';
import { caller, requireRole, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/rating: campaigns of blind human rating of model responses, on the validation task pattern. */
export function ratingRouter(deps: ApiDeps) {
  const { rating } = deps.services;
  const router = Router();
  router.use(requireUser);

  router.get('/campaigns', (_req, res) => {
    res.json(rating.listCampaigns());
  });

  router.post('/campaigns', requireRole('maintainer'), (req, res) => {
    res.status(201).json(rating.createCampaign(caller(req).user, parseInput(createCampaignSchema, req.body)));
  });

  router.get('/campaigns/:id', (req, res) => {
    res.json(rating.campaign(idParam(req.params.id, 'Campaign')));
  });

  router.post('/campaigns/:id/next', (req, res) => {
    const user = caller(req).user;
    const id = idParam(req.params.id, 'Campaign');
    const task = rating.next(user, id);
    res.json({ task, progress: rating.progress(user, id) });
  });

  router.get('/campaigns/:id/disagreements', requireRole('reviewer', 'maintainer'), (req, res) => {
    res.json(rating.disagreements(caller(req).user, idParam(req.params.id, 'Campaign')));
  });

  router.get('/tasks/:id', (req, res) => {
    res.json(rating.task(caller(req).user, idParam(req.params.id, 'Rating task')));
  });

  router.post('/tasks/:id/submit', (req, res) => {
    const id = idParam(req.params.id, 'Rating task');
    res.json(rating.submit(caller(req).user, id, parseInput(ratingInputSchema, req.body)));
  });

  router.delete('/tasks/:id', (req, res) => {
    rating.giveBack(caller(req).user, idParam(req.params.id, 'Rating task'));
    res.status(204).end();
  });

  router.put('/responses/:id/reviewer-rating', requireRole('reviewer', 'maintainer'), (req, res) => {
    const id = idParam(req.params.id, 'Response');
    rating.setReviewerRating(caller(req).user, id, parseInput(reviewerRatingInputSchema, req.body));
    res.status(204).end();
  });

  return router;
}
