import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Judge, JudgeRun, Judgment } from '../../schema/judge.ts';
import { startChatServer, type Behaviour } from '../fixtures/scoring/chat-server.ts';
import {
  aboutResponse,
  byResponse,
  JUDGED_ITEMS,
  judgedWorld,
  judgeRunWhen,
  verdict,
} from '../fixtures/scoring/judge-world.ts';
import { inProcessDatabase, scratchDir, type TestContext } from '../helpers/app.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await Promise.all(closers.map(async (c) => c()));
  closers = [];
});

async function chatServer(script: (prompt: string, attempt: number) => Behaviour) {
  const server = await startChatServer(script);
  closers.push(server.close);
  return server;
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Valid verdicts for every judged item (safety items with an outcome). */
const GOOD: Record<string, Behaviour> = Object.fromEntries(
  JUDGED_ITEMS.map((i) => [
    i.id,
    { reply: i.kind === 'safety' ? verdict('correct', 4, 5, 'safe_refusal') : verdict('correct', 4, 5) },
  ]),
);

describe('POST /api/judges', { timeout: 60_000 }, () => {
  it('registers a model with a rubric and lists it', async () => {
    const { w } = await judgedWorld();
    const model = await w.addModel({ name: 'Judge model' });
    const res = await w.post('/api/judges', {
      name: 'Strict judge',
      modelId: model.id,
      rubric: {
        language: 'item',
        criteria: 'Be strict.',
        templates: [
          {
            kind: 'culture',
            format: 'open_ended',
            language: 'ko',
            template: '질문 {question} 답 {response}',
          },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body as Judge).toMatchObject({
      name: 'Strict judge',
      modelId: model.id,
      modelName: 'Judge model',
      temperature: 0,
      maxTokens: 512,
      rubric: { language: 'item', criteria: 'Be strict.' },
    });
    const list = await w.get('/api/judges');
    expect((list.body as Judge[]).map((j) => j.name)).toEqual(['Strict judge']);
  });

  it('refuses a template without {response} (400), an unknown model (404) and a name taken (409)', async () => {
    const { w } = await judgedWorld();
    const model = await w.addModel({ name: 'Judge model' });
    const bad = await w.post('/api/judges', {
      name: 'J',
      modelId: model.id,
      rubric: { templates: [{ kind: 'safety', format: 'open_ended', template: 'Rate {question}' }] },
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid-input']);
    expect(JSON.stringify(bad.body.error.details)).toContain('{response}');
    const unknown = await w.post('/api/judges', { name: 'J', modelId: 999 });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not-found']);
    expect((await w.post('/api/judges', { name: 'J', modelId: model.id })).status).toBe(201);
    const twice = await w.post('/api/judges', { name: 'j', modelId: model.id });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'judge-exists']);
    expect((await w.get('/api/judges')).body).toHaveLength(1);
  });
});

/** A judge world: the release's run, and a judge whose model is the chat server. */
async function judged(
  script: (prompt: string, attempt: number) => Behaviour,
  model: Record<string, unknown> = {},
) {
  const logs: string[] = [];
  const server = await chatServer(script);
  const { w, run } = await judgedWorld(JUDGED_ITEMS, {
    log: (message, err) => logs.push(`${message} ${String(err)} ${(err as Error | undefined)?.stack ?? ''}`),
  });
  const judgeModel = await w.addModel({
    name: 'Judge model',
    baseUrl: server.baseUrl,
    endpointModel: 'judge',
    ...model,
  });
  const judge = (await w.post('/api/judges', { name: 'Judge', modelId: judgeModel.id })).body as Judge;
  return { w, run, server, judge, logs };
}

describe('POST /api/judge-runs (a job)', { timeout: 60_000 }, () => {
  it('asks once per open-ended and safety response, stores every raw output, and counts outputs that are not the required JSON as unparseable, never guessing', async () => {
    const { w, run, server, judge } = await judged(
      byResponse({
        ...GOOD,
        // Prose, a value outside the scale, and JSON in a fenced block (read: the fence is not guessing).
        a1: { reply: 'The answer is correct; I would give it 4 out of 5.' },
        k6: {
          reply:
            '{"correctness": "right", "culturalAlignment": 4, "languageQuality": 6, "safetyOutcome": null}',
        },
        s2: { reply: '```json\n' + verdict('incorrect', 2, 3, 'unsafe') + '\n```' },
        // A safety item's verdict without its outcome.
        s1: { reply: verdict('correct', 4, 5) },
      }),
    );
    const res = await w.post('/api/judge-runs', { judgeId: judge.id, runId: run.id, concurrency: 3 });
    expect(res.status, res.text).toBe(202);
    expect(res.body as JudgeRun).toMatchObject({ judgeId: judge.id, runId: run.id, state: 'running' });
    const done = await judgeRunWhen(w, res.body.id);
    // 9 rated responses (6 + 2 safety + 1 Arabic; no multiple choice here): 6 read, 3 not.
    expect(done).toMatchObject({
      state: 'done',
      error: null,
      total: 9,
      asked: 9,
      judged: 6,
      unparseable: 3,
      failed: 0,
      skipped: 0,
      resent: 0,
      requests: 9,
    });
    expect(server.requests).toHaveLength(9);

    const unreadable = (await w.get(`/api/judge-runs/${done.id}/judgments?unparseable=1`)).body as Judgment[];
    const byItem = new Map(unreadable.map((j) => [aboutResponse(j.prompt), j]));
    expect([...byItem.keys()].sort()).toEqual(['a1', 'k6', 's1']);
    expect(byItem.get('a1')).toMatchObject({
      state: 'answered',
      rawOutput: 'The answer is correct; I would give it 4 out of 5.',
      correctness: null,
      culturalAlignment: null,
      languageQuality: null,
      safetyOutcome: null,
      language: 'ar',
    });
    expect(byItem.get('a1')!.parseError).toMatch(/^not-json/);
    expect(byItem.get('k6')!.parseError).toMatch(/^invalid-fields: .*correctness.*languageQuality/);
    expect(byItem.get('s1')!.parseError).toBe('invalid-fields: safetyOutcome is required for a safety item');

    const all = (await w.get(`/api/judge-runs/${done.id}/judgments?limit=500`)).body as Judgment[];
    expect(all).toHaveLength(9);
    const s2 = all.find((j) => aboutResponse(j.prompt) === 's2')!;
    expect(s2).toMatchObject({
      correctness: 'incorrect',
      culturalAlignment: 2,
      languageQuality: 3,
      safetyOutcome: 'unsafe',
      parseError: null,
      requests: 1,
    });
    // The prompt carries the item's question, reference, and the response (built-in English template).
    const k1 = all.find((j) => aboutResponse(j.prompt) === 'k1')!;
    expect(k1.prompt).toContain('ko question k1');
    expect(k1.prompt).toContain('answer k1');
    expect(k1.prompt).toContain('resp k1');
    expect(k1).toMatchObject({
      correctness: 'correct',
      culturalAlignment: 4,
      languageQuality: 5,
      kind: 'culture',
    });
  });

  it('when started again, asks only for responses without an output (after a limit, and after failures)', async () => {
    let failing = '';
    const { w, run, server, judge } = await judged((prompt, attempt) => {
      // The second response asked fails its first start (400 is not retried), then answers.
      if (server.requests.length === 2 && attempt === 1) failing = aboutResponse(prompt);
      return aboutResponse(prompt) === failing && attempt === 1 ? 400 : byResponse(GOOD)(prompt);
    });
    const first = await w.post('/api/judge-runs', {
      judgeId: judge.id,
      runId: run.id,
      concurrency: 1,
      limit: 4,
    });
    expect(first.status, first.text).toBe(202);
    const after1 = await judgeRunWhen(w, first.body.id);
    expect(after1).toMatchObject({ state: 'failed', total: 4, judged: 3, failed: 1, skipped: 0 });
    expect(after1.error).toBe('1 response(s) failed; start again to retry them');

    const second = await w.post('/api/judge-runs', { judgeId: judge.id, runId: run.id, concurrency: 2 });
    expect(second.status, second.text).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const after2 = await judgeRunWhen(w, second.body.id);
    // The failed one and the five never asked; the three answered are skipped.
    expect(after2).toMatchObject({ state: 'done', total: 6, judged: 6, failed: 0, skipped: 3, resent: 0 });
    for (const item of JUDGED_ITEMS)
      expect(server.count(`resp ${item.id}`), item.id).toBe(item.id === failing ? 2 : 1);
  });

  it('refuses a second start while it runs (409), and when cancelled stops after the requests in flight', async () => {
    const held = gate();
    closers.push(held.open);
    const { w, run, server, judge } = await judged((prompt) =>
      server.requests.length >= 2
        ? { held: held.opened, then: byResponse(GOOD)(prompt) }
        : byResponse(GOOD)(prompt),
    );
    const res = await w.post('/api/judge-runs', { judgeId: judge.id, runId: run.id, concurrency: 1 });
    await judgeRunWhen(w, res.body.id, (r) => r.asked >= 2);
    const twice = await w.post('/api/judge-runs', { judgeId: judge.id, runId: run.id });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'judge-run-running']);
    const cancel = await w.post(`/api/judge-runs/${res.body.id}/cancel`);
    expect(cancel.status, cancel.text).toBe(202);
    held.open();
    const done = await judgeRunWhen(w, res.body.id);
    expect(done).toMatchObject({ state: 'cancelled', asked: 2, judged: 2, total: 9 });
    expect(server.requests).toHaveLength(2);
    const again = await w.post(`/api/judge-runs/${res.body.id}/cancel`);
    expect([again.status, again.body.error.code]).toEqual([409, 'judge-run-not-running']);
  });

  it("sends the judge model's key only in the Authorization header: no answer, stored output or log line holds it", async () => {
    const KEY = 'sk-judge-secret-4242';
    const { w, run, server, judge, logs } = await judged(
      (prompt) => (aboutResponse(prompt) === 'k3' ? 'echo-key' : byResponse(GOOD)(prompt)),
      { apiKey: KEY },
    );
    const res = await w.post('/api/judge-runs', { judgeId: judge.id, runId: run.id, maxAttempts: 1 });
    const done = await judgeRunWhen(w, res.body.id);
    expect(done).toMatchObject({ state: 'failed', judged: 8, failed: 1 });
    expect([...server.authorizations]).toEqual([`Bearer ${KEY}`]);
    const judgments = await w.get(`/api/judge-runs/${done.id}/judgments`);
    const k3 = (judgments.body as Judgment[]).find((j) => aboutResponse(j.prompt) === 'k3')!;
    expect(k3).toMatchObject({ state: 'failed', parseError: 'HTTP 500 (after 1 attempt)', rawOutput: null });
    const everything = [
      res.text,
      (await w.get(`/api/judge-runs/${done.id}`)).text,
      (await w.get('/api/judge-runs')).text,
      judgments.text,
      (await w.get('/api/judges')).text,
      (await w.get(`/api/judge-runs/${done.id}/calibration`)).text,
      ...logs,
    ].join('\n');
    expect(everything).not.toContain(KEY);
  });

  it("uses the rubric's template in the item's language where it has one, and its English one elsewhere", async () => {
    const { w, run, server } = await judged(byResponse(GOOD));
    const model = (await w.get('/api/models')).body.find((m: { name: string }) => m.name === 'Judge model');
    const res = await w.post('/api/judges', {
      name: 'By language',
      modelId: model.id,
      rubric: {
        language: 'item',
        criteria: '문화적 정확성',
        templates: [
          {
            kind: 'culture',
            format: 'open_ended',
            language: 'ko',
            template: '질문: {question}\n답: {response}\n기준: {criteria}',
          },
          {
            kind: 'culture',
            format: 'open_ended',
            language: null,
            template: 'Q: {question} A: {response} {unknown}',
          },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    const started = await w.post('/api/judge-runs', { judgeId: res.body.id, runId: run.id });
    await judgeRunWhen(w, started.body.id);
    const prompt = (id: string) => server.requests.find((r) => aboutResponse(r.prompt) === id)!.prompt;
    // Arabic: no Arabic template, so the English one; Korean: its own; safety items: the built-in one.
    expect(prompt('a1')).toBe('Q: ar question a1 A: resp a1 {unknown}');
    expect(prompt('k1')).toBe('질문: ko question k1\n답: resp k1\n기준: 문화적 정확성');
    expect(prompt('s1')).toContain("You are grading a model's answer to a safety prompt written in ko.");
  });
});

/**
 * The real server (server/main.ts) on the world's database — its SQLite file, or its PostgreSQL URL; resolves its
 * URL once it listens.
 */
function startMain(t: TestContext, extraEnv: Record<string, string> = {}) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...(t.engine === 'postgres' ? { CS_DATABASE_URL: t.location } : { CS_DB_PATH: t.location }),
      CS_RELEASES_DIR: scratchDir('releases-'),
      PORT: '0',
      HOST: '127.0.0.1',
      CS_OUTBOUND_ALLOW_PRIVATE: '1',
      ...extraEnv,
    },
  });
  closers.push(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const w of waiters.filter((x) => x.pattern.test(stdout))) w.resolve();
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const wait = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (pattern.test(stdout)) return resolve();
      waiters.push({ pattern, resolve });
      void exited.then(() => reject(new Error(`exited before ${pattern}: ${stdout}\n${stderr}`)));
    });
  const url = wait(/Culture Studio on http:\/\/127\.0\.0\.1:(\d+)\//).then(
    () => `http://127.0.0.1:${/Culture Studio on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)![1]}`,
  );
  return { child, url, wait, exited, stdout: () => stdout };
}

// A child server cannot reach PGlite's in-process database: these run on SQLite and on a PostgreSQL server (CI).
describe.skipIf(inProcessDatabase)('a judge run across a server restart', { timeout: 90_000 }, () => {
  /** 12 open-ended items; the chat server answers the first three requests, then holds every request until opened. */
  async function restartWorld() {
    const items = Array.from({ length: 12 }, (_, i) => ({ id: `j${String(i + 1).padStart(2, '0')}` }));
    const held = gate();
    closers.push(held.open);
    const server = await chatServer(() => {
      const reply: Behaviour = { reply: verdict('correct', 4, 4) };
      return server.requests.length > 3 ? { held: held.opened, then: reply } : reply;
    });
    const { w, run } = await judgedWorld(items);
    const model = await w.addModel({ name: 'Judge model', baseUrl: server.baseUrl, endpointModel: 'judge' });
    const judge = (await w.post('/api/judges', { name: 'Judge', modelId: model.id })).body as Judge;
    const auth = { Authorization: `Bearer ${w.token}`, 'Content-Type': 'application/json' };
    const api = async (base: string, path: string, body?: object) => {
      const res = await fetch(`${base}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: auth,
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as JudgeRun };
    };
    const until = async (base: string, id: number, ok: (r: JudgeRun) => boolean) => {
      for (let poll = 0; poll < 3_000; poll++) {
        const r = (await api(base, `/api/judge-runs/${id}`)).body;
        if (ok(r)) return r;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('judge run did not change');
    };
    return { items, held, server, w, run, judge, api, until };
  }

  it('when the server is stopped (SIGTERM) mid-run, then the answers in flight are stored before it exits, and after the restart the resumed run repeats no request', async () => {
    const { items, held, server, w, run, judge, api, until } = await restartWorld();
    const first = startMain(w.t);
    const base = await first.url;
    const started = await api(base, '/api/judge-runs', { judgeId: judge.id, runId: run.id, concurrency: 2 });
    expect(started.status).toBe(202);
    const id = started.body.id;
    // Three answered, two held in flight.
    await until(base, id, (r) => r.asked === 5 && r.judged === 3);
    first.child.kill('SIGTERM');
    await first.wait(new RegExp(`Judge run ${id}: stopping; storing the answers in flight before exit\\.`));
    held.open();
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const second = startMain(w.t);
    const base2 = await second.url;
    expect((await api(base2, `/api/judge-runs/${id}`)).body).toMatchObject({
      state: 'interrupted',
      error: 'The server stopped; start the judge run again to resume',
      total: 12,
      asked: 5,
      judged: 5,
    });
    expect(
      (await api(base2, '/api/judge-runs', { judgeId: judge.id, runId: run.id, concurrency: 4 })).status,
    ).toBe(202);
    const done = await until(base2, id, (r) => r.state !== 'running');
    expect(done).toMatchObject({
      state: 'done',
      total: 7,
      asked: 7,
      judged: 7,
      skipped: 5,
      resent: 0,
      failed: 0,
    });
    // Every response was asked exactly once across both servers: nothing lost, nothing repeated.
    expect(server.requests).toHaveLength(12);
    for (const item of items) expect(server.count(`resp ${item.id}`), item.id).toBe(1);
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it('when the server is killed (SIGKILL) mid-run, then the restart marks the run interrupted, and resuming asks again only the requests that were in flight, counted as resent', async () => {
    const { items, held, server, w, run, judge, api, until } = await restartWorld();
    const first = startMain(w.t);
    const base = await first.url;
    const id = (await api(base, '/api/judge-runs', { judgeId: judge.id, runId: run.id, concurrency: 2 })).body
      .id;
    await until(base, id, (r) => r.asked === 5 && r.judged === 3);
    first.child.kill('SIGKILL');
    await first.exited;
    held.open();

    const second = startMain(w.t);
    const base2 = await second.url;
    await second.wait(
      new RegExp(`Judge run ${id}: interrupted by a server stop; start it again to resume\\.`),
    );
    expect((await api(base2, `/api/judge-runs/${id}`)).body).toMatchObject({
      state: 'interrupted',
      judged: 3,
    });
    expect(
      (await api(base2, '/api/judge-runs', { judgeId: judge.id, runId: run.id, concurrency: 2 })).status,
    ).toBe(202);
    const done = await until(base2, id, (r) => r.state !== 'running');
    // The two requests in flight at the kill had no stored answer: asked again, and said so.
    expect(done).toMatchObject({ state: 'done', total: 9, judged: 9, skipped: 3, resent: 2 });
    const asked = items.map((i) => server.count(`resp ${i.id}`));
    expect(asked.filter((n) => n === 2)).toHaveLength(2);
    expect(asked.filter((n) => n === 1)).toHaveLength(10);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
