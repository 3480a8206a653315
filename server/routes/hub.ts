import { Router } from 'express';
import { hubPushSchema } from '../../schema/hub.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/releases/:id/hub: a maintainer pushes a published release to a Hugging Face Hub dataset repository. */
export function hubRouter(deps: ApiDeps) {
  const { hub } = deps.services;
  const router = Router();

  router.post('/:id/hub', requireRole('maintainer'), async (req, res) => {
    const id = idParam(req.params.id, 'Release');
    const input = parseInput(hubPushSchema, req.body);
    res.json(await hub.push(caller(req).user, id, input));
  });

  return router;
}
