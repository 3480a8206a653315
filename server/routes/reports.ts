import { Router } from 'express';
import { z } from 'zod';
import { reportItemsQuerySchema, reportQuerySchema } from '../../schema/scoring.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';

const exportQuerySchema = reportQuerySchema.extend({ format: z.enum(['csv', 'json']).default('csv') });

/**
 * /api/reports: scores per model × language × category with bootstrap intervals; CSV and JSON export, computed
 * off the request thread (domain/scoring/report-service.ts).
 */
export function reportsRouter(deps: ApiDeps) {
  const { reports } = deps.services;
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', async (req, res) => {
    const query = parseInput(reportQuerySchema, req.query, 'query');
    res.json(await reports.report(query));
  });

  // The drill-down shows every item's reference answer: release contents, under their rule.
  router.get('/items', async (req, res) => {
    const query = parseInput(reportItemsQuerySchema, req.query, 'query');
    res.json(await reports.items(caller(req).user, query));
  });

  router.get('/export', async (req, res) => {
    const { format, ...query } = parseInput(exportQuerySchema, req.query, 'query');
    const file = await reports.export(query, format);
    res
      .type(format === 'json' ? 'application/json' : 'text/csv; charset=utf-8')
      .attachment(`${file.name}.${format}`)
      .send(file.body);
  });

  return router;
}
