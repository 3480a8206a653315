// The agreement dashboard of a dataset and its CSV tables; the parts are in agreement/ (report-groups.ts, report.ts,
// report-csv.ts).
export { agreementReport } from './agreement/report.ts';
export { agreementCsv } from './agreement/report-csv.ts';
