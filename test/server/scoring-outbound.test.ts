import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../../schema/scoring.ts';
import { loadConfig } from '../../server/config.ts';
import type { OutboundOptions } from '../../server/outbound/client.ts';
import { startChatServer, type Behaviour } from '../fixtures/scoring/chat-server.ts';
import { collectionEnded, scoringWorld } from '../fixtures/scoring/world.ts';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

const reply: Behaviour = { reply: 'C' };

async function chatServer(script: (prompt: string, attempt: number) => Behaviour = () => reply) {
  const server = await startChatServer(script);
  closers.push(server.close);
  return { ...server, port: Number(new URL(server.baseUrl).port) };
}

/** A TCP server on 127.0.0.1 that answers every connection with bytes that are not HTTP, then hangs up. */
async function notHttpServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.end('SSH-2.0-OpenSSH_9.6\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** A port on 127.0.0.1 that nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function world(outbound: OutboundOptions = {}) {
  const w = await scoringWorld(undefined, { outbound });
  /**
   * A model on `baseUrl` with a run of the release; `collect` posts the collection and returns the answer,
   * `collected` posts it, expects it started (202) and returns the run once the collection has ended.
   */
  const modelRun = async (baseUrl: string, extra: Record<string, unknown> = {}) => {
    const model = await w.addModel({ baseUrl, endpointModel: 'm', ...extra });
    const run = await w.addRun(model.id);
    const collect = (body: object = {}) => w.post(`/api/runs/${run.id}/collect`, { backoffMs: 1, ...body });
    const collected = async (body: object = {}) => {
      const res = await collect(body);
      expect(res.status, res.text).toBe(202);
      return collectionEnded(w, run.id);
    };
    const status = async () => ((await w.get(`/api/runs/${run.id}`)).body as Run).status;
    return { run, collect, collected, status };
  };
  return { w, modelRun };
}

const NOT_ALLOWED =
  'The endpoint could not be reached: its address is not allowed for outbound requests (link-local and metadata addresses never are; loopback and private networks only with CS_OUTBOUND_ALLOW_PRIVATE=1)';
const UNREACHABLE =
  'The endpoint could not be reached (no connection, no answer in time, or a redirect, which is never followed)';

describe('POST /api/runs/:id/collect (outbound address policy)', { timeout: 20_000 }, () => {
  it('without CS_OUTBOUND_ALLOW_PRIVATE, refuses every loopback, private, link-local and special address form with 502 endpoint-unreachable, sending nothing', async () => {
    const server = await chatServer();
    const p = server.port;
    const { modelRun } = await world();
    const forms = [
      `http://127.0.0.1:${p}/v1`,
      `http://0x7f000001:${p}/v1`,
      `http://2130706433:${p}/v1`,
      `http://0177.0.0.1:${p}/v1`,
      `http://127.1:${p}/v1`,
      `http://localhost:${p}/v1`,
      `http://[::1]:${p}/v1`,
      `http://[::ffff:127.0.0.1]:${p}/v1`,
      `http://[::ffff:7f00:1]:${p}/v1`,
      `http://[64:ff9b::7f00:1]:${p}/v1`,
      `http://[2002:7f00:1::1]:${p}/v1`,
      `http://0.0.0.0:${p}/v1`,
      'http://10.0.0.1/v1',
      'http://172.16.0.1/v1',
      'http://192.168.1.1/v1',
      'http://100.64.0.1/v1',
      'http://[fc00::1]/v1',
      'http://[fd12:3456::1]/v1',
      'http://169.254.169.254/latest',
      'http://[fe80::1]/v1',
      'http://[::ffff:169.254.169.254]/v1',
      'http://224.0.0.1/v1',
      'http://255.255.255.255/v1',
      'http://[ff02::1]/v1',
      'http://[::]/v1',
      'http://192.0.2.1/v1',
      'http://[2001:db8::1]/v1',
    ];
    for (const baseUrl of forms) {
      const { collect, status } = await modelRun(baseUrl);
      const res = await collect();
      expect([res.status, res.body.error?.code, res.body.error?.message], baseUrl).toEqual([
        502,
        'endpoint-unreachable',
        NOT_ALLOWED,
      ]);
      expect(await status(), baseUrl).toBe('pending');
    }
    expect(server.requests).toEqual([]);
  });

  it('with CS_OUTBOUND_ALLOW_PRIVATE, reaches loopback in any spelling but still refuses link-local and metadata addresses', async () => {
    const server = await chatServer();
    const p = server.port;
    const { modelRun } = await world({
      allowPrivate: true,
      resolve: (host) => {
        if (host === 'metadata.test') return Promise.resolve([{ address: '169.254.169.254', family: 4 }]);
        if (host === 'mixed.test')
          return Promise.resolve([
            { address: '127.0.0.1', family: 4 },
            { address: 'fe80::1', family: 6 },
          ]);
        return Promise.reject(new Error(`no such host ${host}`));
      },
    });
    for (const baseUrl of [`http://127.0.0.1:${p}/v1`, `http://0x7f000001:${p}/v1`]) {
      const run = await (await modelRun(baseUrl)).collected();
      expect(run.collection?.answered, baseUrl).toBe(8);
    }
    expect(server.requests).toHaveLength(16);
    for (const baseUrl of [
      'http://169.254.169.254/latest',
      'http://[fe80::1]/v1',
      'http://[::ffff:169.254.169.254]/v1',
      `http://0.0.0.0:${p}/v1`,
      'http://metadata.test/v1',
      `http://mixed.test:${p}/v1`,
    ]) {
      const res = await (await modelRun(baseUrl)).collect();
      expect([res.status, res.body.error?.code, res.body.error?.message], baseUrl).toEqual([
        502,
        'endpoint-unreachable',
        NOT_ALLOWED,
      ]);
    }
    expect(server.requests).toHaveLength(16);
  });

  it('refuses a host name when any of its addresses is private, even if another is public', async () => {
    const { modelRun } = await world({
      resolve: () =>
        Promise.resolve([
          { address: '93.184.215.14', family: 4 },
          { address: '10.1.2.3', family: 4 },
        ]),
    });
    const res = await (await modelRun('https://api.example.test/v1')).collect();
    expect([res.status, res.body.error.code, res.body.error.message]).toEqual([
      502,
      'endpoint-unreachable',
      NOT_ALLOWED,
    ]);
  });

  it('connects to the address it checked, without a second DNS lookup in the whole collection', async () => {
    const server = await chatServer();
    const lookups: string[] = [];
    // model.test exists only in this resolver: had the connection asked DNS again, it would have failed.
    const { modelRun } = await world({
      allowPrivate: true,
      resolve: (host) => {
        lookups.push(host);
        return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
      },
    });
    const run = await (await modelRun(`http://model.test:${server.port}/v1`)).collected({ concurrency: 2 });
    expect(run.collection).toMatchObject({ answered: 8, failures: [], requests: 8 });
    expect([...server.hosts]).toEqual([`model.test:${server.port}`]);
    // One check when the collection starts; its thread connects only to the addresses checked then.
    expect(lookups).toEqual(['model.test']);
  });

  it('never uses a DNS answer that turns into a metadata address after the check (rebinding): the collection keeps the checked address, the next one is refused', async () => {
    const server = await chatServer();
    let calls = 0;
    const { modelRun } = await world({
      allowPrivate: true,
      resolve: () =>
        Promise.resolve([{ address: calls++ === 0 ? '127.0.0.1' : '169.254.169.254', family: 4 }]),
    });
    const { collect, collected, status } = await modelRun(`http://rebind.test:${server.port}/v1`);
    const run = await collected({ concurrency: 1, limit: 3 });
    expect(run.collection).toMatchObject({ answered: 3, requests: 3 });
    expect(calls).toBe(1);
    const res = await collect({ concurrency: 1 });
    expect([res.status, res.body.error.code, res.body.error.message]).toEqual([
      502,
      'endpoint-unreachable',
      NOT_ALLOWED,
    ]);
    expect(server.requests).toHaveLength(3);
    expect(await status()).toBe('pending');
  });
});

describe('POST /api/runs/:id/collect (unreachable endpoints)', { timeout: 20_000 }, () => {
  it('never follows a redirect: the target records no request, and the collection stops, the run failed as endpoint-unreachable', async () => {
    const target = await chatServer();
    const redirecting = await chatServer(() => ({ redirect: `${target.baseUrl}/chat/completions` }));
    const { modelRun } = await world({ allowPrivate: true });
    const after = await (await modelRun(redirecting.baseUrl)).collected({ concurrency: 1, maxAttempts: 2 });
    expect(target.requests).toEqual([]);
    // The first item's two attempts, then no other item is tried.
    expect(redirecting.requests).toHaveLength(2);
    expect(after).toMatchObject({
      status: 'failed',
      error: 'endpoint-unreachable: collect again once the endpoint answers',
      collection: { state: 'failed', asked: 1, failed: 1 },
    });
  });

  it('reports a closed port, a silent port and a port that does not speak HTTP the same way, and an unknown host with 502', async () => {
    const silent = await chatServer(() => 'hang');
    const outcomes = new Map<string, unknown>();
    const { modelRun } = await world({
      allowPrivate: true,
      resolve: () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
    });
    const endpoints: [string, string][] = [
      ['closed', `http://127.0.0.1:${await closedPort()}/v1`],
      ['silent', silent.baseUrl],
      ['not http', `http://127.0.0.1:${await notHttpServer()}/v1`],
    ];
    for (const [what, baseUrl] of endpoints) {
      const run = await (
        await modelRun(baseUrl)
      ).collected({ concurrency: 1, maxAttempts: 1, timeoutMs: 200 });
      outcomes.set(what, [run.status, run.error, run.collection?.failures.map((f) => f.reason)]);
    }
    for (const [what, outcome] of outcomes) {
      expect(outcome, what).toEqual([
        'failed',
        'endpoint-unreachable: collect again once the endpoint answers',
        ['endpoint-unreachable (after 1 attempt)'],
      ]);
    }
    const unknown = await (await modelRun('http://no-such-host.test/v1')).collect();
    expect([unknown.status, unknown.body]).toEqual([
      502,
      { error: { code: 'endpoint-unreachable', message: UNREACHABLE } },
    ]);
  });

  it('when the endpoint answers some requests, reports a dropped connection as an item failure, not as the endpoint unreachable', async () => {
    const server = await chatServer((prompt) => (prompt.includes('question mc1') ? 'reset' : reply));
    const { modelRun } = await world({ allowPrivate: true });
    const run = await (await modelRun(server.baseUrl)).collected({ concurrency: 1, maxAttempts: 2 });
    expect(run).toMatchObject({
      status: 'failed',
      error: '1 item(s) failed; collect again to retry them',
      collection: { answered: 7, failures: [{ reason: 'endpoint-unreachable (after 2 attempts)' }] },
    });
  });
});

describe('POST /api/models (base URL)', () => {
  it('refuses a base URL with a user name or password, or a scheme other than http and https, with 400 on baseUrl', async () => {
    const { w } = await world();
    for (const baseUrl of [
      'http://user:pass@api.example.com/v1',
      'https://token@api.example.com/v1',
      'ftp://api.example.com/v1',
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_INFO',
    ]) {
      const res = await w.post('/api/models', { name: 'X', developer: 'Lab', baseUrl });
      expect(res.status, baseUrl).toBe(400);
      expect(
        res.body.error.details.issues.map((i: { path: string }) => i.path),
        baseUrl,
      ).toEqual(['baseUrl']);
    }
    const model = await w.addModel();
    const patched = await w.patch(`/api/models/${model.id}`, { baseUrl: 'http://a:b@example.com/v1' });
    expect(patched.status).toBe(400);
    expect((await w.get('/api/models')).body).toHaveLength(1);
  });
});

describe('CS_OUTBOUND_ALLOW_PRIVATE', () => {
  it('is off unless set to 1 or true, and any other value stops the server with a message naming it', () => {
    expect(loadConfig({}).CS_OUTBOUND_ALLOW_PRIVATE).toBe(false);
    expect(loadConfig({ CS_OUTBOUND_ALLOW_PRIVATE: '0' }).CS_OUTBOUND_ALLOW_PRIVATE).toBe(false);
    expect(loadConfig({ CS_OUTBOUND_ALLOW_PRIVATE: '1' }).CS_OUTBOUND_ALLOW_PRIVATE).toBe(true);
    expect(loadConfig({ CS_OUTBOUND_ALLOW_PRIVATE: 'true' }).CS_OUTBOUND_ALLOW_PRIVATE).toBe(true);
    expect(() => loadConfig({ CS_OUTBOUND_ALLOW_PRIVATE: 'yes' })).toThrow(/CS_OUTBOUND_ALLOW_PRIVATE/);
  });
});
