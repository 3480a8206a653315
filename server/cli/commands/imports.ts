import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createImportSchema, type ImportJob } from '../../../schema/import.ts';
import { runImportJob } from '../../domain/import/job.ts';
import { createImportService } from '../../domain/import/service.ts';
import {
  CliError,
  invalidOptions,
  jsonOption,
  required,
  str,
  type CliIo,
  type CommandDefinition,
} from '../command.ts';
import { datasetIdOf, maintainer } from '../lookups.ts';
import { printIssues } from '../output.ts';

function printImport(job: ImportJob, out: CliIo['out']) {
  const what = job.dryRun ? 'Dry run' : 'Import';
  out(`${what} of ${job.fileName}: ${job.state}; ${job.rowsTotal ?? job.rowsProcessed} rows.`);
  if (job.state !== 'failed') {
    out(
      `${job.dryRun ? 'Would create' : 'Created'} ${job.created}, ${job.dryRun ? 'update' : 'updated'} ${job.updated}, unchanged ${job.unchanged}.`,
    );
    if (job.dryRun) out('Nothing was written; run again with --commit to import.');
    return;
  }
  printIssues(job.errors, job.errorCount, out);
}

/** Items from a file, as the server's import job does it. */
export const importCommands: CommandDefinition[] = [
  {
    name: 'import',
    options: {
      username: { type: 'string', value: 'U', required: true },
      dataset: { type: 'string', value: 'ID|SLUG', required: true },
      file: { type: 'string', value: 'F', required: true },
      format: { type: 'string', value: 'csv|jsonl|json' },
      preset: { type: 'string', value: 'P' },
      mapping: { type: 'string', value: 'M.json' },
      defaults: { type: 'string', value: 'JSON' },
      status: { type: 'string', value: 'submitted|accepted' },
      commit: { type: 'boolean' },
    },
    help: 'Imports items into a dataset as the maintainer U: a dry run listing every problem unless --commit.',
    migrates: true,
    async run({ repos, values, out, instance }) {
      const user = await maintainer(repos, required(values, 'username'));
      const datasetId = await datasetIdOf(repos, required(values, 'dataset'));
      const file = resolve(required(values, 'file'));
      if (!existsSync(file)) throw new CliError(`no file ${file}`);
      const format =
        str(values, 'format') ??
        (/\.json$/i.test(file) ? 'json' : /\.jsonl$|\.ndjson$/i.test(file) ? 'jsonl' : 'csv');
      const mappingFile = str(values, 'mapping');
      const parsed = createImportSchema.safeParse({
        datasetId,
        format,
        fileName: basename(file),
        dryRun: values.commit !== true,
        ...(str(values, 'preset') === undefined ? {} : { preset: str(values, 'preset') }),
        ...(mappingFile === undefined
          ? {}
          : { mapping: jsonOption(readFileSync(mappingFile, 'utf8'), '--mapping') }),
        ...(str(values, 'defaults') === undefined
          ? {}
          : { defaults: jsonOption(str(values, 'defaults')!, '--defaults') }),
        ...(str(values, 'status') === undefined ? {} : { status: str(values, 'status') }),
      });
      if (!parsed.success) throw invalidOptions(parsed.error);
      // This CLI owns the job while it runs: a server starting meanwhile leaves it alone.
      const imports = createImportService(repos, { owner: (await instance()).id });
      const job = await imports.create(user, parsed.data);
      await imports.claim(job.id, statSync(file).size);
      // The same job as the server's, on a job thread; the CLI waits for it.
      const done = await runImportJob(repos, user.id, job.id, file);
      printImport(done, out);
      if (done.state === 'failed') throw new CliError(`${done.errorCount} problem(s); nothing was imported`);
    },
  },
];
