/**
 * One request to an OpenAI-compatible `POST {baseUrl}/chat/completions`, shared by a run's collection
 * (collect.ts), a judge run (judge-run.ts) and an author's trials (../trials.ts): the body they all send, the
 * key only in the Authorization header, and one reading of the answer — the assistant's text, or an
 * `AttemptError` saying why there is none and whether another attempt may succeed. Retries, their backoff and
 * what a failure means to the caller stay with the caller.
 */
import { OutboundError, type OutboundClient } from '../../outbound/client.ts';

/** Why one attempt failed: no HTTP answer, an HTTP status other than 2xx, or a body without the text. */
export type AttemptFailure = 'unreachable' | 'status' | 'malformed';

/** Why one attempt failed, and whether another attempt may succeed. */
export class AttemptError extends Error {
  constructor(
    readonly failure: AttemptFailure,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/**
 * No HTTP answer at all: connection refused, reset, timeout, DNS failure and redirect alike, so nobody learns
 * whether a port is open; retried unless the policy refused the address.
 */
export class UnreachableError extends AttemptError {
  constructor(readonly notAllowed: boolean) {
    super('unreachable', 'endpoint-unreachable', !notAllowed);
  }
}

/**
 * Waits before attempt `attempt` + 1: the endpoint's Retry-After if it gave one, else exponential backoff from
 * `backoffMs` with jitter (×0.5–1.5); never longer than `maxBackoffMs`.
 */
export function waitBeforeRetry(
  err: AttemptError,
  attempt: number,
  backoffMs: number,
  maxBackoffMs: number,
): Promise<void> {
  const delay = err.retryAfterMs ?? backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, Math.min(delay, maxBackoffMs)));
}

export interface CompletionRequest {
  /** `{baseUrl}/chat/completions`. */
  url: URL;
  /** Sent as `Bearer` in the Authorization header only; null for a local server without one. */
  apiKey: string | null;
  /** The `model` field the endpoint expects. */
  model: string | null;
  prompt: string;
  temperature: number;
  maxTokens: number;
  timeoutMs: number;
}

/** The assistant text of a chat completion body, or a (retryable) malformed-body error. */
export function completionText(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AttemptError('malformed', 'malformed body: not JSON', true);
  }
  const content = (parsed as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]
    ?.message?.content;
  if (typeof content !== 'string')
    throw new AttemptError('malformed', 'malformed body: no choices[0].message.content', true);
  return content;
}

/**
 * One attempt: the assistant's text, or an AttemptError — 429 and 5xx retryable (with the endpoint's
 * Retry-After in ms), other statuses not, a malformed or too large body retryable, no answer an
 * UnreachableError. `answered` is called once the endpoint gave an HTTP answer with a body that was read.
 */
export async function requestCompletion(
  outbound: OutboundClient,
  req: CompletionRequest,
  answered: () => void = () => {},
): Promise<string> {
  let res;
  try {
    res = await outbound.request(req.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(req.apiKey ? { authorization: `Bearer ${req.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: req.model,
        messages: [{ role: 'user', content: req.prompt }],
        temperature: req.temperature,
        max_tokens: req.maxTokens,
      }),
      timeoutMs: req.timeoutMs,
    });
  } catch (e) {
    if (!(e instanceof OutboundError)) throw e;
    if (e.reason === 'too-large') throw new AttemptError('malformed', 'malformed body: too large', true);
    throw new UnreachableError(e.reason === 'not-allowed');
  }
  answered();
  if (res.status === 429 || res.status >= 500) {
    const after = Number(res.headers['retry-after']);
    throw new AttemptError(
      'status',
      `HTTP ${res.status}`,
      true,
      Number.isFinite(after) && after > 0 ? after * 1000 : null,
    );
  }
  if (res.status < 200 || res.status >= 300) throw new AttemptError('status', `HTTP ${res.status}`, false);
  return completionText(res.body);
}
