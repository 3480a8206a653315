import { Router, type Request } from 'express';
import { createImportSchema, importListQuerySchema } from '../../schema/import.ts';
import { cancelImport, startImport } from '../domain/import/job.ts';
import { createImportService } from '../domain/import/service.ts';
import { caller, requireRole } from '../http/auth.ts';
import { AppError, parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** Body types the file upload accepts (anything else on that route is 415, like everywhere else). */
export const IMPORT_FILE_TYPES = [
  'text/csv',
  'application/x-ndjson',
  'application/jsonl',
  'application/octet-stream',
  'text/plain',
];

/** Whether a request is an import file upload: the one API route that takes a non-JSON body. */
export const isImportUpload = (req: Request) =>
  req.method === 'PUT' && /^\/imports\/\d+\/file\/?$/.test(req.path) && req.is(IMPORT_FILE_TYPES) !== false;

/** /api/imports: maintainers upload CSV/JSONL files of items, dry run first, then import. */
export function importsRouter(deps: ApiDeps) {
  const imports = createImportService(deps.repos);
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/presets', (_req, res) => {
    res.json(imports.presets());
  });

  router.get('/', (req, res) => {
    const query = parseInput(importListQuerySchema, req.query, 'query');
    res.json(imports.list(query.dataset));
  });

  router.post('/', (req, res) => {
    const input = parseInput(createImportSchema, req.body);
    res.status(201).json(imports.create(caller(req).user, input));
  });

  router.get('/:id', (req, res) => {
    res.json(imports.get(idParam(req.params.id, 'Import')));
  });

  router.get('/items/:itemId/provenance', (req, res) => {
    res.json(imports.provenance(idParam(req.params.itemId, 'Item')));
  });

  // The raw file is the body: saved to a temporary file as it arrives (never buffered whole), then checked
  // (and written) by a job off the request thread. 202 with the job reading; GET /:id shows the rest.
  router.put('/:id/file', async (req, res) => {
    const id = idParam(req.params.id, 'Import');
    const empty = req.headers['content-length'] === '0';
    if (!empty && !req.is(IMPORT_FILE_TYPES)) {
      throw new AppError(415, 'unsupported-media-type', `Send the file as ${IMPORT_FILE_TYPES.join(', ')}`);
    }
    const length = req.headers['content-length'];
    const bytesTotal = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
    try {
      const job = await startImport(deps.repos, caller(req).user, id, req, bytesTotal, {
        hook: deps.importHook,
        log: deps.log,
      });
      res.status(202).json(job);
    } finally {
      // Whatever was not read (the rest of a file refused early) is discarded, not left in the socket.
      if (!req.readableEnded) req.resume();
    }
  });

  router.post('/:id/cancel', (req, res) => {
    res.json(cancelImport(deps.repos, idParam(req.params.id, 'Import')));
  });

  return router;
}
