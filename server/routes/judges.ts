import { Router } from 'express';
import { createJudgeSchema, updateJudgeSchema } from '../../schema/judge.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/judges: a registered model + a rubric that rates responses as people do (maintainers). */
export function judgesRouter(deps: ApiDeps) {
  const { judges } = deps.services;
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', (_req, res) => {
    res.json(judges.listJudges());
  });

  router.post('/', (req, res) => {
    res.status(201).json(judges.createJudge(caller(req).user.id, parseInput(createJudgeSchema, req.body)));
  });

  router.get('/:id', (req, res) => {
    res.json(judges.judge(idParam(req.params.id, 'Judge')));
  });

  router.patch('/:id', (req, res) => {
    const id = idParam(req.params.id, 'Judge');
    res.json(judges.updateJudge(id, parseInput(updateJudgeSchema, req.body)));
  });

  return router;
}
