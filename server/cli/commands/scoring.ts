import { createReadStream, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { compareQuerySchema, reportQuerySchema, type ResponseImportReport } from '../../../schema/scoring.ts';
import { compareRuns, comparisonCsv } from '../../domain/scoring/compare.ts';
import { buildReport, reportCsv } from '../../domain/scoring/report.ts';
import { createScoringService } from '../../domain/scoring/service.ts';
import { AppError } from '../../errors.ts';
import {
  CliError,
  invalidOptions,
  positiveId,
  required,
  str,
  type CliIo,
  type CommandDefinition,
} from '../command.ts';
import { printIssues, writeFileAtomically } from '../output.ts';

function printResponseImport(report: ResponseImportReport, file: string, out: CliIo['out']) {
  out(
    `${report.dryRun ? 'Dry run' : 'Import'} of ${basename(file)}: ${report.rows} rows, ${report.valid} valid, ${report.errorCount} problem(s).`,
  );
  printIssues(report.errors, report.errorCount, out);
  if (report.dryRun && report.errorCount === 0)
    out('Nothing was written; run again with --commit to import.');
  if (!report.dryRun) out(`Imported and scored ${report.imported} responses.`);
}

/** Model runs, their responses and the model report. */
export const scoringCommands: CommandDefinition[] = [
  {
    name: 'runs list',
    options: { release: { type: 'string', value: 'ID' } },
    help: 'Lists the model runs (on one release) with their progress.',
    migrates: true,
    async run({ repos, values, out }) {
      const release = str(values, 'release');
      const runs = await createScoringService(repos).listRuns(
        release === undefined ? {} : { release: positiveId(release, '--release') },
      );
      if (runs.length === 0) {
        out('No runs yet.');
        return;
      }
      for (const r of runs) {
        const p = r.progress;
        out(
          `${r.id}  ${r.modelName}  release ${r.releaseVersion} (${r.releaseId})  ${r.status}  ${p.responses}/${p.items} answered, ${p.correct}/${p.autoScored} correct, ${p.toRate} to rate`,
        );
      }
    },
  },

  {
    name: 'responses import',
    options: {
      run: { type: 'string', value: 'ID', required: true },
      file: { type: 'string', value: 'F', required: true },
      format: { type: 'string', value: 'csv|jsonl' },
      commit: { type: 'boolean' },
    },
    help: "Imports a run's responses (columns id,response) and scores them: a dry run unless --commit.",
    migrates: true,
    async run({ repos, values, out }) {
      const runId = positiveId(required(values, 'run'), '--run');
      const file = resolve(required(values, 'file'));
      if (!existsSync(file)) throw new CliError(`no file ${file}`);
      const format = str(values, 'format') ?? (/\.jsonl?$|\.ndjson$/i.test(file) ? 'jsonl' : 'csv');
      if (format !== 'csv' && format !== 'jsonl') throw new CliError('--format must be csv or jsonl');
      const scoring = createScoringService(repos);
      let report: ResponseImportReport;
      try {
        report = await scoring.importResponses(runId, format, createReadStream(file), values.commit !== true);
      } catch (e) {
        // A file with problems is refused with its report: printed like a dry run's.
        const refused =
          e instanceof AppError ? (e.details as { report?: ResponseImportReport })?.report : null;
        if (!refused) throw e;
        report = refused;
      }
      printResponseImport(report, file, out);
      if (report.errorCount > 0) throw new CliError(`${report.errorCount} problem(s); nothing was imported`);
    },
  },

  {
    name: 'report',
    options: {
      release: { type: 'string', value: 'ID', required: true },
      out: { type: 'string', value: 'FILE', required: true },
      format: { type: 'string', value: 'csv|json' },
      seed: { type: 'string', value: 'N' },
      resamples: { type: 'string', value: 'N' },
    },
    help: 'Saves the model report of a release: per model × language × category, with 95% intervals.',
    migrates: true,
    async run({ repos, values, out }) {
      const target = resolve(required(values, 'out'));
      const format = str(values, 'format') ?? (target.toLowerCase().endsWith('.json') ? 'json' : 'csv');
      if (format !== 'csv' && format !== 'json') throw new CliError('--format must be csv or json');
      const parsed = reportQuerySchema.safeParse({
        release: required(values, 'release'),
        ...(str(values, 'seed') === undefined ? {} : { seed: str(values, 'seed') }),
        ...(str(values, 'resamples') === undefined ? {} : { resamples: str(values, 'resamples') }),
      });
      if (!parsed.success) throw invalidOptions(parsed.error);
      const report = await buildReport(repos, parsed.data);
      writeFileAtomically(
        target,
        format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportCsv(report),
      );
      out(`Saved the report of release ${parsed.data.release} (${format}) to ${target}.`);
    },
  },

  {
    name: 'report compare',
    options: {
      release: { type: 'string', value: 'ID', required: true },
      a: { type: 'string', value: 'RUN', required: true },
      b: { type: 'string', value: 'RUN', required: true },
      out: { type: 'string', value: 'FILE', required: true },
      format: { type: 'string', value: 'csv|json' },
      seed: { type: 'string', value: 'N' },
      resamples: { type: 'string', value: 'N' },
    },
    help: 'Saves the paired comparison of runs A and B on a release: A − B per slice, intervals, p-values (Holm).',
    migrates: true,
    async run({ repos, values, out }) {
      const target = resolve(required(values, 'out'));
      const format = str(values, 'format') ?? (target.toLowerCase().endsWith('.json') ? 'json' : 'csv');
      if (format !== 'csv' && format !== 'json') throw new CliError('--format must be csv or json');
      const parsed = compareQuerySchema.safeParse({
        release: required(values, 'release'),
        a: required(values, 'a'),
        b: required(values, 'b'),
        ...(str(values, 'seed') === undefined ? {} : { seed: str(values, 'seed') }),
        ...(str(values, 'resamples') === undefined ? {} : { resamples: str(values, 'resamples') }),
      });
      if (!parsed.success) throw invalidOptions(parsed.error);
      const comparison = await compareRuns(repos, parsed.data);
      writeFileAtomically(
        target,
        format === 'json' ? `${JSON.stringify(comparison, null, 2)}\n` : comparisonCsv(comparison),
      );
      out(`Saved the comparison of run ${parsed.data.a} with run ${parsed.data.b} (${format}) to ${target}.`);
    },
  },
];
