import { Router, type Request } from 'express';
import {
  collectSchema,
  createRunSchema,
  responseImportQuerySchema,
  responseListQuerySchema,
  runListQuerySchema,
} from '../../schema/scoring.ts';
import { cancelCollection, startCollection } from '../domain/scoring/collection-job.ts';
import { createScoringService } from '../domain/scoring/service.ts';
import { caller, requireRole } from '../http/auth.ts';
import { AppError, parseInput } from '../errors.ts';
import { createOutboundClient } from '../outbound/client.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

const CSV_TYPES = ['text/csv', 'text/plain'];
const JSONL_TYPES = ['application/x-ndjson', 'application/jsonl'];

/** Whether a request is a response file upload (a raw CSV/JSONL body, like the item import's). */
export const isResponseUpload = (req: Request) =>
  req.method === 'PUT' &&
  /^\/runs\/\d+\/responses\/?$/.test(req.path) &&
  req.is([...CSV_TYPES, ...JSONL_TYPES, 'application/octet-stream']) !== false;

/** /api/runs: a model answering a published release; responses imported or collected, scored automatically. */
export function runsRouter(deps: ApiDeps) {
  const scoring = createScoringService(deps.repos);
  const outbound = createOutboundClient(deps.outbound);
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', (req, res) => {
    res.json(scoring.listRuns(parseInput(runListQuerySchema, req.query, 'query')));
  });

  router.post('/', (req, res) => {
    res.status(201).json(scoring.createRun(caller(req).user, parseInput(createRunSchema, req.body)));
  });

  router.get('/:id', (req, res) => {
    res.json(scoring.run(idParam(req.params.id, 'Run')));
  });

  router.get('/:id/responses', (req, res) => {
    const id = idParam(req.params.id, 'Run');
    scoring.run(id);
    const q = parseInput(responseListQuerySchema, req.query, 'query');
    res.json(deps.repos.scoring.listResponses(id, q.after, q.limit));
  });

  // The raw file is the body: CSV (`id,response`) or JSON Lines (`{"id", "response"}`).
  router.put('/:id/responses', async (req, res) => {
    const id = idParam(req.params.id, 'Run');
    const q = parseInput(responseImportQuerySchema, req.query, 'query');
    const format = q.format ?? (req.is(JSONL_TYPES) ? 'jsonl' : req.is(CSV_TYPES) ? 'csv' : null);
    if (!format) {
      throw new AppError(
        415,
        'unsupported-media-type',
        'Send the file as text/csv or application/x-ndjson (or say ?format=csv|jsonl)',
      );
    }
    try {
      res.json(await scoring.importResponses(id, format, req, q.dryRun));
    } finally {
      if (!req.readableEnded) req.resume();
    }
  });

  // A job: answers at once with the run collecting; GET /api/runs/:id shows its progress.
  router.post('/:id/collect', async (req, res) => {
    const id = idParam(req.params.id, 'Run');
    const input = parseInput(collectSchema, req.body ?? {});
    const run = await startCollection(deps.repos, id, input, {
      env: deps.scoringEnv,
      outbound,
      allowPrivate: deps.outbound?.allowPrivate,
      maxBodyBytes: deps.outbound?.maxBodyBytes,
      log: deps.log,
    });
    res.status(202).json(run);
  });

  // Stops the collection after the requests in flight; collect again to resume.
  router.post('/:id/cancel', (req, res) => {
    res.status(202).json(cancelCollection(deps.repos, idParam(req.params.id, 'Run')));
  });

  return router;
}
