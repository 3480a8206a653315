import { Router } from 'express';
import { judgeSettingsSchema } from '../../schema/judge.ts';
import { requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/judge-settings/:datasetId: when a calibrated slice is judge-trusted (maintainers read and set). */
export function judgeSettingsRouter(deps: ApiDeps) {
  const { judges } = deps.services;
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/:datasetId', async (req, res) => {
    res.json(await judges.settings(idParam(req.params.datasetId, 'Dataset')));
  });

  router.patch('/:datasetId', async (req, res) => {
    const id = idParam(req.params.datasetId, 'Dataset');
    res.json(await judges.updateSettings(id, parseInput(judgeSettingsSchema, req.body)));
  });

  return router;
}
