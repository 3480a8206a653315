import { afterEach, describe, expect, it } from 'vitest';
import type { Run, ScoredResponse } from '../../schema/scoring.ts';
import { startChatServer, type Behaviour } from '../fixtures/scoring/chat-server.ts';
import { collectionEnded, scoringWorld, SCORING_ITEMS } from '../fixtures/scoring/world.ts';
import type { SampleRow } from '../helpers/releases.ts';

const SECRET = 'sk-test-secret-4242';
let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** The sample items' questions are "<language> question <id>": find which item a prompt is about. */
const itemOf = (prompt: string) => /question (\w+)/.exec(prompt)![1];

async function setup(script: (id: string, attempt: number) => Behaviour, items: SampleRow[] = SCORING_ITEMS) {
  const server = await startChatServer((prompt, attempt) => script(itemOf(prompt), attempt));
  servers.push(server);
  const logs: string[] = [];
  const w = await scoringWorld(items, {
    scoringEnv: { CS_MODEL_KEY_TEST: SECRET },
    outbound: { allowPrivate: true },
    log: (m, e) => logs.push(`${m} ${String(e)}`),
  });
  const model = await w.addModel({
    baseUrl: server.baseUrl,
    endpointModel: 'test-model',
    apiKeyEnv: 'CS_MODEL_KEY_TEST',
  });
  const run = await w.addRun(model.id);
  /** Starts a collection (answered at once, the run collecting), waits for its end; the run after it. */
  const collect = async (body: object = {}) => {
    const res = await w.post(`/api/runs/${run.id}/collect`, { backoffMs: 1, ...body });
    expect(res.status, res.text).toBe(202);
    expect((res.body as Run).status).toBe('collecting');
    const after = await collectionEnded(w, run.id);
    const c = after.collection!;
    return {
      run: after,
      collected: c.answered,
      skipped: c.skipped,
      requests: c.requests,
      failed: c.failures,
    };
  };
  return { w, server, run, collect, logs };
}

const answer = (id: string): Behaviour => ({
  reply: id.startsWith('mc') || id === 'amc1' ? 'C' : `reply ${id}`,
});

describe('POST /api/runs/:id/collect', { timeout: 20_000 }, () => {
  it('collects every item with bounded concurrency, stores and scores the answers, and sends the key only to the endpoint', async () => {
    // The first three answers wait until the third request has arrived: the bound is reached whatever the
    // machine's speed (a collection that asked one item at a time would never get an answer, and time out).
    let third = () => {};
    const threeAsked = new Promise<void>((resolve) => (third = resolve));
    let asked = 0;
    const { w, server, run, collect, logs } = await setup((id) => {
      if (++asked === 3) third();
      return asked <= 3 ? { held: threeAsked, then: answer(id) } : answer(id);
    });
    const result = await collect({ concurrency: 3 });
    expect(result).toMatchObject({ collected: 8, skipped: 0, failed: [], requests: 8 });
    expect(result.run).toMatchObject({
      status: 'complete',
      progress: { responses: 8, autoScored: 5, correct: 3 },
    });
    expect(server.maxInFlight).toBe(3);
    expect(server.requests.every((r) => r.model === 'test-model')).toBe(true);
    expect([...server.authorizations]).toEqual([`Bearer ${SECRET}`]);
    // The prompt is the per-format default in the item's language.
    expect(server.requests.find((r) => r.prompt.includes('question mc1'))!.prompt).toContain('가. one');
    const responses = (await w.get(`/api/runs/${run.id}/responses`)).body as ScoredResponse[];
    expect(responses.find((r) => r.id === w.uid('mc1'))).toMatchObject({ source: 'endpoint', correct: true });
    const everything = JSON.stringify([result, responses, (await w.get('/api/models')).body, logs]);
    expect(everything).not.toContain(SECRET);
  });

  it('retries 429, 500, malformed bodies and empty answers with backoff, then succeeds', async () => {
    const failures: Record<string, Behaviour> = {
      mc1: 429,
      mc2: 500,
      tf1: 'malformed',
      oe1: 'no-content',
    };
    const { server, collect } = await setup((id, attempt) =>
      attempt === 1 && failures[id] !== undefined ? failures[id] : answer(id),
    );
    // The default timeout (60 s) is far beyond any answer of the local server: no request is timed out.
    const result = await collect({ concurrency: 8 });
    expect(result).toMatchObject({ collected: 8, failed: [], requests: 8 + 4 });
    for (const item of SCORING_ITEMS) {
      expect(server.count(`question ${item.id}`), item.id).toBe(failures[item.id] === undefined ? 1 : 2);
    }
  });

  it('when an answer does not come within timeoutMs, then the request is given up and the item asked again', async () => {
    // The server never answers the first request: only the collection's timeout can end it. The retry is
    // answered at once; should a loaded machine delay it past the timeout too, that request is given up and
    // counted the same way, so the assertions hold whatever the timing.
    const { server, collect } = await setup(
      (id, attempt) => (attempt === 1 ? 'hang' : answer(id)),
      [{ id: 'sa1', format: 'short_answer' }],
    );
    const result = await collect({ timeoutMs: 300 });
    expect(result).toMatchObject({ collected: 1, failed: [] });
    const given = server.abandoned('question sa1');
    expect(given).toBeGreaterThanOrEqual(1);
    // Every request but the last was given up by the collection; the last one was answered.
    expect(server.count('question sa1')).toBe(given + 1);
    expect(result.requests).toBe(given + 1);
  });

  it('gives up on an item after maxAttempts, does not retry a 400, and reports why without the key', async () => {
    const { collect, run } = await setup((id) => (id === 'sf1' ? 500 : id === 'sf2' ? 400 : answer(id)));
    const result = await collect({ maxAttempts: 3 });
    expect(result.failed.map((f) => f.reason).sort()).toEqual([
      'HTTP 400 (after 1 attempt)',
      'HTTP 500 (after 3 attempts)',
    ]);
    expect(result.requests).toBe(6 + 3 + 1);
    expect(result.run).toMatchObject({ id: run.id, status: 'failed', progress: { responses: 6 } });
  });

  it('resumes a run collected in parts without asking again for any item that has a response', async () => {
    const { server, collect } = await setup(answer);
    expect(await collect({ limit: 3 })).toMatchObject({ collected: 3, skipped: 0, requests: 3 });
    const second = await collect();
    expect(second).toMatchObject({ collected: 5, skipped: 3, requests: 5, failed: [] });
    expect(second.run.status).toBe('complete');
    expect(await collect()).toMatchObject({ collected: 0, skipped: 8, requests: 0 });
    for (const item of SCORING_ITEMS) expect(server.count(`question ${item.id}`), item.id).toBe(1);
  });

  it('after a failed collection, asks again only for the items that have no response', async () => {
    let healthy = false;
    const { server, collect } = await setup((id) => (!healthy && id === 'sa1' ? 500 : answer(id)));
    const first = await collect({ maxAttempts: 2 });
    expect(first).toMatchObject({ collected: 7, run: { status: 'failed' } });
    expect(first.failed).toHaveLength(1);
    healthy = true;
    const second = await collect();
    expect(second).toMatchObject({ collected: 1, skipped: 7, requests: 1, run: { status: 'complete' } });
    for (const item of SCORING_ITEMS) {
      expect(server.count(`question ${item.id}`), item.id).toBe(item.id === 'sa1' ? 3 : 1);
    }
  });

  it('refuses a model without an endpoint, and a key variable that is not set, with 409', async () => {
    const { w } = await setup(answer);
    const bare = await w.addModel();
    const run = await w.addRun(bare.id);
    const res = await w.post(`/api/runs/${run.id}/collect`, {});
    expect([res.status, res.body.error.code]).toEqual([409, 'no-endpoint']);
    const unset = await w.addModel({
      baseUrl: 'http://127.0.0.1:9/v1',
      endpointModel: 'm',
      apiKeyEnv: 'CS_MODEL_KEY_UNSET',
    });
    const run2 = await w.addRun(unset.id);
    const res2 = await w.post(`/api/runs/${run2.id}/collect`, {});
    expect([res2.status, res2.body.error.code]).toEqual([409, 'api-key-missing']);
    const bad = await w.post(`/api/runs/${run2.id}/collect`, { concurrency: 0 });
    expect(bad.status).toBe(400);
  });
});
