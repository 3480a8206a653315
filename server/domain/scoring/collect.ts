/**
 * Collecting responses from an OpenAI-compatible `/chat/completions` endpoint: bounded concurrency, retries
 * with exponential backoff on 429, 5xx, timeouts and malformed bodies, and resume: each response is stored as
 * soon as it arrives, and a new collection skips every item that has one, so no item is asked twice once
 * answered. Requests go through the outbound client (address policy, no redirects). The API key is sent in
 * the Authorization header only; it never appears in answers, errors or logs.
 */
import {
  apiKeyValue,
  MODEL_KEY_ENV_PREFIX,
  modelKeyEnvName,
  type CollectInput,
  type CollectResult,
} from '../../../schema/scoring.ts';
import type { Repositories } from '../../db/repositories.ts';
import { AppError, conflict } from '../../http/errors.ts';
import { createOutboundClient, OutboundError, type OutboundClient } from '../../outbound/client.ts';
import { renderPrompt } from './prompts.ts';
import { createScoringService, MAX_RESPONSE_CHARS, releaseItems, responseRow } from './service.ts';

export interface CollectOptions {
  /** Where API keys named by models are looked up (default process.env). */
  env?: Record<string, string | undefined>;
  /** The client requests go through (default: one that refuses loopback and private networks). */
  outbound?: OutboundClient;
  now?: () => Date;
  /** Longest wait before a retry, also caps Retry-After (default 30 s). */
  maxBackoffMs?: number;
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

/** Why one attempt failed, and whether another attempt may succeed. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** No HTTP answer at all (see endpointUnreachable); retried unless the address is not allowed. */
class UnreachableError extends AttemptError {
  constructor(readonly notAllowed: boolean) {
    super('endpoint-unreachable', !notAllowed);
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The assistant text of a chat completion body, or a (retryable) malformed-body error. */
function completionText(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AttemptError('malformed body: not JSON', true);
  }
  const content = (parsed as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]
    ?.message?.content;
  if (typeof content !== 'string')
    throw new AttemptError('malformed body: no choices[0].message.content', true);
  return content;
}

/** Runs whose collection is under way in this process (a second call is refused, not interleaved). */
const active = new Set<number>();

export async function collectResponses(
  repos: Repositories,
  runId: number,
  input: CollectInput,
  options: CollectOptions = {},
): Promise<CollectResult> {
  const service = createScoringService(repos, options.now);
  const now = options.now ?? (() => new Date());
  const run = service.run(runId);
  const model = service.model(run.modelId);
  if (!model.baseUrl || !model.endpointModel) {
    throw conflict('no-endpoint', 'Give the model a base URL and an endpoint model name first');
  }
  let apiKey: string | null = null;
  if (model.apiKeyEnv) {
    // A name saved before the prefix rule: refused here rather than read.
    if (!modelKeyEnvName.safeParse(model.apiKeyEnv).success) {
      throw conflict(
        'api-key-env-not-allowed',
        `The model's apiKeyEnv ${model.apiKeyEnv} is not allowed: keys are read only from variables starting with ${MODEL_KEY_ENV_PREFIX}; set apiKeyEnv again`,
      );
    }
    apiKey = (options.env ?? process.env)[model.apiKeyEnv] ?? null;
    if (!apiKey) throw conflict('api-key-missing', `The environment variable ${model.apiKeyEnv} is not set`);
    if (!apiKeyValue.safeParse(apiKey).success) {
      throw conflict(
        'api-key-invalid',
        `The value of ${model.apiKeyEnv} is not a usable API key (printable ASCII without spaces)`,
      );
    }
  } else {
    apiKey = repos.scoring.storedApiKey(model.id);
    // A key saved before keys were checked: refused rather than sent as a broken header.
    if (apiKey !== null && !apiKeyValue.safeParse(apiKey).success) {
      throw conflict(
        'api-key-invalid',
        'The stored API key is not usable (printable ASCII without spaces); set apiKey again',
      );
    }
  }
  const url = new URL(`${model.baseUrl.replace(/\/+$/, '')}/chat/completions`);
  const outbound = options.outbound ?? createOutboundClient();
  // Refused before the run changes: a host that does not resolve or resolves to an address not allowed.
  try {
    await outbound.check(url);
  } catch (e) {
    if (e instanceof OutboundError) throw endpointUnreachable(e.reason === 'not-allowed');
    throw e;
  }
  if (active.has(runId)) throw conflict('run-collecting', 'This run is already collecting responses');
  active.add(runId);
  const backoff = input.backoffMs;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const answered = repos.scoring.answeredUids(runId);
  const all = [...releaseItems(repos, run.releaseId).values()].sort((a, b) => (a.uid < b.uid ? -1 : 1));
  const pending = all.filter((i) => !answered.has(i.uid)).slice(0, input.limit ?? Infinity);
  const result = {
    collected: 0,
    skipped: all.length - all.filter((i) => !answered.has(i.uid)).length,
    requests: 0,
  };
  const failed: { id: string; reason: string }[] = [];

  /** Whether the endpoint gave any HTTP answer in this call (then a failure is not the endpoint's absence). */
  let reached = false;
  /** Set when an item ran out of attempts without the endpoint ever answering: the collection stops. */
  let unreachable: AppError | null = null;

  async function attempt(prompt: string): Promise<string> {
    result.requests++;
    let res;
    try {
      res = await outbound.request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: model.endpointModel,
          messages: [{ role: 'user', content: prompt }],
          temperature: run.temperature,
          max_tokens: run.maxTokens,
        }),
        timeoutMs: input.timeoutMs,
      });
    } catch (e) {
      if (!(e instanceof OutboundError)) throw e;
      if (e.reason === 'too-large') throw new AttemptError('malformed body: too large', true);
      // The DNS answer changed to an address not allowed: no retry.
      throw new UnreachableError(e.reason === 'not-allowed');
    }
    reached = true;
    if (res.status === 429 || res.status >= 500) {
      const after = Number(res.headers['retry-after']);
      throw new AttemptError(
        `HTTP ${res.status}`,
        true,
        Number.isFinite(after) && after > 0 ? after * 1000 : null,
      );
    }
    if (res.status < 200 || res.status >= 300) throw new AttemptError(`HTTP ${res.status}`, false);
    return completionText(res.body);
  }

  try {
    repos.scoring.setRunStatus(runId, 'collecting', null, now().toISOString());
    let next = 0;
    const worker = async () => {
      while (next < pending.length && !unreachable) {
        const item = pending[next++]!;
        const prompt = renderPrompt(run.promptTemplate, item);
        for (let n = 1; ; n++) {
          try {
            const text = (await attempt(prompt)).slice(0, MAX_RESPONSE_CHARS).normalize('NFC');
            // Stored at once, so an interruption loses at most the requests in flight.
            repos.scoring.insertResponses([responseRow(runId, item, text, 'endpoint', now().toISOString())]);
            result.collected++;
            break;
          } catch (e) {
            const err = e instanceof AttemptError ? e : new AttemptError('unexpected error', false);
            if (!err.retryable || n >= input.maxAttempts) {
              failed.push({
                id: item.uid,
                reason: `${err.message} (after ${n} attempt${n === 1 ? '' : 's'})`,
              });
              if (err instanceof UnreachableError && !reached)
                unreachable = endpointUnreachable(err.notAllowed);
              break;
            }
            const delay = err.retryAfterMs ?? backoff * 2 ** (n - 1) * (0.5 + Math.random());
            await wait(Math.min(delay, maxBackoff));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(input.concurrency, pending.length) }, worker));
    const r = service.run(runId);
    const complete = r.progress.responses >= r.progress.items;
    repos.scoring.setRunStatus(
      runId,
      complete ? 'complete' : failed.length > 0 || unreachable ? 'failed' : 'pending',
      unreachable
        ? 'endpoint-unreachable: collect again once the endpoint answers'
        : failed.length > 0
          ? `${failed.length} item(s) failed; collect again to retry them`
          : null,
      now().toISOString(),
    );
    if (unreachable) throw unreachable;
    failed.sort((a, b) => (a.id < b.id ? -1 : 1));
    return { run: service.run(runId), ...result, failed };
  } finally {
    active.delete(runId);
  }
}
