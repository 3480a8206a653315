import { Router } from 'express';
import { z } from 'zod';
import { reportItemsQuerySchema, reportQuerySchema } from '../../schema/scoring.ts';
import { reportItems } from '../domain/scoring/report.ts';
import type * as tasks from '../domain/scoring/tasks.ts';
import { readableRelease } from '../domain/releases/access.ts';
import { caller, requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import { sharedPools } from '../jobs/pool.ts';
import { taskRef } from '../jobs/task.ts';
import type { ApiDeps } from './index.ts';

const at = new URL('../domain/scoring/tasks.ts', import.meta.url);
const reportTask = taskRef<typeof tasks.reportTask>(at, 'reportTask');
const reportExportTask = taskRef<typeof tasks.reportExportTask>(at, 'reportExportTask');

const exportQuerySchema = reportQuerySchema.extend({ format: z.enum(['csv', 'json']).default('csv') });

/**
 * /api/reports: scores per model × language × category with bootstrap intervals; CSV and JSON export. The
 * report and its files are computed on the `reads` pool's thread (seconds for 10 models × 100k items).
 */
export function reportsRouter(deps: ApiDeps) {
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', async (req, res) => {
    const query = parseInput(reportQuerySchema, req.query, 'query');
    res.json(await sharedPools().reads.run(reportTask, deps.repos.db.name, query));
  });

  // The drill-down shows every item's reference answer: release contents, under their rule.
  router.get('/items', (req, res) => {
    const query = parseInput(reportItemsQuerySchema, req.query, 'query');
    readableRelease(deps.repos, caller(req).user, query.release);
    res.json(reportItems(deps.repos, query));
  });

  router.get('/export', async (req, res) => {
    const { format, ...query } = parseInput(exportQuerySchema, req.query, 'query');
    const file = await sharedPools().reads.run(reportExportTask, deps.repos.db.name, { query, format });
    res
      .type(format === 'json' ? 'application/json' : 'text/csv; charset=utf-8')
      .attachment(`${file.name}.${format}`)
      .send(file.body);
  });

  return router;
}
