import { Router } from 'express';
import { createImportSchema, importListQuerySchema } from '../../schema/import.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import { rawBody } from '../http/raw-body.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** Body types the file upload accepts (anything else on that route is 415, like everywhere else). */
const IMPORT_FILE_TYPES = [
  'text/csv',
  'application/x-ndjson',
  'application/jsonl',
  'application/octet-stream',
  'text/plain',
];

/**
 * PUT /api/imports/:id/file, the upload: the raw file is the body, with its own parser (mounted before the
 * JSON-only guard). It is saved to a temporary file as it arrives (never buffered whole), then checked (and
 * written) by a job off the request thread. 202 with the job reading; GET /api/imports/:id shows the rest.
 */
export function importFileRouter(deps: ApiDeps) {
  const { importJobs } = deps.services;
  const router = Router();

  router.put('/:id/file', requireRole('maintainer'), rawBody(IMPORT_FILE_TYPES), async (req, res) => {
    const id = idParam(req.params.id, 'Import');
    const length = req.headers['content-length'];
    const bytesTotal = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
    try {
      res.status(202).json(await importJobs.start(caller(req).user, id, req, bytesTotal));
    } finally {
      // Whatever was not read (the rest of a file refused early) is discarded, not left in the socket.
      if (!req.readableEnded) req.resume();
    }
  });

  return router;
}

/** /api/imports: maintainers upload CSV/JSONL files of items (importFileRouter), dry run first, then import. */
export function importsRouter(deps: ApiDeps) {
  const { imports, importJobs } = deps.services;
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/presets', (_req, res) => {
    res.json(imports.presets());
  });

  router.get('/', async (req, res) => {
    const query = parseInput(importListQuerySchema, req.query, 'query');
    res.json(await imports.list(query.dataset));
  });

  router.post('/', async (req, res) => {
    const input = parseInput(createImportSchema, req.body);
    res.status(201).json(await imports.create(caller(req).user, input));
  });

  router.get('/:id', async (req, res) => {
    res.json(await imports.get(idParam(req.params.id, 'Import')));
  });

  router.get('/items/:itemId/provenance', async (req, res) => {
    res.json(await imports.provenance(idParam(req.params.itemId, 'Item')));
  });

  router.post('/:id/cancel', async (req, res) => {
    res.json(await importJobs.cancel(idParam(req.params.id, 'Import')));
  });

  return router;
}
