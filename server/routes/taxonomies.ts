import { Router } from 'express';
import { createTaxonomyNodeSchema, updateTaxonomyNodeSchema } from '../../schema/taxonomy.ts';
import { requireRole, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { pathParam } from './params.ts';

/** /api/taxonomies: read by everyone signed in, extended and relabelled by maintainers. */
export function taxonomiesRouter({ services }: ApiDeps) {
  const { taxonomies } = services;
  const router = Router();

  router.get('/', requireUser, async (_req, res) => {
    res.json(await taxonomies.list());
  });

  router.get('/:id', requireUser, async (req, res) => {
    res.json(await taxonomies.get(pathParam(req.params.id)));
  });

  router.post('/:id/nodes', requireRole('maintainer'), async (req, res) => {
    const input = parseInput(createTaxonomyNodeSchema, req.body);
    res.status(201).json(await taxonomies.addNode(pathParam(req.params.id), input));
  });

  // Node ids contain slashes: accept them URL-encoded (society%2Ffamily) or as plain path segments.
  router.patch('/:id/nodes/*nodeId', requireRole('maintainer'), async (req, res) => {
    const changes = parseInput(updateTaxonomyNodeSchema, req.body);
    res.json(await taxonomies.updateNode(pathParam(req.params.id), pathParam(req.params.nodeId), changes));
  });

  return router;
}
