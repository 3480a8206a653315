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

  router.get('/', async (_req, res) => {
    res.json(await judges.listJudges());
  });

  router.post('/', async (req, res) => {
    res
      .status(201)
      .json(await judges.createJudge(caller(req).user.id, parseInput(createJudgeSchema, req.body)));
  });

  router.get('/:id', async (req, res) => {
    res.json(await judges.judge(idParam(req.params.id, 'Judge')));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id, 'Judge');
    res.json(await judges.updateJudge(id, parseInput(updateJudgeSchema, req.body)));
  });

  return router;
}
