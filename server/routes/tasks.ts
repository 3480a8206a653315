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

  router.post('/next', (req, res) => {
    const { dataset } = parseInput(nextTaskQuerySchema, req.query, 'query');
    res.json({ task: validation.next(caller(req).user, dataset) });
  });

  router.get('/stats', (req, res) => {
    res.json(validation.myStats(caller(req).user));
  });

  router.get('/:id', (req, res) => {
    res.json(validation.get(caller(req).user, idParam(req.params.id, 'Task')));
  });

  router.post('/:id/answer', (req, res) => {
    const id = idParam(req.params.id, 'Task');
    const { ownAnswer } = parseInput(ownAnswerInputSchema, req.body);
    res.json(validation.answer(caller(req).user, id, ownAnswer));
  });

  router.post('/:id/submit', (req, res) => {
    const id = idParam(req.params.id, 'Task');
    const input = parseInput(validationInputSchema, req.body);
    res.json(validation.submit(caller(req).user, id, input));
  });

  router.delete('/:id', (req, res) => {
    validation.giveBack(caller(req).user, idParam(req.params.id, 'Task'));
    res.status(204).end();
  });

  return router;
}
