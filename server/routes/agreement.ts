import { Router } from 'express';
import { agreementExportQuerySchema, agreementQuerySchema } from '../../schema/validation.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';

/**
 * /api/agreement: the agreement dashboard and its CSV export (maintainers: every language; reviewers: one of
 * theirs). Both are computed off the request thread (domain/agreement-service.ts).
 */
export function agreementRouter(deps: ApiDeps) {
  const { agreement } = deps.services;
  const router = Router();
  router.use(requireRole('reviewer', 'maintainer'));

  router.get('/', async (req, res) => {
    const query = parseInput(agreementQuerySchema, req.query, 'query');
    res.json(await agreement.report(caller(req).user, query));
  });

  router.get('/export', async (req, res) => {
    const { table, ...query } = parseInput(agreementExportQuerySchema, req.query, 'query');
    const csv = await agreement.csv(caller(req).user, query, table);
    res.type('text/csv; charset=utf-8').attachment(`agreement-${query.dataset}-${table}.csv`).send(csv);
  });

  return router;
}
