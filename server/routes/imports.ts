import { Router, type Request } from 'express';
import { createImportSchema, importListQuerySchema } from '../../schema/import.ts';
import { createImportService, failedImport } from '../domain/import/service.ts';
import { caller, requireRole } from '../http/auth.ts';
import { AppError, parseInput } from '../http/errors.ts';
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
  const imports = createImportService(deps.repos, { hook: deps.importHook });
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

  // The raw file is the body; it is read as it arrives, never buffered whole.
  router.put('/:id/file', async (req, res) => {
    const id = idParam(req.params.id, 'Import');
    const empty = req.headers['content-length'] === '0';
    if (!empty && !req.is(IMPORT_FILE_TYPES)) {
      throw new AppError(415, 'unsupported-media-type', `Send the file as ${IMPORT_FILE_TYPES.join(', ')}`);
    }
    const length = req.headers['content-length'];
    const bytesTotal = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
    try {
      const job = await imports.run(caller(req).user, id, req, bytesTotal);
      if (job.state === 'failed') {
        const tooLarge = job.errors.some((e) => e.code === 'file-too-large');
        throw tooLarge
          ? new AppError(413, 'payload-too-large', job.errors[0]!.message, { job })
          : failedImport(job);
      }
      res.json(job);
    } finally {
      // Whatever was not read (the rest of a file that failed early) is discarded, not left in the socket.
      if (!req.readableEnded) req.resume();
    }
  });

  return router;
}
