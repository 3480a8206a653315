// Models, runs, responses, ratings and the report, shared by server and client; the parts are in scoring/.
export * from './scoring/models.ts';
export * from './scoring/runs.ts';
export * from './scoring/responses.ts';
export * from './scoring/ratings.ts';
export * from './scoring/report.ts';
export * from './scoring/comparison.ts';
