import { Router } from 'express';
import { nextTaskQuerySchema, ownAnswerInputSchema, validationInputSchema } from '../../schema/validation.ts';
import { caller, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/tasks: a validator's work — lease the next item, answer blind, judge, submit. */
export function tasksRouter(deps: ApiDeps) {
  const { validation } = deps.services;
  const router = Router();
  router.use(requireUser);

  router.post('/next', async (req, res) => {
    const { dataset } = parseInput(nextTaskQuerySchema, req.query, 'query');
    res.json({ task: await validation.next(caller(req).user, dataset) });
  });

  router.get('/stats', async (req, res) => {
    res.json(await validation.myStats(caller(req).user));
  });

  router.get('/:id', async (req, res) => {
    res.json(await validation.get(caller(req).user, idParam(req.params.id, 'Task')));
  });

  router.post('/:id/answer', async (req, res) => {
    const id = idParam(req.params.id, 'Task');
    const { ownAnswer } = parseInput(ownAnswerInputSchema, req.body);
    res.json(await validation.answer(caller(req).user, id, ownAnswer));
  });

  router.post('/:id/submit', async (req, res) => {
    const id = idParam(req.params.id, 'Task');
    const input = parseInput(validationInputSchema, req.body);
    res.json(await validation.submit(caller(req).user, id, input));
  });

  router.delete('/:id', async (req, res) => {
    await validation.giveBack(caller(req).user, idParam(req.params.id, 'Task'));
    res.status(204).end();
  });

  return router;
}
