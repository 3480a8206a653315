import { Router } from 'express';
import { z } from 'zod';
import { reportItemsQuerySchema, reportQuerySchema } from '../../schema/scoring.ts';
import { buildReport, reportCsv, reportItems } from '../domain/scoring/report.ts';
import { readableRelease } from '../domain/releases.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../http/errors.ts';
import type { ApiDeps } from './index.ts';

const exportQuerySchema = reportQuerySchema.extend({ format: z.enum(['csv', 'json']).default('csv') });

/** /api/reports: scores per model × language × category with bootstrap intervals; CSV and JSON export. */
export function reportsRouter(deps: ApiDeps) {
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', (req, res) => {
    res.json(buildReport(deps.repos, parseInput(reportQuerySchema, req.query, 'query')));
  });

  // The drill-down shows every item's reference answer: release contents, under their rule.
  router.get('/items', (req, res) => {
    const query = parseInput(reportItemsQuerySchema, req.query, 'query');
    readableRelease(deps.repos, caller(req).user, query.release);
    res.json(reportItems(deps.repos, query));
  });

  router.get('/export', (req, res) => {
    const q = parseInput(exportQuerySchema, req.query, 'query');
    const report = buildReport(deps.repos, q);
    const name = `scores-${report.releaseVersion.replace(/[^0-9A-Za-z.-]/g, '_')}`;
    if (q.format === 'json') {
      res
        .type('application/json')
        .attachment(`${name}.json`)
        .send(JSON.stringify(report, null, 2) + '\n');
    } else {
      res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(reportCsv(report));
    }
  });

  return router;
}
