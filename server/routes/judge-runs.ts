import { Router } from 'express';
import {
  calibrationQuerySchema,
  judgeRunListQuerySchema,
  judgmentListQuerySchema,
  startJudgeRunSchema,
} from '../../schema/judge.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/**
 * /api/judge-runs: a judge over a model run's rated responses (a job: 202, then GET to follow it), its stored
 * outputs for audit, and its calibration against the human raters.
 */
export function judgeRunsRouter(deps: ApiDeps) {
  const { judges } = deps.services;
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', async (req, res) => {
    res.json(await judges.listJudgeRuns(parseInput(judgeRunListQuerySchema, req.query, 'query')));
  });

  // Starts the judge run (made on first start) or resumes it: only responses without an output are asked.
  router.post('/', async (req, res) => {
    const input = parseInput(startJudgeRunSchema, req.body);
    res.status(202).json(await judges.startRun(caller(req).user.id, input));
  });

  router.get('/:id', async (req, res) => {
    res.json(await judges.judgeRun(idParam(req.params.id, 'Judge run')));
  });

  // Stops after the requests in flight; start again to resume.
  router.post('/:id/cancel', async (req, res) => {
    res.status(202).json(await judges.cancelRun(idParam(req.params.id, 'Judge run')));
  });

  // Every stored output with the prompt that produced it (`?unparseable=1`: only those that could not be read).
  router.get('/:id/judgments', async (req, res) => {
    const id = idParam(req.params.id, 'Judge run');
    res.json(await judges.judgments(id, parseInput(judgmentListQuerySchema, req.query, 'query')));
  });

  router.get('/:id/calibration', async (req, res) => {
    const id = idParam(req.params.id, 'Judge run');
    res.json(await judges.calibration(id, parseInput(calibrationQuerySchema, req.query, 'query')));
  });

  return router;
}
