import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Model } from '../../schema/scoring.ts';
import { runCli } from '../../server/cli/run-cli.ts';
import { startChatServer, type Behaviour } from '../fixtures/scoring/chat-server.ts';
import { collectionEnded, scoringWorld } from '../fixtures/scoring/world.ts';
import { tempDir } from '../helpers/releases.ts';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

async function chatServer(script: (prompt: string, attempt: number) => Behaviour = () => ({ reply: 'C' })) {
  const server = await startChatServer(script);
  closers.push(server.close);
  return server;
}

const issuePaths = (body: { error: { details: { issues: { path: string }[] } } }) =>
  body.error.details.issues.map((i) => i.path);

describe('POST /api/models (API keys)', () => {
  it('refuses an apiKeyEnv outside CS_MODEL_KEY_ with 400 naming the field, on create and on update', async () => {
    const w = await scoringWorld();
    const model = await w.addModel();
    for (const apiKeyEnv of [
      'PATH',
      'CS_ADMIN_PASSWORD',
      'OPENAI_API_KEY',
      'cs_model_key_openai',
      'CS_MODEL_KEY_',
    ]) {
      const created = await w.post('/api/models', { name: 'X', developer: 'Lab', apiKeyEnv });
      expect(created.status, apiKeyEnv).toBe(400);
      expect(issuePaths(created.body), apiKeyEnv).toEqual(['apiKeyEnv']);
      expect(created.body.error.details.issues[0].message).toBe(
        'apiKeyEnv must name an environment variable starting with CS_MODEL_KEY_, e.g. CS_MODEL_KEY_OPENAI',
      );
      const patched = await w.patch(`/api/models/${model.id}`, { apiKeyEnv });
      expect([patched.status, issuePaths(patched.body)], apiKeyEnv).toEqual([400, ['apiKeyEnv']]);
    }
    const ok = await w.post('/api/models', { name: 'Y', developer: 'Lab', apiKeyEnv: 'CS_MODEL_KEY_OPENAI' });
    expect([ok.status, ok.body.apiKeyEnv]).toEqual([201, 'CS_MODEL_KEY_OPENAI']);
    expect(((await w.get('/api/models')).body as Model[]).map((m) => m.apiKeyEnv)).toEqual([
      null,
      'CS_MODEL_KEY_OPENAI',
    ]);
  });

  it('refuses an API key that could not be sent as a header (spaces, line breaks) with 400 on apiKey', async () => {
    const w = await scoringWorld();
    for (const apiKey of ['sk one', 'sk-1\r\nX-Injected: yes', '']) {
      const res = await w.post('/api/models', { name: 'X', developer: 'Lab', apiKey });
      expect([res.status, issuePaths(res.body)], JSON.stringify(apiKey)).toEqual([400, ['apiKey']]);
    }
  });
});

describe('PATCH /api/models/:id (moving to another host)', { timeout: 20_000 }, () => {
  it('drops the stored key when the scheme, host or port changes, keeps it on the same host, and stores a key given in the same request', async () => {
    const one = await chatServer();
    const two = await chatServer();
    const three = await chatServer();
    const w = await scoringWorld(undefined, { outbound: { allowPrivate: true } });
    const model = await w.addModel({ baseUrl: one.baseUrl, endpointModel: 'm', apiKey: 'sk-one' });
    const patch = async (body: object) => {
      const res = await w.patch(`/api/models/${model.id}`, body);
      expect(res.status, res.text).toBe(200);
      return res.body as Model;
    };
    const collect = async () => {
      const run = await w.addRun(model.id);
      const res = await w.post(`/api/runs/${run.id}/collect`, {});
      expect(res.status, res.text).toBe(202);
      await collectionEnded(w, run.id);
    };

    // Same scheme, host and port (another path, another spelling): the key stays.
    expect(await patch({ baseUrl: `${one.baseUrl}/` })).toMatchObject({ hasApiKey: true });
    expect(await patch({ baseUrl: one.baseUrl.replace('http://', 'HTTP://') })).toMatchObject({
      hasApiKey: true,
    });
    await collect();
    expect([...one.authorizations]).toEqual(['Bearer sk-one']);

    // Another port: the key is gone, and the new host never sees it.
    expect(await patch({ baseUrl: two.baseUrl })).toMatchObject({ hasApiKey: false, apiKeyEnv: null });
    await collect();
    expect([...two.authorizations]).toEqual(['']);

    // A key in the same request is stored for the new host.
    expect(await patch({ baseUrl: three.baseUrl, apiKey: 'sk-three' })).toMatchObject({ hasApiKey: true });
    await collect();
    expect([...three.authorizations]).toEqual(['Bearer sk-three']);

    // No base URL at all is a change of host too.
    expect(await patch({ baseUrl: null })).toMatchObject({ hasApiKey: false });
  });

  it('drops the key variable name when the host changes, unless the request names it again', async () => {
    const w = await scoringWorld();
    const model = await w.addModel({
      baseUrl: 'https://api.one.example/v1',
      endpointModel: 'm',
      apiKeyEnv: 'CS_MODEL_KEY_ONE',
    });
    const patch = async (body: object) => (await w.patch(`/api/models/${model.id}`, body)).body as Model;
    expect(await patch({ baseUrl: 'https://api.one.example/v2', name: 'Renamed' })).toMatchObject({
      apiKeyEnv: 'CS_MODEL_KEY_ONE',
    });
    expect(await patch({ baseUrl: 'https://api.two.example/v1' })).toMatchObject({ apiKeyEnv: null });
    expect(
      await patch({ baseUrl: 'http://api.two.example/v1', apiKeyEnv: 'CS_MODEL_KEY_ONE' }),
    ).toMatchObject({ apiKeyEnv: 'CS_MODEL_KEY_ONE', baseUrl: 'http://api.two.example/v1' });
    expect(await patch({ baseUrl: 'https://api.two.example/v1' })).toMatchObject({ apiKeyEnv: null });
  });
});

describe('POST /api/runs/:id/collect (API keys)', { timeout: 20_000 }, () => {
  it('refuses with 409 a model saved before the CS_MODEL_KEY_ rule that names another variable, sending nothing', async () => {
    const server = await chatServer();
    const w = await scoringWorld(undefined, {
      outbound: { allowPrivate: true },
      scoringEnv: { CS_ADMIN_PASSWORD: 'admin-password-123', CS_MODEL_KEY_TEST: 'sk-test-1' },
    });
    const model = await w.addModel({ baseUrl: server.baseUrl, endpointModel: 'm' });
    // A row as an older version could have written it.
    await w.t.sql('UPDATE models SET api_key_env = ? WHERE id = ?', 'CS_ADMIN_PASSWORD', model.id);
    const run = await w.addRun(model.id);
    const res = await w.post(`/api/runs/${run.id}/collect`, {});
    expect([res.status, res.body.error.code, res.body.error.message]).toEqual([
      409,
      'api-key-env-not-allowed',
      "The model's apiKeyEnv CS_ADMIN_PASSWORD is not allowed: keys are read only from variables starting with CS_MODEL_KEY_; set apiKeyEnv again",
    ]);
    expect(server.requests).toEqual([]);
    await w.patch(`/api/models/${model.id}`, { apiKeyEnv: 'CS_MODEL_KEY_TEST' });
    expect((await w.post(`/api/runs/${run.id}/collect`, {})).status).toBe(202);
    await collectionEnded(w, run.id);
    expect([...server.authorizations]).toEqual(['Bearer sk-test-1']);
  });

  it('refuses with 409 a key variable whose value could not be sent as a header, without repeating the value', async () => {
    const server = await chatServer();
    const w = await scoringWorld(undefined, {
      outbound: { allowPrivate: true },
      scoringEnv: { CS_MODEL_KEY_BAD: 'sk-bad\r\nX-Injected: yes' },
    });
    const model = await w.addModel({
      baseUrl: server.baseUrl,
      endpointModel: 'm',
      apiKeyEnv: 'CS_MODEL_KEY_BAD',
    });
    const res = await w.post(`/api/runs/${(await w.addRun(model.id)).id}/collect`, {});
    expect([res.status, res.body.error.code, res.body.error.message]).toEqual([
      409,
      'api-key-invalid',
      'The value of CS_MODEL_KEY_BAD is not a usable API key (printable ASCII without spaces)',
    ]);
    expect(server.requests).toEqual([]);
  });

  it('never puts a stored or environment key in an answer, a log line, an export or CLI output, whatever the endpoint does', async () => {
    const STORED = 'sk-stored-7f3a9c11';
    const FROM_ENV = 'sk-env-5d1e0b22';
    const printed: string[] = [];
    for (const method of ['log', 'error', 'warn', 'info'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
      });
    }
    const target = await chatServer();
    // Every way an endpoint can fail, item by item, and one item answered so the report has data.
    const failures: Record<string, Behaviour> = {
      mc1: 'echo-key',
      mc2: { redirect: `${target.baseUrl}/chat/completions` },
      sa1: 'reset',
      tf1: 'hang',
      oe1: 'malformed',
      sf1: 400,
      sf2: 429,
    };
    const server = await chatServer((prompt) => {
      const id = /question (\w+)/.exec(prompt)![1];
      return failures[id] ?? { reply: 'C' };
    });
    const logs: string[] = [];
    const w = await scoringWorld(undefined, {
      outbound: { allowPrivate: true },
      scoringEnv: { CS_MODEL_KEY_TEST: FROM_ENV },
      log: (m, e) => logs.push(`${m} ${String(e)} ${JSON.stringify(e)}`),
    });
    const seen: string[] = [];
    const keep = <R extends { text: string; headers: Record<string, string> }>(res: R): R => {
      seen.push(res.text, JSON.stringify(res.headers));
      return res;
    };
    const settings = { backoffMs: 1, maxAttempts: 2, timeoutMs: 300 };
    const runIds: number[] = [];
    const failedRunIds: number[] = [];
    for (const key of [{ apiKey: STORED }, { apiKeyEnv: 'CS_MODEL_KEY_TEST' }]) {
      const model = keep(
        await w.post('/api/models', {
          name: `Model ${runIds.length}`,
          developer: 'Lab',
          baseUrl: server.baseUrl,
          endpointModel: 'm',
          ...key,
        }),
      ).body as Model;
      const run = await w.addRun(model.id);
      runIds.push(run.id);
      const started = keep(await w.post(`/api/runs/${run.id}/collect`, settings));
      expect(started.status, started.text).toBe(202);
      expect((await collectionEnded(w, run.id)).collection?.answered).toBe(1);
      keep(await w.patch(`/api/models/${model.id}`, { developer: 'Lab 2' }));
      // The same key towards an endpoint that never answers, and towards an address not allowed.
      for (const baseUrl of [`${target.baseUrl.replace(/:\d+/, ':9')}`, 'http://169.254.169.254/v1']) {
        const never = baseUrl.endsWith(':9/v1');
        const other = keep(
          await w.post('/api/models', {
            name: `${baseUrl} ${runIds.length}`,
            developer: 'Lab',
            baseUrl,
            endpointModel: 'm',
            ...key,
          }),
        ).body as Model;
        const otherRun = await w.addRun(other.id);
        const failing = keep(await w.post(`/api/runs/${otherRun.id}/collect`, settings));
        if (never) {
          // Refused connections: the collection starts, then fails as endpoint-unreachable.
          expect(failing.status, failing.text).toBe(202);
          expect((await collectionEnded(w, otherRun.id)).error).toMatch(/^endpoint-unreachable/);
          failedRunIds.push(otherRun.id);
        } else expect([failing.status, failing.body.error.code]).toEqual([502, 'endpoint-unreachable']);
      }
    }
    // The keys did go to the endpoint, which even echoed them back.
    expect([...server.authorizations].sort()).toEqual([`Bearer ${FROM_ENV}`, `Bearer ${STORED}`]);
    expect(target.requests).toEqual([]);

    const release = w.release.id;
    for (const url of [
      '/api/models',
      '/api/runs',
      ...[...runIds, ...failedRunIds].flatMap((id) => [`/api/runs/${id}`, `/api/runs/${id}/responses`]),
      `/api/reports?release=${release}`,
      `/api/reports/export?release=${release}&format=csv`,
      `/api/reports/export?release=${release}&format=json`,
      `/api/reports/items?release=${release}`,
    ]) {
      expect(keep(await w.get(url)).status, url).toBe(200);
    }
    const dir = tempDir();
    const cliOut: string[] = [];
    const cli = (argv: string[]) =>
      runCli([...argv, '--db', w.t.location ?? w.t.repos.location], {
        out: (l) => cliOut.push(l),
        err: (l) => cliOut.push(l),
        env: {},
      });
    expect(await cli(['runs', 'list'])).toBe(0);
    for (const format of ['csv', 'json']) {
      const out = join(dir, `report.${format}`);
      expect(await cli(['report', '--release', String(release), '--out', out, '--format', format])).toBe(0);
      seen.push(readFileSync(out, 'utf8'));
    }

    const everything = [...seen, ...logs, ...printed, ...cliOut].join('\n');
    expect(everything).toContain('HTTP 500 (after 2 attempts)');
    expect(everything).toContain(`Model 0`);
    expect(everything).not.toContain(STORED);
    expect(everything).not.toContain(FROM_ENV);
  });
});
