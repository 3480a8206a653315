import { Router } from 'express';
import {
  agreementExportQuerySchema,
  agreementQuerySchema,
  type AgreementQuery,
} from '../../schema/validation.ts';
import type { User } from '../../schema/user.ts';
import { agreementCsv, agreementReport } from '../domain/agreement-report.ts';
import { canUseLanguage, caller, requireRole } from '../http/auth.ts';
import { forbidden, notFound, parseInput } from '../http/errors.ts';
import type { ApiDeps } from './index.ts';

/** Maintainers see every language; reviewers one of theirs at a time. */
function checkReportAccess(user: User, query: AgreementQuery) {
  if (user.role === 'maintainer') return;
  if (user.role !== 'reviewer' || !query.language || !canUseLanguage(user, query.language))
    throw forbidden('Maintainers see all languages; reviewers choose one of theirs');
}

/** /api/agreement: the agreement dashboard and its CSV export. */
export function agreementRouter(deps: ApiDeps) {
  const router = Router();
  router.use(requireRole('reviewer', 'maintainer'));
  const report = (user: User, query: AgreementQuery) => {
    checkReportAccess(user, query);
    if (!deps.repos.datasets.exists(query.dataset)) throw notFound('Dataset');
    return agreementReport(deps.repos.validations, query.dataset, query.language, query.breakdown);
  };

  router.get('/', (req, res) => {
    const query = parseInput(agreementQuerySchema, req.query, 'query');
    res.json(report(caller(req).user, query));
  });

  router.get('/export', (req, res) => {
    const { table, ...query } = parseInput(agreementExportQuerySchema, req.query, 'query');
    const csv = agreementCsv(report(caller(req).user, query), table);
    res.type('text/csv; charset=utf-8').attachment(`agreement-${query.dataset}-${table}.csv`).send(csv);
  });

  return router;
}
