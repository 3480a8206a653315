import { csvTable, type CsvValue } from '../../../exports/csv-cell.ts';
import type { AgreementReport } from '../../../schema/validation.ts';

const round3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/**
 * One table of the report as CSV, through the one cell writer (UTF-8 with BOM so Excel reads it; text a
 * spreadsheet would run as a formula, a display name included, gets a leading apostrophe; numbers stay numbers).
 */
export function agreementCsv(
  report: AgreementReport,
  table: 'questions' | 'annotators' | 'coverage',
): string {
  let fields: string[];
  let data: CsvValue[][];
  switch (table) {
    case 'questions':
      fields = [
        'question',
        'language',
        'category',
        'units',
        'values',
        'alpha',
        'alpha_interval',
        'fleiss_kappa',
        'cohen_kappa',
        'percent_agreement',
      ];
      data = report.questions.map((r) => [
        r.question,
        r.language,
        r.category,
        r.units,
        r.values,
        round3(r.alpha),
        round3(r.alphaInterval),
        round3(r.fleissKappa),
        round3(r.cohenKappa),
        round3(r.percentAgreement),
      ]);
      break;
    case 'annotators':
      fields = [
        'user_id',
        'name',
        'validations',
        'decided',
        'agreement_with_final',
        'gold_validations',
        'gold_accuracy',
        'kappa_grounded',
        'kappa_correct',
        'median_seconds',
      ];
      data = report.annotators.map((a) => [
        a.userId,
        a.name,
        a.validations,
        a.decided,
        round3(a.agreementWithFinal),
        a.goldValidations,
        round3(a.goldAccuracy),
        round3(a.kappaGrounded),
        round3(a.kappaCorrect),
        a.medianSeconds === null ? null : Math.round(a.medianSeconds),
      ]);
      break;
    case 'coverage':
      fields = ['language', 'category', 'status', 'count'];
      data = report.coverage.map((c) => [c.language, c.category, c.status, c.count]);
      break;
  }
  return csvTable(fields, data);
}
