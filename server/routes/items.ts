import { Router } from 'express';
import {
  createItemSchema,
  itemListQuerySchema,
  similarItemsQuerySchema,
  updateItemSchema,
  versionSchema,
} from '../../schema/item.ts';
import { caller, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/items: authoring, revisions, search and near-duplicates. Visibility rules live in the domain. */
export function itemsRouter(deps: ApiDeps) {
  const { items } = deps.services;
  const router = Router();
  router.use(requireUser);

  router.get('/', async (req, res) => {
    const query = parseInput(itemListQuerySchema, req.query, 'query');
    res.json(await items.list(caller(req).user, query));
  });

  router.get('/similar', async (req, res) => {
    const query = parseInput(similarItemsQuerySchema, req.query, 'query');
    res.json({ items: await items.similar(caller(req).user, query) });
  });

  router.post('/', async (req, res) => {
    const input = parseInput(createItemSchema, req.body);
    res.status(201).json(await items.create(caller(req).user, input));
  });

  router.get('/:id', async (req, res) => {
    res.json(await items.get(caller(req).user, idParam(req.params.id, 'Item')));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const input = parseInput(updateItemSchema, req.body);
    res.json(await items.update(caller(req).user, id, input));
  });

  router.post('/:id/submit', async (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const { version } = parseInput(versionSchema, req.body);
    res.json(await items.submit(caller(req).user, id, version));
  });

  router.get('/:id/revisions', async (req, res) => {
    res.json(await items.listRevisions(caller(req).user, idParam(req.params.id, 'Item')));
  });

  router.get('/:id/revisions/:version', async (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const version = idParam(req.params.version, 'Revision');
    res.json(await items.getRevision(caller(req).user, id, version));
  });

  router.post('/:id/revisions/:version/restore', async (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const revision = idParam(req.params.version, 'Revision');
    const { version } = parseInput(versionSchema, req.body);
    res.json(await items.restore(caller(req).user, id, revision, version));
  });

  return router;
}
