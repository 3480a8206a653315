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

  router.get('/', (_req, res) => {
    res.json(scoring.listModels());
  });

  router.post('/', (req, res) => {
    res.status(201).json(scoring.createModel(caller(req).user, parseInput(createModelSchema, req.body)));
  });

  router.patch('/:id', (req, res) => {
    const id = idParam(req.params.id, 'Model');
    res.json(scoring.updateModel(id, parseInput(updateModelSchema, req.body)));
  });

  return router;
}
