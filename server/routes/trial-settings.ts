import { Router } from 'express';
import { trialSettingsInputSchema } from '../../schema/trials.ts';
import { requireRole, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/trial-settings/:datasetId: which models may be tried and whether a trial is required (maintainers set). */
export function trialSettingsRouter(deps: ApiDeps) {
  const settings = deps.services.trialSettings;
  const router = Router();

  router.get('/:datasetId', requireUser, async (req, res) => {
    res.json(await settings.get(idParam(req.params.datasetId, 'Dataset')));
  });

  router.put('/:datasetId', requireRole('maintainer'), async (req, res) => {
    const id = idParam(req.params.datasetId, 'Dataset');
    res.json(await settings.update(id, parseInput(trialSettingsInputSchema, req.body)));
  });

  return router;
}
