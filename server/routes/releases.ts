import { Router } from 'express';
import { z } from 'zod';
import {
  createReleaseSchema,
  releaseChangesQuerySchema,
  releasePreviewSchema,
} from '../../schema/release.ts';
import { caller, requireRole, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

const listQuerySchema = z.object({ dataset: z.coerce.number().int().positive().optional() });

/** /api/releases: maintainers cut releases; anyone signed in lists them and reads the contents of those they may read. */
export function releasesRouter(deps: ApiDeps) {
  const { releases } = deps.services;
  const router = Router();

  router.get('/', requireUser, async (req, res) => {
    const query = parseInput(listQuerySchema, req.query, 'query');
    res.json(await releases.list(query.dataset));
  });

  router.post('/preview', requireRole('maintainer'), async (req, res) => {
    const input = parseInput(releasePreviewSchema, req.body);
    res.json(await releases.preview(input.datasetId, input.filter));
  });

  // What the release would change since the one it follows (CHANGELOG.md's counts).
  router.post('/preview/changes', requireRole('maintainer'), async (req, res) => {
    const input = parseInput(releaseChangesQuerySchema, req.body);
    res.json(
      await releases.changes({
        datasetId: input.datasetId,
        filter: input.filter,
        version: input.version ?? null,
        license: input.license ?? null,
      }),
    );
  });

  // The build runs as a job: 202 with the release `building` (and its progress); GET /:id polls it.
  router.post('/', requireRole('maintainer'), async (req, res) => {
    const input = parseInput(createReleaseSchema, req.body);
    res.status(202).json(await releases.create(caller(req).user, input));
  });

  router.get('/:id', requireUser, async (req, res) => {
    res.json(await releases.get(idParam(req.params.id, 'Release')));
  });

  router.post('/:id/build', requireRole('maintainer'), async (req, res) => {
    res.status(202).json(await releases.build(idParam(req.params.id, 'Release')));
  });

  // Contents: maintainers, and others only for releases canReadReleaseContents lets them read (404 otherwise).
  router.get('/:id/archive', requireUser, async (req, res) => {
    const archive = await releases.archive(caller(req).user, idParam(req.params.id, 'Release'));
    res.attachment(archive.name).type('application/gzip').set('Content-Length', String(archive.size));
    archive.stream.on('error', (e) => res.destroy(e));
    res.on('close', () => archive.stream.destroy());
    archive.stream.pipe(res);
  });

  router.get('/:id/changelog', requireUser, async (req, res) => {
    const bytes = await releases.file(caller(req).user, idParam(req.params.id, 'Release'), 'CHANGELOG.md');
    res.type('text/markdown; charset=utf-8').send(bytes);
  });

  router.get('/:id/card', requireUser, async (req, res) => {
    const bytes = await releases.file(caller(req).user, idParam(req.params.id, 'Release'), 'README.md');
    res.type('text/markdown; charset=utf-8').send(bytes);
  });

  return router;
}
