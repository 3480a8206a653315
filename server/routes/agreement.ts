import { Router } from 'express';
import {
  agreementExportQuerySchema,
  agreementQuerySchema,
  type AgreementQuery,
} from '../../schema/validation.ts';
import type { User } from '../../schema/user.ts';
import type * as tasks from '../domain/agreement-tasks.ts';
import { canUseLanguage } from '../domain/auth.ts';
import { caller, requireRole } from '../http/auth.ts';
import { forbidden, notFound, parseInput } from '../errors.ts';
import { sharedPools } from '../jobs/pool.ts';
import { taskRef } from '../jobs/task.ts';
import type { ApiDeps } from './index.ts';

const at = new URL('../domain/agreement-tasks.ts', import.meta.url);
const reportTask = taskRef<typeof tasks.agreementReportTask>(at, 'agreementReportTask');
const csvTask = taskRef<typeof tasks.agreementCsvTask>(at, 'agreementCsvTask');

/** Maintainers see every language; reviewers one of theirs at a time. */
function checkReportAccess(user: User, query: AgreementQuery) {
  if (user.role === 'maintainer') return;
  if (user.role !== 'reviewer' || !query.language || !canUseLanguage(user, query.language))
    throw forbidden('Maintainers see all languages; reviewers choose one of theirs');
}

/**
 * /api/agreement: the agreement dashboard and its CSV export. Both are computed on the `reads` pool's
 * thread (seconds at 100k items), so the request thread keeps answering everyone else meanwhile.
 */
export function agreementRouter(deps: ApiDeps) {
  const router = Router();
  router.use(requireRole('reviewer', 'maintainer'));
  const input = (user: User, query: AgreementQuery) => {
    checkReportAccess(user, query);
    if (!deps.repos.datasets.exists(query.dataset)) throw notFound('Dataset');
    return { datasetId: query.dataset, language: query.language, breakdown: query.breakdown };
  };

  router.get('/', async (req, res) => {
    const query = parseInput(agreementQuerySchema, req.query, 'query');
    res.json(await sharedPools().reads.run(reportTask, deps.repos.db.name, input(caller(req).user, query)));
  });

  router.get('/export', async (req, res) => {
    const { table, ...query } = parseInput(agreementExportQuerySchema, req.query, 'query');
    const csv = await sharedPools().reads.run(csvTask, deps.repos.db.name, {
      ...input(caller(req).user, query),
      table,
    });
    res.type('text/csv; charset=utf-8').attachment(`agreement-${query.dataset}-${table}.csv`).send(csv);
  });

  return router;
}
