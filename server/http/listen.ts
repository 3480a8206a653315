import type { Server } from 'node:http';
import type { Express } from 'express';

/**
 * How long an idle keep-alive connection stays open: longer than the idle timeout of the clients and
 * load balancers in front of the server (undici, Node's fetch: 4 s; common balancers: 60 s), so the server
 * never closes a connection just as a client sends its next request on it — which the client sees as a
 * reset (ECONNRESET) and a user as a failed save. Node's default is 5 s.
 */
export const KEEP_ALIVE_MS = 65_000;

/** Starts the HTTP server for `app` on `port` and `host` with the connection timeouts above. */
export function listen(app: Express, port: number, host: string, ready: () => void): Server {
  const server = app.listen(port, host, ready);
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // Headers must be allowed to arrive for longer than a connection may sit idle (Node's rule).
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  return server;
}
