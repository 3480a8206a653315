import type { ApiErrorBody } from '../../../schema/common.ts';
import { errorMessage, fieldName, issueText, issuesOf } from '../i18n/errors.ts';

/** The server answered with an error body (4xx/5xx other than "unreachable"). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server could not be reached (offline, DNS, connection refused, gateway errors). */
export class NetworkError extends Error {
  constructor(message = 'The server cannot be reached') {
    super(message);
    this.name = 'NetworkError';
  }
}

/**
 * What to show a person for a caught error, in the interface language: by its code where we know it, with the
 * field problems of an `invalid-input` answer as words — never the raw details.
 */
export function errorText(err: unknown): string {
  if (err instanceof NetworkError) return errorMessage('network', err.message);
  if (err instanceof ApiError) {
    const text = errorMessage(err.code, err.message);
    const issues = issuesOf(err);
    if (issues.length === 0) return text;
    return `${text}: ${issues.map((i) => `${fieldName(i.path)} — ${issueText(i)}`).join('; ')}`;
  }
  return err instanceof Error ? err.message : String(err);
}

let csrfToken: string | null = null;

/** The session's CSRF token, sent on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF token, for the few requests that cannot go through `request` (a raw file upload). */
export const getCsrfToken = (): string | null => csrfToken;

export interface RequestOptions {
  /** Let the request outlive the page (pagehide flush). */
  keepalive?: boolean;
  signal?: AbortSignal;
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** `/api/items?x=1` from a path and a query object; empty values are left out. */
export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** One JSON request to the API. Throws ApiError for error answers and NetworkError when unreachable. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      keepalive: options.keepalive,
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError();
  }
  // A proxy in front of a restarting server answers 502–504: the same as unreachable.
  if (res.status === 502 || res.status === 503 || res.status === 504) throw new NetworkError();
  if (res.status === 204) return undefined as T;
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    if (res.ok) throw new ApiError(res.status, 'bad-response', 'The server sent an unreadable answer');
  }
  if (!res.ok) {
    const e = (data as ApiErrorBody | null)?.error;
    throw new ApiError(res.status, e?.code ?? 'http-error', e?.message ?? `HTTP ${res.status}`, e?.details);
  }
  return data as T;
}

export const get = <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options);
export const post = <T>(path: string, body?: unknown, options?: RequestOptions) =>
  request<T>('POST', path, body ?? {}, options);
export const patch = <T>(path: string, body: unknown, options?: RequestOptions) =>
  request<T>('PATCH', path, body, options);
export const put = <T>(path: string, body: unknown, options?: RequestOptions) =>
  request<T>('PUT', path, body, options);
export const del = (path: string) => request<void>('DELETE', path);
