import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listen } from '../../server/http/listen.ts';
import { createTestContext } from '../helpers/app.ts';

/** GET `path` through `agent`; resolves with the status once the answer was read. */
const get = (agent: Agent, port: number, path: string) =>
  new Promise<number>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });

describe('the HTTP server', () => {
  it('keeps an idle keep-alive connection open past Node’s 5 s default, so a client reusing it after a pause is not reset', async () => {
    const t = await createTestContext();
    const server = await new Promise<ReturnType<typeof listen>>((resolve) => {
      const s = listen(t.app, 0, '127.0.0.1', () => resolve(s));
    });
    let connections = 0;
    server.on('connection', () => connections++);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const port = (server.address() as AddressInfo).port;
      expect(await get(agent, port, '/api/health')).toBe(200);
      // Idle for longer than Node’s default keep-alive timeout (5 s, closed within about a second after): the pause is what is tested.
      await new Promise((r) => setTimeout(r, 7_000));
      expect(await get(agent, port, '/api/health')).toBe(200);
      expect(connections).toBe(1);
    } finally {
      agent.destroy();
      await new Promise((r) => server.close(r));
    }
  }, 15_000);
});
