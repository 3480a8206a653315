import { Router } from 'express';
import { updateValidationSettingsSchema } from '../../schema/validation.ts';
import { requireRole, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/validation-settings/:datasetId: gold rate and lease length (everyone reads, maintainers set). */
export function validationSettingsRouter(deps: ApiDeps) {
  const { validation } = deps.services;
  const router = Router();

  router.get('/:datasetId', requireUser, async (req, res) => {
    res.json(await validation.settings(idParam(req.params.datasetId, 'Dataset')));
  });

  router.patch('/:datasetId', requireRole('maintainer'), async (req, res) => {
    const id = idParam(req.params.datasetId, 'Dataset');
    const changes = parseInput(updateValidationSettingsSchema, req.body);
    res.json(await validation.updateSettings(id, changes));
  });

  return router;
}
