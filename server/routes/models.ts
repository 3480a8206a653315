import { Router } from 'express';
import { createModelSchema, updateModelSchema } from '../../schema/scoring.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/models: the models maintainers score (an API key is write-only: never in any answer). */
export function modelsRouter(deps: ApiDeps) {
  const { scoring } = deps.services;
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', async (_req, res) => {
    res.json(await scoring.listModels());
  });

  router.post('/', async (req, res) => {
    res
      .status(201)
      .json(await scoring.createModel(caller(req).user, parseInput(createModelSchema, req.body)));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id, 'Model');
    res.json(await scoring.updateModel(id, parseInput(updateModelSchema, req.body)));
  });

  return router;
}
