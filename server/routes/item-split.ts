import { Router } from 'express';
import { itemSplitInputSchema } from '../../schema/item.ts';
import { requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/**
 * PUT /api/items/:id/split: a maintainer marks an item as a few-shot exemplar (`dev`) or puts it back in `test`.
 * Releases cut afterwards write it to that split; it is not an authored field (no revision, same version).
 */
export function itemSplitRouter(deps: ApiDeps) {
  const { itemSplit } = deps.services;
  const router = Router();

  router.put('/:id/split', requireRole('maintainer'), async (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const { split } = parseInput(itemSplitInputSchema, req.body);
    res.json(await itemSplit.set(id, split));
  });

  return router;
}
