// Checking an import's file: read as it streams, every row mapped and checked, the checked rows staged outside
// the JS heap (duplicate ids found there), progress recorded; then, for a real import without problems, the
// write (write.ts). Runs on a job thread (tasks.ts).
import {
  createImportSchema,
  importMappingSchema,
  MAX_IMPORT_BYTES,
  MAX_REPORTED_ISSUES,
  type CreateImportInput,
  type ImportIssue,
  type ImportJob,
  type ImportMapping,
} from '../../../schema/import.ts';
import type { User } from '../../../schema/user.ts';
import type { ImportOutcome, StagedRow } from '../../db/imports.ts';
import type { Repositories } from '../../db/repositories.ts';
import { notFound } from '../../errors.ts';
import { progressGate } from '../../jobs/task.ts';
import { newItemUid } from '../items.ts';
import { readCsv } from './csv.ts';
import { cancelledIssue, datasetBusyIssue, failedIssue } from './issues.ts';
import { readJson } from './json.ts';
import { readJsonl } from './jsonl.ts';
import { RowMapper } from './mapping.ts';
import { importPreset } from './presets.ts';
import type { ImportHook } from './service.ts';
import { decodeUtf8, ImportFileError, type RowHandler } from './text.ts';
import { deleteHiddenRows, ImportCancelled, importWriter, JobInterrupted } from './write.ts';

/** Checked rows are staged this many at a time (one short transaction of the temporary database). */
const STAGE_BATCH = 1000;

/** The mapping an import reads its file with: a preset or a custom mapping, with defaults laid over. */
export function resolveMapping(input: Pick<CreateImportInput, 'preset' | 'mapping' | 'defaults'>): {
  mapping: ImportMapping;
  strictColumns: boolean;
} {
  const base = input.mapping ?? importPreset(input.preset ?? 'native').mapping;
  const mapping = input.defaults ? { ...base, defaults: { ...base.defaults, ...input.defaults } } : base;
  return { mapping, strictColumns: input.mapping !== undefined };
}

/**
 * Attempt `attempt` of a claimed import job: reads the file from `source` and checks every row; unless it is
 * a dry run and if nothing is wrong, writes the new items in hidden slices and makes them visible, with the
 * updates of existing items, in one final transaction. Runs on a job thread (tasks.ts). Stops between
 * batches of rows when `cancelRequested` says so or a maintainer asked through the job's row, leaving
 * nothing. `hook` hears the steps (ImportHook). Returns the finished job (state checked, imported or failed).
 */
export async function checkImport(
  repos: Repositories,
  hook: ImportHook | undefined,
  user: User,
  id: number,
  attempt: number,
  source: AsyncIterable<Uint8Array | string>,
  cancelRequested: () => boolean = () => false,
): Promise<ImportJob> {
  const now = () => new Date().toISOString();
  const job = async (jobId: number): Promise<ImportJob> => {
    const found = await repos.imports.get(jobId);
    if (!found) throw notFound('Import');
    return found;
  };
  const writer = importWriter(repos);
  const j = await job(id);
  // Every change below holds only while the job's row still names this attempt.
  if (j.state !== 'reading' || (await repos.imports.attemptOf(id)) !== attempt) return j;
  const options = createImportSchema.parse({
    ...((await repos.imports.options(id)) as object),
    datasetId: j.datasetId,
    format: j.format,
  });
  const { mapping, strictColumns } = resolveMapping(options);
  importMappingSchema.parse(mapping);
  // The mapper checks category paths row by row, synchronously: the taxonomies' nodes are read once here.
  const nodes = new Set(
    (await repos.taxonomies.list()).flatMap((t) => t.nodes.map((n) => `${t.id}\u0000${n.id}`)),
  );
  const mapper = new RowMapper(mapping, (t, n) => nodes.has(`${t}\u0000${n}`), strictColumns, {
    file: j.fileName,
  });
  // Awaited: on a database only this thread reaches (PGlite), the hook is called here and may return a promise.
  await hook?.('reading');

  const errors: ImportIssue[] = [];
  let errorCount = 0;
  const report = (issue: ImportIssue) => {
    errorCount++;
    if (errors.length < MAX_REPORTED_ISSUES) errors.push(issue);
  };
  const stage = await repos.imports.stage(id);
  // Rows and problems wait here in file order until the next batch is staged, which finds the
  // duplicate ids: the report lists every problem in file order.
  let pending: (StagedRow | ImportIssue)[] = [];
  let pendingRows = 0;
  const stopping = async () => cancelRequested() || (await repos.imports.cancelRequested(id));
  /** Stages what is pending, STAGE_BATCH rows at a time (the row handler is synchronous: see `paced`). */
  const flush = async () => {
    let from = 0;
    while (from < pending.length) {
      if (await stopping()) throw new ImportCancelled();
      let to = from;
      for (let rows = 0; to < pending.length && rows < STAGE_BATCH; to++) if ('uid' in pending[to]) rows++;
      await stageBatch(pending.slice(from, to));
      from = to;
    }
    pending = [];
    pendingRows = 0;
  };
  const stageBatch = async (batch: (StagedRow | ImportIssue)[]) => {
    const rows = batch.filter((x): x is StagedRow => 'uid' in x);
    const duplicates = new Map((await stage.put(rows)).map((d) => [d.row, d.first]));
    for (const x of batch) {
      if (!('uid' in x)) {
        report(x);
        continue;
      }
      const first = duplicates.get(x.row);
      if (first === undefined) continue;
      report({
        row: x.row,
        line: x.line,
        column: null,
        field: 'externalId',
        code: 'duplicate-id',
        message: `The id ${JSON.stringify(x.externalId!.slice(0, 60))} was already used in row ${first}`,
      });
    }
  };
  let processed = 0;
  const due = progressGate();
  const handler: RowHandler = {
    header(columns) {
      const issues = mapper.checkHeader(columns);
      issues.forEach(report);
      return issues.length === 0;
    },
    row(record, row, line) {
      processed = row;
      const result = mapper.mapRow(record, row, line);
      if (!result.ok) {
        pending.push(...result.issues);
        return;
      }
      const { fields, externalId } = result.value;
      pending.push({ row, line, externalId, uid: newItemUid(fields.language), fields });
      pendingRows++;
    },
    issue(issue) {
      if (issue.row !== null) processed = issue.row;
      pending.push(issue);
    },
  };
  let bytesRead = 0;
  /**
   * The file's text, chunk by chunk; before each next chunk the readers ask for, the rows of the last ones
   * are staged once a batch is full and the progress is written (the readers call the row handler
   * synchronously, so the repositories' asynchronous calls happen here, between chunks).
   */
  async function* paced(chunks: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const chunk of chunks) {
      if (pendingRows >= STAGE_BATCH) await flush();
      if (due()) await repos.imports.progress(id, bytesRead, processed, attempt);
      yield chunk;
    }
  }
  const text = paced(decodeUtf8(source, MAX_IMPORT_BYTES, (n) => (bytesRead = n)));
  // Every state change below holds only while the job is where this attempt left it: a server start that
  // found it running (another process's start while this one reads) has marked it interrupted, and then
  // this attempt stops, writing nothing.
  const outcome = (o: Omit<ImportOutcome, 'errorCount' | 'errors' | 'finishedAt'>): ImportOutcome => ({
    ...o,
    errorCount,
    errors,
    finishedAt: now(),
  });
  const finish = async (
    from: 'reading' | 'writing',
    o: Omit<ImportOutcome, 'errorCount' | 'errors' | 'finishedAt'>,
  ) => {
    await repos.imports.finish(id, from, outcome(o), attempt);
    return job(id);
  };

  const cancelledOutcome = () => {
    errors.length = 0;
    errorCount = 0;
    report(cancelledIssue());
    return { state: 'failed' as const, rowsTotal: null, created: 0, updated: 0, unchanged: 0 };
  };

  let rowsTotal: number | null = null;
  try {
    try {
      const read = { csv: readCsv, jsonl: readJsonl, json: readJson }[j.format];
      rowsTotal = (await read(text, handler)).rows;
      await flush();
    } catch (e) {
      if (e instanceof ImportCancelled) return await finish('reading', cancelledOutcome());
      await flush();
      if (!(e instanceof ImportFileError)) {
        report(failedIssue('reading'));
        await finish('reading', { state: 'failed', rowsTotal, created: 0, updated: 0, unchanged: 0 });
        throw e;
      }
      report(e.issue);
    }
    if (errorCount > 0)
      return await finish('reading', { state: 'failed', rowsTotal, created: 0, updated: 0, unchanged: 0 });

    if (j.dryRun)
      return await finish('reading', { state: 'checked', rowsTotal, ...(await writer.count(j, stage)) });

    if (await stopping()) return await finish('reading', cancelledOutcome());
    if (!(await repos.imports.writing(id, rowsTotal ?? (await stage.size()), attempt))) {
      // Marked interrupted by another process's start (and maybe taken again), or another import of
      // the dataset is writing.
      const current = await job(id);
      if (current.state !== 'reading' || (await repos.imports.attemptOf(id)) !== attempt) return current;
      errors.length = 0;
      errorCount = 0;
      report(datasetBusyIssue());
      return await finish('reading', { state: 'failed', rowsTotal, created: 0, updated: 0, unchanged: 0 });
    }
    const at = now();
    try {
      await stage.match(j.datasetId);
      const created = await writer.writeNew(user, j, attempt, stage, stopping, at);
      await hook?.('written');
      // The final transaction: the updates of existing items, and the new items made visible with the
      // job's outcome — together, or none of it.
      await repos.transaction(async () => {
        if (await stopping()) throw new ImportCancelled();
        const done = await writer.updateExisting(user, j, stage, stopping, at);
        await repos.imports.reveal(id);
        const o = outcome({ state: 'imported', rowsTotal, created, ...done });
        if (!(await repos.imports.finish(id, 'writing', o, attempt))) throw new JobInterrupted();
      });
    } catch (e) {
      // Its hidden rows go first, so that a job shown as ended has none left; a start after a crash
      // in between deletes them (reconcileImports: the job is still writing then).
      await deleteHiddenRows(repos, id);
      if (e instanceof JobInterrupted) return await job(id);
      if (e instanceof ImportCancelled) return await finish('writing', cancelledOutcome());
      report(failedIssue('writing'));
      await finish('writing', { state: 'failed', rowsTotal, created: 0, updated: 0, unchanged: 0 });
      throw e;
    }
  } finally {
    await stage.drop();
  }
  return job(id);
}
