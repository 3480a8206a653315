import { Router } from 'express';
import { z } from 'zod';
import { compareQuerySchema, headlineQuerySchema } from '../../schema/scoring.ts';
import { requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';

const compareExportQuerySchema = compareQuerySchema.extend({
  format: z.enum(['csv', 'json']).default('csv'),
});

/**
 * /api/reports/compare and /api/reports/headline: paired comparisons of runs on the same release (A − B per
 * slice with intervals, McNemar or paired-bootstrap p and Holm's correction), their CSV/JSON export, and the
 * headline table; computed off the request thread (domain/scoring/comparison-service.ts).
 */
export function reportComparisonsRouter(deps: ApiDeps) {
  const { comparisons } = deps.services;
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/compare', async (req, res) => {
    res.json(await comparisons.compare(parseInput(compareQuerySchema, req.query, 'query')));
  });

  router.get('/compare/export', async (req, res) => {
    const { format, ...query } = parseInput(compareExportQuerySchema, req.query, 'query');
    const file = await comparisons.export(query, format);
    res
      .type(format === 'json' ? 'application/json' : 'text/csv; charset=utf-8')
      .attachment(`${file.name}.${format}`)
      .send(file.body);
  });

  router.get('/headline', async (req, res) => {
    res.json(await comparisons.headline(parseInput(headlineQuerySchema, req.query, 'query')));
  });

  return router;
}
