import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';

export interface PostgresRelay {
  /** The server's URL through the relay (127.0.0.1 and the relay's port; the same database, user and password). */
  url: string;
  /** Listens again on the same port: the server is back. */
  start(): Promise<void>;
  /** Cuts every connection and refuses new ones: the server went away. */
  stop(): Promise<void>;
}

/**
 * A TCP relay in front of the real PostgreSQL server `url` names (TCP or Unix socket) that can be stopped and
 * started again on the same port: the database going away and coming back, as the app sees it.
 */
export async function relayTo(url: string): Promise<PostgresRelay> {
  const target = new pg.Client({ connectionString: url });
  const upstream = target.host.startsWith('/')
    ? { path: `${target.host}/.s.PGSQL.${target.port}` }
    : { host: target.host, port: target.port };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const remote = connect(upstream);
    for (const socket of [client, remote]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(remote).pipe(client);
  });
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) =>
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      }),
    );
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  await start();
  const user = encodeURIComponent(target.user ?? '');
  const password = target.password ? `:${encodeURIComponent(String(target.password))}` : '';
  return { url: `postgres://${user}${password}@127.0.0.1:${port}/${target.database}`, start, stop };
}
