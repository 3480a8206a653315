import { Router } from 'express';
import {
  collectSchema,
  createRunSchema,
  responseImportQuerySchema,
  responseListQuerySchema,
  runListQuerySchema,
} from '../../schema/scoring.ts';
import { caller, requireRole } from '../http/auth.ts';
import { AppError, parseInput } from '../errors.ts';
import { rawBody } from '../http/raw-body.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

const CSV_TYPES = ['text/csv', 'text/plain'];
const JSONL_TYPES = ['application/x-ndjson', 'application/jsonl'];

const UNSUPPORTED = 'Send the file as text/csv or application/x-ndjson (or say ?format=csv|jsonl)';

/**
 * PUT /api/runs/:id/responses, a response file: the raw file is the body (CSV `id,response` or JSON Lines
 * `{"id", "response"}`, like the item import's), with its own parser (mounted before the JSON-only guard).
 */
export function responseFileRouter(deps: ApiDeps) {
  const { scoring } = deps.services;
  const router = Router();

  router.put(
    '/:id/responses',
    requireRole('maintainer'),
    rawBody([...CSV_TYPES, ...JSONL_TYPES, 'application/octet-stream'], UNSUPPORTED),
    async (req, res) => {
      const id = idParam(req.params.id, 'Run');
      const q = parseInput(responseImportQuerySchema, req.query, 'query');
      const format = q.format ?? (req.is(JSONL_TYPES) ? 'jsonl' : req.is(CSV_TYPES) ? 'csv' : null);
      if (!format) throw new AppError(415, 'unsupported-media-type', UNSUPPORTED);
      try {
        res.json(await scoring.importResponses(id, format, req, q.dryRun));
      } finally {
        if (!req.readableEnded) req.resume();
      }
    },
  );

  return router;
}

/** /api/runs: a model answering a published release; responses imported (responseFileRouter) or collected, scored automatically. */
export function runsRouter(deps: ApiDeps) {
  const { scoring, collections } = deps.services;
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', async (req, res) => {
    res.json(await scoring.listRuns(parseInput(runListQuerySchema, req.query, 'query')));
  });

  router.post('/', async (req, res) => {
    res.status(201).json(await scoring.createRun(caller(req).user, parseInput(createRunSchema, req.body)));
  });

  router.get('/:id', async (req, res) => {
    res.json(await scoring.run(idParam(req.params.id, 'Run')));
  });

  router.get('/:id/responses', async (req, res) => {
    const id = idParam(req.params.id, 'Run');
    const q = parseInput(responseListQuerySchema, req.query, 'query');
    res.json(await scoring.listResponses(id, q.after, q.limit));
  });

  // A job: answers at once with the run collecting; GET /api/runs/:id shows its progress.
  router.post('/:id/collect', async (req, res) => {
    const id = idParam(req.params.id, 'Run');
    const input = parseInput(collectSchema, req.body ?? {});
    res.status(202).json(await collections.start(id, input));
  });

  // Stops the collection after the requests in flight; collect again to resume.
  router.post('/:id/cancel', async (req, res) => {
    res.status(202).json(await collections.cancel(idParam(req.params.id, 'Run')));
  });

  return router;
}
