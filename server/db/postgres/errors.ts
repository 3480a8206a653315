import pg from 'pg';

// What a failure of the database says, and to whom: the errors callers can tell apart (start-up vs. lost
// connection), which driver errors mean "the database is not there", and URLs and reasons without the password.

/** The server could not be reached when connecting (start-up): names host, port, database and why; never the password. */
export class DatabaseUnreachableError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * The connection was lost (or refused) while in use: the server stopped, restarted, or the network dropped.
 * One error for every such cause so that the HTTP layer can answer 503 with a retry hint; the Pool opens new
 * connections by itself once the server is back.
 */
export class DatabaseUnavailableError extends Error {
  /** Seconds a client should wait before trying again (Retry-After). */
  readonly retryAfterSeconds = 5;
  constructor(
    readonly location: string,
    readonly reason: string,
  ) {
    super(`The database at ${location} is unavailable (${reason}); try again shortly.`);
    this.name = 'DatabaseUnavailableError';
  }
}

// Connection errors

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);
// node-postgres and PGlite report some losses without a code.
const CONNECTION_ERROR_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client was closed|Cannot use a pool after calling end|PGlite is closed/i;

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True for an error meaning "the database is not there" rather than "this statement is wrong". */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = errorCode(error);
  if (code && (CONNECTION_ERROR_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return CONNECTION_ERROR_MESSAGES.test(error.message);
}

/** Runs `fn`, giving any connection error as one DatabaseUnavailableError. */
export async function guarded<T>(location: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError || !isConnectionError(error)) throw error;
    const code = errorCode(error);
    throw new DatabaseUnavailableError(location, code ?? (error as Error).message);
  }
}

/** The URL as it may be shown: without a password in the user part or in the query string. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1@')
    .replace(/([?&])(?:password|sslpassword)=[^&#]*&?/gi, '$1')
    .replace(/[?&]$/, '');
}

export interface Target {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** What node-postgres will connect to, as it reads the URL itself. */
export function targetOf(url: string): Target {
  const client = new pg.Client({ connectionString: url });
  const params = client as unknown as Partial<Target>;
  return {
    host: params.host ?? 'localhost',
    port: params.port ?? 5432,
    database: params.database ?? params.user ?? '',
    user: params.user ?? '',
  };
}

export function unreachableReason(error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED): no server listens there';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `unknown host (${code})`;
    case '28P01':
    case '28000':
      return `authentication failed (${code})`;
    case '3D000':
      return 'database does not exist (3D000)';
    case '57P03':
      return 'the server is starting up or shutting down (57P03)';
    case 'ETIMEDOUT':
      return 'connection timed out (ETIMEDOUT)';
  }
  if (error instanceof AggregateError && error.errors.length > 0) return unreachableReason(error.errors[0]);
  const message = error instanceof Error ? error.message : String(error);
  if (/timeout/i.test(message)) return 'connection timed out';
  if (/client password must be a string/.test(message)) {
    return 'authentication failed: the server asks for a password and the URL gives none';
  }
  return code ? `${message} (${code})` : message;
}
