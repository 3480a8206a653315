import { Router } from 'express';
import { z } from 'zod';
import { goldInputSchema } from '../../schema/validation.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

const datasetQuerySchema = z.object({ dataset: z.coerce.number().int().positive() });

/** /api/gold: known-answer items mixed into validation (maintainers). */
export function goldRouter(deps: ApiDeps) {
  const { validation } = deps.services;
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', async (req, res) => {
    const { dataset } = parseInput(datasetQuerySchema, req.query, 'query');
    res.json(await validation.listGold(dataset));
  });

  router.put('/:itemId', async (req, res) => {
    const itemId = idParam(req.params.itemId, 'Item');
    const input = parseInput(goldInputSchema, req.body);
    res.json(await validation.setGold(caller(req).user, itemId, input));
  });

  router.delete('/:itemId', async (req, res) => {
    await validation.removeGold(idParam(req.params.itemId, 'Item'));
    res.status(204).end();
  });

  return router;
}
