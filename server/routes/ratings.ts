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

  router.get('/campaigns', async (_req, res) => {
    res.json(await rating.listCampaigns());
  });

  router.post('/campaigns', requireRole('maintainer'), async (req, res) => {
    res
      .status(201)
      .json(await rating.createCampaign(caller(req).user, parseInput(createCampaignSchema, req.body)));
  });

  router.get('/campaigns/:id', async (req, res) => {
    res.json(await rating.campaign(idParam(req.params.id, 'Campaign')));
  });

  router.post('/campaigns/:id/next', async (req, res) => {
    const user = caller(req).user;
    const id = idParam(req.params.id, 'Campaign');
    const task = await rating.next(user, id);
    res.json({ task, progress: await rating.progress(user, id) });
  });

  router.get('/campaigns/:id/disagreements', requireRole('reviewer', 'maintainer'), async (req, res) => {
    res.json(await rating.disagreements(caller(req).user, idParam(req.params.id, 'Campaign')));
  });

  router.get('/tasks/:id', async (req, res) => {
    res.json(await rating.task(caller(req).user, idParam(req.params.id, 'Rating task')));
  });

  router.post('/tasks/:id/submit', async (req, res) => {
    const id = idParam(req.params.id, 'Rating task');
    res.json(await rating.submit(caller(req).user, id, parseInput(ratingInputSchema, req.body)));
  });

  router.delete('/tasks/:id', async (req, res) => {
    await rating.giveBack(caller(req).user, idParam(req.params.id, 'Rating task'));
    res.status(204).end();
  });

  router.put('/responses/:id/reviewer-rating', requireRole('reviewer', 'maintainer'), async (req, res) => {
    const id = idParam(req.params.id, 'Response');
    await rating.setReviewerRating(caller(req).user, id, parseInput(reviewerRatingInputSchema, req.body));
    res.status(204).end();
  });

  return router;
}
