import { Router } from 'express';
import { hubPushSchema } from '../../schema/hub.ts';
import { pushReleaseToHub, releaseHubFiles } from '../domain/hub-publish.ts';
import { createReleaseService } from '../domain/releases/service.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/releases/:id/hub: a maintainer pushes a published release to a Hugging Face Hub dataset repository. */
export function hubRouter(deps: ApiDeps) {
  const releases = createReleaseService(deps.repos, { releasesDir: deps.releasesDir, log: deps.log });
  const settings = deps.hub ?? { endpoint: 'https://huggingface.co', token: null };
  const router = Router();

  router.post('/:id/hub', requireRole('maintainer'), async (req, res) => {
    const id = idParam(req.params.id, 'Release');
    const input = parseInput(hubPushSchema, req.body);
    const release = releases.get(id);
    const files = releaseHubFiles(releases, caller(req).user, release);
    res.json(await pushReleaseToHub(settings, release, files, input));
  });

  return router;
}
