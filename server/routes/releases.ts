import { Router } from 'express';
import { z } from 'zod';
import { createReleaseSchema, releasePreviewSchema } from '../../schema/release.ts';
import { createReleaseService } from '../domain/releases.ts';
import { canUseLanguage, caller, requireRole, requireUser } from '../http/auth.ts';
import { forbidden, parseInput } from '../http/errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

const listQuerySchema = z.object({ dataset: z.coerce.number().int().positive().optional() });

/** /api/releases: maintainers cut releases; anyone signed in lists them and downloads those in their languages. */
export function releasesRouter(deps: ApiDeps) {
  const releases = createReleaseService(deps.repos, {
    releasesDir: deps.releasesDir,
    hook: deps.releaseBuildHook,
  });
  const router = Router();

  /**
   * A release's contents (archive, card, changelog) hold the items' text, so they follow the item
   * rule: maintainers, or users registered for every language in the release. Metadata is open to
   * everyone signed in.
   */
  const readable = (req: Parameters<typeof caller>[0], raw: string | string[] | undefined) => {
    const id = idParam(raw, 'Release');
    const { user } = caller(req);
    const release = releases.get(id);
    if (!release.counts.languages.every((l) => canUseLanguage(user, l))) {
      throw forbidden('This release holds items in languages you are not registered for');
    }
    return id;
  };

  router.get('/', requireUser, (req, res) => {
    const query = parseInput(listQuerySchema, req.query, 'query');
    res.json(releases.list(query.dataset));
  });

  router.post('/preview', requireRole('maintainer'), (req, res) => {
    const input = parseInput(releasePreviewSchema, req.body);
    res.json(releases.preview(input.datasetId, input.filter));
  });

  router.post('/', requireRole('maintainer'), async (req, res) => {
    const input = parseInput(createReleaseSchema, req.body);
    res.status(201).json(await releases.create(caller(req).user, input));
  });

  router.get('/:id', requireUser, (req, res) => {
    res.json(releases.get(idParam(req.params.id, 'Release')));
  });

  router.post('/:id/build', requireRole('maintainer'), async (req, res) => {
    res.json(await releases.build(idParam(req.params.id, 'Release')));
  });

  router.get('/:id/archive', requireUser, (req, res) => {
    const { path, name } = releases.archive(readable(req, req.params.id));
    res.download(path, name, { headers: { 'Content-Type': 'application/gzip' } });
  });

  router.get('/:id/changelog', requireUser, (req, res) => {
    const path = releases.filePath(readable(req, req.params.id), 'CHANGELOG.md');
    res.type('text/markdown; charset=utf-8').sendFile(path);
  });

  router.get('/:id/card', requireUser, (req, res) => {
    const path = releases.filePath(readable(req, req.params.id), 'README.md');
    res.type('text/markdown; charset=utf-8').sendFile(path);
  });

  return router;
}
