import { Router } from 'express';
import { createDatasetSchema, updateDatasetSchema } from '../../schema/dataset.ts';
import { requireRole, requireUser } from '../http/auth.ts';
import { notFound, parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';

/** A numeric path id; anything else names no dataset. */
const datasetId = (raw: unknown): number => {
  const id = typeof raw === 'string' && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw notFound('Dataset');
  return id;
};

/** /api/datasets: everyone signed in reads; maintainers create and configure. */
export function datasetsRouter(deps: ApiDeps) {
  const { datasets } = deps.services;
  const router = Router();

  router.get('/', requireUser, async (_req, res) => {
    res.json(await datasets.list());
  });

  router.post('/', requireRole('maintainer'), async (req, res) => {
    const input = parseInput(createDatasetSchema, req.body);
    res.status(201).json(await datasets.create(input));
  });

  router.patch('/:id', requireRole('maintainer'), async (req, res) => {
    const id = datasetId(req.params.id);
    const changes = parseInput(updateDatasetSchema, req.body);
    res.json(await datasets.update(id, changes));
  });

  return router;
}
