/**
 * Collecting responses from an OpenAI-compatible `/chat/completions` endpoint: bounded concurrency, retries
 * with exponential backoff on 429, 5xx, timeouts and malformed bodies, and resume: each response is stored as
 * soon as it arrives, and a new collection skips every item that has one, so no item is asked twice once
 * answered. Requests go through the outbound client (address policy, no redirects). The API key is sent in
 * the Authorization header only; it never appears in answers, errors or logs.
 *
 * Two halves: `prepareCollection` on the request thread (checks, the endpoint's DNS answer checked against
 * the policy, the run claimed) and `runCollection` on a collection thread (collection-job.ts), which writes
 * its progress into the run's row and stops between requests when cancelled.
 */
import type { CollectInput, CollectionState, RunStatus } from '../../../schema/scoring.ts';
import type { Repositories } from '../../db/repositories.ts';
import type { CollectionCounts } from '../../db/scoring.ts';
import { withProgressTimer } from '../../jobs/task.ts';
import { AppError, conflict } from '../../errors.ts';
import {
  createOutboundClient,
  OutboundError,
  type OutboundClient,
  type ResolvedAddress,
} from '../../outbound/client.ts';
import { AttemptError, requestCompletion, UnreachableError, waitBeforeRetry } from './chat-completion.ts';
import { modelEndpoint } from './endpoint.ts';
import { renderPrompt } from './prompts.ts';
import { createScoringService, MAX_RESPONSE_CHARS, releaseItems, responseRow } from './service.ts';

export interface CollectOptions {
  /** Where API keys named by models are looked up (default process.env). */
  env?: Record<string, string | undefined>;
  /** The client the endpoint is checked with (default: one that refuses loopback and private networks). */
  outbound?: OutboundClient;
  /** Whether the job thread's client allows loopback and private networks (as the checking client does). */
  allowPrivate?: boolean;
  /** Largest response body the job thread's client reads (default: the client's). */
  maxBodyBytes?: number;
  /** Longest wait before a retry, also caps Retry-After (default 30 s). */
  maxBackoffMs?: number;
  /** The app instance the collection runs in (its owner: server/domain/instances.ts); none: dead to others. */
  owner?: string;
}

/** What a collection thread is given: plain data (it crosses threads), the key included, never logged. */
export interface CollectionStart {
  runId: number;
  input: CollectInput;
  url: string;
  /** The endpoint's addresses as checked on the request thread: the thread connects only to these. */
  addresses: ResolvedAddress[];
  allowPrivate: boolean;
  maxBodyBytes?: number;
  apiKey: string | null;
  maxBackoffMs: number;
}

/**
 * The one error for an endpoint that gave no HTTP answer. Connection refused, reset, timeout, DNS failure and
 * redirect share code and message, so nobody learns from it whether a port is open; an address refused by the
 * policy (decided from DNS alone, before any connection) says so, to point the operator at the setting.
 */
export function endpointUnreachable(notAllowed: boolean): AppError {
  return new AppError(
    502,
    'endpoint-unreachable',
    notAllowed
      ? 'The endpoint could not be reached: its address is not allowed for outbound requests (link-local and metadata addresses never are; loopback and private networks only with CS_OUTBOUND_ALLOW_PRIVATE=1)'
      : 'The endpoint could not be reached (no connection, no answer in time, or a redirect, which is never followed)',
  );
}

/**
 * On the request thread: refuses a run that cannot be collected (no endpoint, key missing or unusable, an
 * address the policy refuses: the run unchanged), then claims the run for one collection (409 run-collecting
 * if one runs, in any server process). Returns what the collection thread needs.
 */
export async function prepareCollection(
  repos: Repositories,
  runId: number,
  input: CollectInput,
  options: CollectOptions = {},
): Promise<CollectionStart> {
  const service = createScoringService(repos);
  const run = await service.run(runId);
  const model = await service.model(run.modelId);
  const { url, apiKey } = await modelEndpoint(repos, model, options.env);
  const outbound = options.outbound ?? createOutboundClient();
  // Refused before the run changes: a host that does not resolve or resolves to an address not allowed.
  let addresses: ResolvedAddress[];
  try {
    addresses = await outbound.check(url);
  } catch (e) {
    if (e instanceof OutboundError) throw endpointUnreachable(e.reason === 'not-allowed');
    throw e;
  }
  if (!(await repos.scoring.claimCollection(runId, new Date().toISOString(), options.owner ?? null)))
    throw conflict('run-collecting', 'This run is already collecting responses');
  return {
    runId,
    input,
    url: url.href,
    addresses,
    allowPrivate: options.allowPrivate ?? false,
    maxBodyBytes: options.maxBodyBytes,
    apiKey,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
  };
}

/** Failures kept in the run's row (the count is exact; the list is for reading). */
const MAX_LISTED_FAILURES = 100;

export interface CollectionControl {
  /** Whether this thread was asked to stop (the pool's cancel flag). */
  cancelRequested(): boolean;
}

/**
 * On a collection thread: asks the endpoint for every item of the run's release that has no response (within
 * the limit), storing each answer at once; writes its counts into the run's row at most every 200 ms and at
 * the end; stops launching requests when cancelled (here or in the row, by any server process) and lets the
 * ones in flight finish. The run ends `complete`, `failed` (items failed or the endpoint never answered) or
 * `pending` (cancelled, or a limit left items).
 */
export async function runCollection(
  repos: Repositories,
  start: CollectionStart,
  control: CollectionControl,
): Promise<void> {
  const service = createScoringService(repos);
  const { runId, input, apiKey } = start;
  const run = await service.run(runId);
  const model = await service.model(run.modelId);
  const url = new URL(start.url);
  // The policy applies here too: the checked addresses are checked again, and no other name is looked up.
  const outbound = createOutboundClient({
    allowPrivate: start.allowPrivate,
    maxBodyBytes: start.maxBodyBytes,
    resolve: () => Promise.resolve(start.addresses),
  });
  const backoff = input.backoffMs;
  const answered = await repos.scoring.answeredUids(runId);
  const all = [...(await releaseItems(repos, run.releaseId)).values()].sort((a, b) =>
    a.uid < b.uid ? -1 : 1,
  );
  const unanswered = all.filter((i) => !answered.has(i.uid));
  const pending = unanswered.slice(0, input.limit ?? Infinity);
  const failures: { id: string; reason: string }[] = [];
  const counts: CollectionCounts = {
    total: pending.length,
    asked: 0,
    answered: 0,
    failed: 0,
    skipped: all.length - unanswered.length,
    requests: 0,
    failures: [],
  };
  const snapshot = (): CollectionCounts => ({
    ...counts,
    failures: [...failures].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, MAX_LISTED_FAILURES),
  });
  let cancelled = false;
  let written = '';
  /** Writes the counts if they changed, and reads a cancel asked for in the row (by any server process). */
  const flush = async () => {
    const now = snapshot();
    const text = JSON.stringify(now);
    if (text !== written) {
      written = text;
      await repos.scoring.collectionProgress(runId, now);
    }
    if (await repos.scoring.collectionCancelRequested(runId)) cancelled = true;
  };
  await flush();

  /** Whether the endpoint gave any HTTP answer in this call (then a failure is not the endpoint's absence). */
  let reached = false;
  /** Set when an item ran out of attempts without the endpoint ever answering: the collection stops. */
  let unreachable: { notAllowed: boolean } | null = null;

  function attempt(prompt: string): Promise<string> {
    counts.requests++;
    const request = {
      url,
      apiKey,
      model: model.endpointModel,
      prompt,
      temperature: run.temperature,
      maxTokens: run.maxTokens,
      timeoutMs: input.timeoutMs,
    };
    return requestCompletion(outbound, request, () => (reached = true));
  }

  let next = 0;
  const worker = async () => {
    for (;;) {
      if (control.cancelRequested()) cancelled = true;
      if (next >= pending.length || unreachable || cancelled) return;
      const item = pending[next++];
      counts.asked++;
      const prompt = renderPrompt(run.promptTemplate, item);
      for (let n = 1; ; n++) {
        try {
          const text = (await attempt(prompt)).slice(0, MAX_RESPONSE_CHARS).normalize('NFC');
          // Stored at once, so an interruption loses at most the requests in flight.
          await repos.scoring.insertResponses([
            responseRow(runId, item, text, 'endpoint', new Date().toISOString()),
          ]);
          counts.answered++;
          break;
        } catch (e) {
          const err = e instanceof AttemptError ? e : new AttemptError('status', 'unexpected error', false);
          // A cancelled collection sends no retry: the item stays unanswered, not failed.
          if (err.retryable && n < input.maxAttempts && cancelled) break;
          if (!err.retryable || n >= input.maxAttempts) {
            counts.failed++;
            failures.push({
              id: item.uid,
              reason: `${err.message} (after ${n} attempt${n === 1 ? '' : 's'})`,
            });
            if (err instanceof UnreachableError && !reached) unreachable = { notAllowed: err.notAllowed };
            break;
          }
          await waitBeforeRetry(err, n, backoff, start.maxBackoffMs);
          if (control.cancelRequested()) cancelled = true;
        }
      }
    }
  };
  // This thread only waits on the network, so the timer fires on time: progress stays ≤ 200 ms old.
  await withProgressTimer(flush, () =>
    Promise.all(Array.from({ length: Math.min(input.concurrency, pending.length) }, worker)),
  );
  const r = await service.run(runId);
  const complete = r.progress.responses >= r.progress.items;
  const failedAny = counts.failed > 0 || unreachable !== null;
  const state: CollectionState = unreachable ? 'failed' : cancelled ? 'cancelled' : 'done';
  const status: RunStatus = complete ? 'complete' : failedAny ? 'failed' : 'pending';
  const error = complete
    ? null
    : unreachable
      ? (unreachable as { notAllowed: boolean }).notAllowed
        ? 'endpoint-unreachable: its address is not allowed for outbound requests'
        : 'endpoint-unreachable: collect again once the endpoint answers'
      : counts.failed > 0
        ? `${counts.failed} item(s) failed; collect again to retry them`
        : null;
  await repos.scoring.finishCollection(runId, snapshot(), {
    state,
    status,
    error,
    at: new Date().toISOString(),
  });
}
