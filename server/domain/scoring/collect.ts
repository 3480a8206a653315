/**
 * Collecting responses from an OpenAI-compatible `/chat/completions` endpoint: bounded concurrency, retries
 * with exponential backoff on 429, 5xx, timeouts and malformed bodies, and resume: each response is stored as
 * soon as it arrives, and a new collection skips every item that has one, so no item is asked twice once
 * answered. The API key is sent in the Authorization header only; it never appears in errors or logs.
 */
import type { CollectInput, CollectResult } from '../../../schema/scoring.ts';
import type { Repositories } from '../../db/repositories.ts';
import { conflict } from '../../http/errors.ts';
import { renderPrompt } from './prompts.ts';
import { createScoringService, MAX_RESPONSE_CHARS, releaseItems, responseRow } from './service.ts';

export interface CollectOptions {
  /** Where API keys named by models are looked up (default process.env). */
  env?: Record<string, string | undefined>;
  now?: () => Date;
  /** Longest wait before a retry, also caps Retry-After (default 30 s). */
  maxBackoffMs?: number;
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
    apiKey = (options.env ?? process.env)[model.apiKeyEnv] ?? null;
    if (!apiKey) throw conflict('api-key-missing', `The environment variable ${model.apiKeyEnv} is not set`);
  } else {
    apiKey = repos.scoring.storedApiKey(model.id);
  }
  if (active.has(runId)) throw conflict('run-collecting', 'This run is already collecting responses');
  active.add(runId);

  const url = `${model.baseUrl.replace(/\/+$/, '')}/chat/completions`;
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

  async function attempt(prompt: string): Promise<string> {
    result.requests++;
    let res: Response;
    try {
      res = await fetch(url, {
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
        signal: AbortSignal.timeout(input.timeoutMs),
      });
    } catch (e) {
      const name = (e as { name?: string }).name;
      throw new AttemptError(name === 'TimeoutError' ? 'timeout' : 'connection failed', true);
    }
    let body: string;
    try {
      body = await res.text();
    } catch {
      throw new AttemptError('timeout reading the body', true);
    }
    if (res.status === 429 || res.status >= 500) {
      const after = Number(res.headers.get('retry-after'));
      throw new AttemptError(
        `HTTP ${res.status}`,
        true,
        Number.isFinite(after) && after > 0 ? after * 1000 : null,
      );
    }
    if (!res.ok) throw new AttemptError(`HTTP ${res.status}`, false);
    return completionText(body);
  }

  try {
    repos.scoring.setRunStatus(runId, 'collecting', null, now().toISOString());
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
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
      complete ? 'complete' : failed.length > 0 ? 'failed' : 'pending',
      failed.length > 0 ? `${failed.length} item(s) failed; collect again to retry them` : null,
      now().toISOString(),
    );
    failed.sort((a, b) => (a.id < b.id ? -1 : 1));
    return { run: service.run(runId), ...result, failed };
  } finally {
    active.delete(runId);
  }
}
