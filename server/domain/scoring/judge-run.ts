/**
 * A judge run: a judge model asked about every response of a model run that people would rate (open-ended and
 * safety), one request per response, through the outbound client (address policy, no redirects; the key only
 * in the Authorization header). Two halves, like a collection: `prepareJudgeRun` on the request thread (checks,
 * the endpoint's addresses checked, the judge run claimed) and `runJudgeRun` on a judge thread (judge-job.ts).
 *
 * No request is repeated on resume: before a request is sent its row is written `sent` (unique per judge run ×
 * response), and the answer replaces it. A start skips every response with an answer. A server that stops
 * cleanly lets the requests in flight finish first; only a killed server leaves rows `sent`, and those are asked
 * again and counted in `resent`. Every raw output is stored; one that is not the required JSON is counted as
 * unparseable, never guessed.
 */
import type { JudgeRunState, StartJudgeRunInput } from '../../../schema/judge.ts';
import type { Repositories } from '../../db/repositories.ts';
import type { JudgeRunCounts } from '../../db/scoring.ts';
import { conflict, notFound } from '../../errors.ts';
import { withProgressTimer } from '../../jobs/task.ts';
import {
  createOutboundClient,
  OutboundError,
  type OutboundClient,
  type ResolvedAddress,
} from '../../outbound/client.ts';
import { AttemptError, requestCompletion, UnreachableError, waitBeforeRetry } from './chat-completion.ts';
import { endpointUnreachable } from './collect.ts';
import { modelEndpoint } from './endpoint.ts';
import { parseJudgeOutput, renderJudgePrompt } from './judge-rubric.ts';
import { MAX_RESPONSE_CHARS, releaseItems } from './service.ts';

export interface JudgeRunOptions {
  env?: Record<string, string | undefined>;
  outbound?: OutboundClient;
  allowPrivate?: boolean;
  maxBodyBytes?: number;
  maxBackoffMs?: number;
  /** The app instance the judge run runs in (its owner: server/domain/instances.ts); none: dead to others. */
  owner?: string;
}

/** What a judge thread is given: plain data, the key included (never logged). */
export interface JudgeRunStart {
  judgeRunId: number;
  input: StartJudgeRunInput;
  url: string;
  addresses: ResolvedAddress[];
  allowPrivate: boolean;
  maxBodyBytes?: number;
  apiKey: string | null;
  maxBackoffMs: number;
}

/**
 * On the request thread: the judge and the model run must exist, the judge's model must have a usable endpoint
 * and key, its host must resolve to allowed addresses (502 endpoint-unreachable otherwise, nothing changed);
 * then the judge run (one per judge × model run, made on first start) is claimed (409 judge-run-running).
 */
export async function prepareJudgeRun(
  repos: Repositories,
  userId: number,
  input: StartJudgeRunInput,
  options: JudgeRunOptions = {},
): Promise<JudgeRunStart> {
  const judge = await repos.scoring.getJudge(input.judgeId);
  if (!judge) throw notFound('Judge');
  if (!(await repos.scoring.getRun(input.runId))) throw notFound('Run');
  const model = (await repos.scoring.getModel(judge.modelId))!;
  const { url, apiKey } = await modelEndpoint(repos, model, options.env);
  const outbound = options.outbound ?? createOutboundClient();
  let addresses: ResolvedAddress[];
  try {
    addresses = await outbound.check(url);
  } catch (e) {
    if (e instanceof OutboundError) throw endpointUnreachable(e.reason === 'not-allowed');
    throw e;
  }
  const at = new Date().toISOString();
  const judgeRunId = await repos.scoring.ensureJudgeRun({
    judgeId: judge.id,
    runId: input.runId,
    createdBy: userId,
    createdAt: at,
  });
  if (!(await repos.scoring.claimJudgeRun(judgeRunId, at, options.owner ?? null)))
    throw conflict('judge-run-running', 'This judge is already judging this run');
  return {
    judgeRunId,
    input,
    url: url.href,
    addresses,
    allowPrivate: options.allowPrivate ?? false,
    maxBodyBytes: options.maxBodyBytes,
    apiKey,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
  };
}

export interface JudgeRunControl {
  cancelRequested(): boolean;
}

/**
 * On a judge thread: asks the judge about every rated response without an answer (within the limit), storing
 * each output at once; progress in the judge run's row at most every 200 ms; stops launching requests when
 * asked (cancel, or a server shutting down: the row's `stop`), letting those in flight finish. Ends `done`,
 * `failed` (responses failed: asked again on the next start), `cancelled`, or `interrupted` (shutdown).
 */
export async function runJudgeRun(
  repos: Repositories,
  start: JudgeRunStart,
  control: JudgeRunControl,
): Promise<void> {
  const s = repos.scoring;
  const { judgeRunId, input, apiKey } = start;
  const judgeRun = (await s.getJudgeRun(judgeRunId))!;
  const judge = (await s.getJudge(judgeRun.judgeId))!;
  const model = (await s.getModel(judge.modelId))!;
  const items = await releaseItems(repos, judgeRun.releaseId);
  const url = new URL(start.url);
  const outbound = createOutboundClient({
    allowPrivate: start.allowPrivate,
    maxBodyBytes: start.maxBodyBytes,
    resolve: () => Promise.resolve(start.addresses),
  });
  const all = await s.responsesToJudge(judgeRunId, judgeRun.runId);
  const todo = all.filter((r) => r.state !== 'answered');
  const pending = todo.slice(0, input.limit ?? Infinity);
  const counts: JudgeRunCounts = {
    total: pending.length,
    asked: 0,
    judged: 0,
    unparseable: 0,
    failed: 0,
    skipped: all.length - todo.length,
    resent: 0,
    requests: 0,
  };
  let stopping = false;
  let written = '';
  const flush = async () => {
    const text = JSON.stringify(counts);
    if (text !== written) {
      written = text;
      await s.judgeRunProgress(judgeRunId, counts);
    }
    if ((await s.judgeRunStop(judgeRunId)) !== null) stopping = true;
  };
  await flush();
  let reached = false;
  let unreachable = false;

  function attempt(prompt: string): Promise<string> {
    counts.requests++;
    const request = {
      url,
      apiKey,
      model: model.endpointModel,
      prompt,
      temperature: judge.temperature,
      maxTokens: judge.maxTokens,
      timeoutMs: input.timeoutMs,
    };
    return requestCompletion(outbound, request, () => (reached = true));
  }

  let next = 0;
  const worker = async () => {
    for (;;) {
      if (control.cancelRequested()) stopping = true;
      if (next >= pending.length || stopping || unreachable) return;
      const r = pending[next++];
      const item = items.get(r.uid);
      counts.asked++;
      // A row left `sent` by a killed server: its request may have reached the judge; it is asked again.
      if (r.state === 'sent') counts.resent++;
      const prompt = item ? renderJudgePrompt(judge.rubric, item, r.response) : '';
      await s.markJudgmentSent({
        judgeRunId,
        responseId: r.responseId,
        prompt,
        at: new Date().toISOString(),
      });
      if (!item) {
        counts.failed++;
        await s.failJudgment(judgeRunId, r.responseId, 'the item is not in the release snapshot', 0);
        continue;
      }
      for (let n = 1; ; n++) {
        try {
          const raw = (await attempt(prompt)).slice(0, MAX_RESPONSE_CHARS);
          const parsed = parseJudgeOutput(raw, item.kind);
          await s.storeJudgment(judgeRunId, r.responseId, {
            rawOutput: raw,
            parseError: parsed.ok ? null : parsed.error,
            correctness: parsed.ok ? parsed.value.correctness : null,
            culturalAlignment: parsed.ok ? parsed.value.culturalAlignment : null,
            languageQuality: parsed.ok ? parsed.value.languageQuality : null,
            safetyOutcome: parsed.ok ? parsed.value.safetyOutcome : null,
            comment: parsed.ok ? parsed.value.comment : null,
            requests: n,
            at: new Date().toISOString(),
          });
          if (parsed.ok) counts.judged++;
          else counts.unparseable++;
          break;
        } catch (e) {
          const err = e instanceof AttemptError ? e : new AttemptError('status', 'unexpected error', false);
          if (!err.retryable || n >= input.maxAttempts || stopping) {
            counts.failed++;
            await s.failJudgment(
              judgeRunId,
              r.responseId,
              `${err.message} (after ${n} attempt${n === 1 ? '' : 's'})`,
              n,
            );
            if (err instanceof UnreachableError && !reached) unreachable = true;
            break;
          }
          await waitBeforeRetry(err, n, input.backoffMs, start.maxBackoffMs);
          if (control.cancelRequested()) stopping = true;
        }
      }
    }
  };
  await withProgressTimer(flush, () =>
    Promise.all(Array.from({ length: Math.min(input.concurrency, pending.length) }, worker)),
  );
  const stop = await s.judgeRunStop(judgeRunId);
  const state: JudgeRunState =
    stop === 'shutdown'
      ? 'interrupted'
      : stop === 'cancel' || (stopping && !unreachable)
        ? 'cancelled'
        : unreachable || counts.failed > 0
          ? 'failed'
          : 'done';
  const error =
    state === 'interrupted'
      ? 'The server stopped; start the judge run again to resume'
      : unreachable
        ? 'endpoint-unreachable: start again once the judge endpoint answers'
        : counts.failed > 0
          ? `${counts.failed} response(s) failed; start again to retry them`
          : null;
  await s.finishJudgeRun(judgeRunId, counts, { state, error, at: new Date().toISOString() });
}
