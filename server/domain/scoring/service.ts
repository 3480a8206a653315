import { NUL_CHARACTER } from '../../../schema/common.ts';
import { MAX_IMPORT_BYTES, MAX_REPORTED_ISSUES } from '../../../schema/import.ts';
import type { ReleaseItem, ReleaseItemFields } from '../../../schema/release.ts';
import type {
  CreateModelInput,
  CreateRunInput,
  Model,
  ResponseImportIssue,
  ResponseImportReport,
  Run,
  UpdateModelInput,
} from '../../../schema/scoring.ts';
import type { User } from '../../../schema/user.ts';
import type { Repositories } from '../../db/repositories.ts';
import type { NewResponse } from '../../db/scoring.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { readCsv } from '../import/csv.ts';
import { readJsonl } from '../import/jsonl.ts';
import { decodeUtf8, ImportFileError } from '../import/text.ts';
import { reportCategory, scoreResponse } from './score.ts';

/** Longest response kept (characters); longer ones are an issue on import and cut off on collection. */
export const MAX_RESPONSE_CHARS = 100_000;

/** Reads a release's whole snapshot, page by page, into a map by stable item id. */
export async function releaseItems(
  repos: Repositories,
  releaseId: number,
): Promise<Map<string, ReleaseItemFields>> {
  const items = new Map<string, ReleaseItemFields>();
  let after = '';
  for (;;) {
    const page: ReleaseItem[] = await repos.releases.snapshotPage(releaseId, after, 1000);
    for (const r of page) items.set(r.item.uid, r.item);
    if (page.length < 1000) return items;
    after = page[page.length - 1].item.uid;
  }
}

/** A scored response row for an item of the run's release. */
export function responseRow(
  runId: number,
  item: ReleaseItemFields,
  response: string,
  source: NewResponse['source'],
  at: string,
): NewResponse {
  const score = scoreResponse(item, response);
  return {
    runId,
    uid: item.uid,
    language: item.language,
    kind: item.kind,
    format: item.format,
    category: reportCategory(item),
    response,
    source,
    ...score,
    createdAt: at,
  };
}

/** Scheme, host and port of a base URL (null without one): where a key would be sent. */
const originOf = (url: string | null) => (url === null ? null : new URL(url).origin);

/** Models and runs: registering, creating runs on published releases, importing responses. */
export function createScoringService(repos: Repositories, now: () => Date = () => new Date()) {
  const s = repos.scoring;

  async function model(id: number): Promise<Model> {
    const m = await s.getModel(id);
    if (!m) throw notFound('Model');
    return m;
  }

  async function run(id: number): Promise<Run> {
    const r = await s.getRun(id);
    if (!r) throw notFound('Run');
    return r;
  }

  async function nameFree(name: string, except?: number) {
    const other = await s.modelByName(name);
    if (other && other.id !== except) throw conflict('model-exists', `A model named "${name}" exists`);
  }

  return {
    model,
    run,
    listModels: async () => await s.listModels(),

    async createModel(user: User, input: CreateModelInput): Promise<Model> {
      await nameFree(input.name);
      const id = await s.insertModel({
        name: input.name.trim(),
        developer: input.developer.trim(),
        country: input.country,
        sovereign: input.sovereign,
        baseUrl: input.baseUrl,
        endpointModel: input.endpointModel,
        apiKeyEnv: input.apiKeyEnv,
        apiKey: input.apiKey ?? null,
        createdBy: user.id,
        createdAt: now().toISOString(),
      });
      return model(id);
    },

    /**
     * Changes a model. A key never follows the model to another host: a new scheme, host or port drops the
     * stored key and the key variable's name unless the same request gives them again.
     */
    async updateModel(id: number, changes: UpdateModelInput): Promise<Model> {
      const m = await model(id);
      if (changes.name !== undefined) await nameFree(changes.name, id);
      const { apiKey, apiKeyEnv, ...rest } = changes;
      const next = { ...m, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
      const moved = changes.baseUrl !== undefined && originOf(changes.baseUrl) !== originOf(m.baseUrl);
      await s.updateModel(id, {
        name: next.name.trim(),
        developer: next.developer.trim(),
        country: next.country,
        sovereign: next.sovereign,
        baseUrl: next.baseUrl,
        endpointModel: next.endpointModel,
        apiKeyEnv: apiKeyEnv !== undefined ? apiKeyEnv : moved ? null : m.apiKeyEnv,
        // Omitted keeps the stored key (on the same host); null forgets it.
        apiKey: apiKey !== undefined ? apiKey : moved ? null : await s.storedApiKey(id),
      });
      return model(id);
    },

    listRuns: async (filter: { release?: number; model?: number }) => await s.listRuns(filter),

    /** A page of run `runId`'s responses with their scores, in item id order after `after` (404 for an unknown run). */
    async listResponses(runId: number, after: string, limit: number) {
      await run(runId);
      return await s.listResponses(runId, after, limit);
    },

    async createRun(user: User, input: CreateRunInput): Promise<Run> {
      await model(input.modelId);
      const release = await repos.releases.get(input.releaseId);
      if (!release) throw notFound('Release');
      if (release.state !== 'published') {
        throw conflict('release-not-published', 'Runs are made on published releases only');
      }
      const id = await s.insertRun({
        ...input,
        itemCount: release.itemCount,
        createdBy: user.id,
        createdAt: now().toISOString(),
      });
      return run(id);
    },

    /**
     * Imports responses (CSV with columns `id,response`, or JSONL objects `{"id", "response"}`) into a run.
     * Like the item import: every row is checked first; a dry run or a file with any problem writes nothing
     * (the latter is 422 with the report); otherwise every response is written and scored in one transaction.
     */
    async importResponses(
      runId: number,
      format: 'csv' | 'jsonl',
      body: AsyncIterable<Uint8Array | string>,
      dryRun: boolean,
    ): Promise<ResponseImportReport> {
      const r = await run(runId);
      const items = await releaseItems(repos, r.releaseId);
      const answered = await s.answeredUids(runId);
      const seen = new Map<string, number>();
      const errors: ResponseImportIssue[] = [];
      let errorCount = 0;
      const issue = (i: ResponseImportIssue) => {
        errorCount++;
        if (errors.length < MAX_REPORTED_ISSUES) errors.push(i);
      };
      const at = now().toISOString();
      const rows: NewResponse[] = [];
      /** Ids not in the release: another release's item (not-in-release) or no item at all (unknown-id). */
      const unknown: { uid: string; entry: ResponseImportIssue }[] = [];
      let headerOk = true;
      const handler = {
        header(columns: string[]) {
          const missing = ['id', 'response'].filter((c) => !columns.includes(c));
          if (missing.length > 0) {
            headerOk = false;
            issue({
              row: null,
              line: 1,
              id: null,
              code: 'missing-columns',
              message: `The header needs the columns ${missing.join(', ')}`,
            });
          }
          return headerOk;
        },
        row(record: Record<string, unknown>, row: number, line: number) {
          const id = record.id;
          const response = record.response;
          if (typeof id !== 'string' || id.trim() === '') {
            issue({
              row,
              line,
              id: null,
              code: 'missing-id',
              message: 'Give the item id (a string) in "id"',
            });
            return;
          }
          // Refused before the id is looked up: PostgreSQL's text cannot hold U+0000 (schema/common.ts).
          const nul = id.includes('\u0000')
            ? 'id'
            : typeof response === 'string' && response.includes('\u0000')
              ? 'response'
              : null;
          if (nul) {
            issue({
              row,
              line,
              id: null,
              code: NUL_CHARACTER.code,
              message: `${nul}: ${NUL_CHARACTER.message}`,
            });
            return;
          }
          const uid = id.trim();
          const fail = (code: string, message: string) => issue({ row, line, id: uid, code, message });
          if (typeof response !== 'string')
            return fail('missing-response', 'Give the response text in "response"');
          if (response.length > MAX_RESPONSE_CHARS)
            return fail('response-too-long', `A response has at most ${MAX_RESPONSE_CHARS} characters`);
          const first = seen.get(uid);
          if (first !== undefined)
            return fail('duplicate-id', `Item ${uid} already has a response on row ${first}`);
          seen.set(uid, row);
          const item = items.get(uid);
          if (!item) {
            // Told apart once the file is read (the readers call this synchronously): `unknown` below.
            const entry: ResponseImportIssue = { row, line, id: uid, code: 'unknown-id', message: '' };
            unknown.push({ uid, entry });
            return issue(entry);
          }
          if (answered.has(uid)) return fail('already-answered', `The run already has a response to ${uid}`);
          rows.push(responseRow(runId, item, response.normalize('NFC'), 'import', at));
        },
        issue(i: { row: number | null; line: number | null; code: string; message: string }) {
          issue({ row: i.row, line: i.line, id: null, code: i.code, message: i.message });
        },
      };
      let total = 0;
      try {
        const text = decodeUtf8(body, MAX_IMPORT_BYTES, () => {});
        total = (format === 'csv' ? await readCsv(text, handler) : await readJsonl(text, handler)).rows;
      } catch (e) {
        if (!(e instanceof ImportFileError)) throw e;
        issue({ row: null, line: e.issue.line, id: null, code: e.issue.code, message: e.issue.message });
      }
      for (const { uid, entry } of unknown) {
        const elsewhere = await s.itemUidExists(uid);
        entry.code = elsewhere ? 'not-in-release' : 'unknown-id';
        entry.message = elsewhere
          ? `Item ${uid} is not in release ${r.releaseVersion}`
          : `No item has the id ${uid}`;
      }
      const report: ResponseImportReport = {
        dryRun,
        rows: total,
        imported: 0,
        valid: rows.length,
        errorCount,
        errors,
      };
      if (errorCount > 0) {
        if (dryRun) return report;
        throw new AppError(422, 'import-failed', 'The file has problems; nothing was imported', { report });
      }
      if (!dryRun) {
        report.imported = await repos.transaction(() => s.insertResponses(rows));
        const after = await run(runId);
        if (after.status !== 'collecting' && after.progress.responses >= after.progress.items) {
          await s.setRunStatus(runId, 'complete', null, at);
        }
      }
      return report;
    },
  };
}
export type ScoringService = ReturnType<typeof createScoringService>;
