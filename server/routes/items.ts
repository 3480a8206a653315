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

  router.get('/', (req, res) => {
    const query = parseInput(itemListQuerySchema, req.query, 'query');
    res.json(items.list(caller(req).user, query));
  });

  router.get('/similar', (req, res) => {
    const query = parseInput(similarItemsQuerySchema, req.query, 'query');
    res.json({ items: items.similar(caller(req).user, query) });
  });

  router.post('/', (req, res) => {
    const input = parseInput(createItemSchema, req.body);
    res.status(201).json(items.create(caller(req).user, input));
  });

  router.get('/:id', (req, res) => {
    res.json(items.get(caller(req).user, idParam(req.params.id, 'Item')));
  });

  router.patch('/:id', (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const input = parseInput(updateItemSchema, req.body);
    res.json(items.update(caller(req).user, id, input));
  });

  router.post('/:id/submit', (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const { version } = parseInput(versionSchema, req.body);
    res.json(items.submit(caller(req).user, id, version));
  });

  router.get('/:id/revisions', (req, res) => {
    res.json(items.listRevisions(caller(req).user, idParam(req.params.id, 'Item')));
  });

  router.get('/:id/revisions/:version', (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const version = idParam(req.params.version, 'Revision');
    res.json(items.getRevision(caller(req).user, id, version));
  });

  router.post('/:id/revisions/:version/restore', (req, res) => {
    const id = idParam(req.params.id, 'Item');
    const revision = idParam(req.params.version, 'Revision');
    const { version } = parseInput(versionSchema, req.body);
    res.json(items.restore(caller(req).user, id, revision, version));
  });

  return router;
}
