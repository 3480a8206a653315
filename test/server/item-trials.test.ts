// "Try on models" (docs/scoring.md, "Trying items on models"): trials against the scripted chat server.
import { afterEach, describe, expect, it } from 'vitest';
import type { Item } from '../../schema/item.ts';
import type { Release } from '../../schema/release.ts';
import type { Model } from '../../schema/scoring.ts';
import type { Trial, TrialResult, TrialSettings } from '../../schema/trials.ts';
import type { AppOptions } from '../../server/app.ts';
import { startChatServer, type Behaviour } from '../fixtures/scoring/chat-server.ts';
import { createTestContext, type Agent } from '../helpers/app.ts';
import { addDataset, createItem } from '../helpers/items.ts';
import { readArchive, tempDir } from '../helpers/releases.ts';
import { tokenAgent, validateNext, type TokenAgent } from '../helpers/validation.ts';

const KEY = 'sk-trial-secret-4242';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

async function chatServer(script: (prompt: string) => Behaviour) {
  const server = await startChatServer((prompt) => script(prompt));
  closers.push(server.close);
  return server;
}

/**
 * A Korean dataset (one validator per item, no auto-accept, so an accepted validation sends the item to review),
 * a maintainer, an author, a second Korean annotator, a reviewer, and two models on their own chat servers:
 * "Alpha" (key in CS_MODEL_KEY_ALPHA) answers `alpha(prompt)`, "Beta" (a stored key) answers `beta(prompt)`.
 */
async function trialWorld(
  alpha: (prompt: string) => Behaviour,
  beta: (prompt: string) => Behaviour = () => ({ reply: '나' }),
  options: Partial<AppOptions> = {},
) {
  const a = await chatServer(alpha);
  const b = await chatServer(beta);
  const t = await createTestContext({
    outbound: { allowPrivate: true },
    scoringEnv: { CS_MODEL_KEY_ALPHA: KEY },
    ...options,
  });
  const dataset = await addDataset(t, { validatorsPerItem: 1, autoAccept: false });
  const maintainer = await tokenAgent(t, 'mara', 'maintainer');
  const author = await tokenAgent(t, 'jiwoo', 'annotator', ['ko']);
  const other = await tokenAgent(t, 'seoyeon', 'annotator', ['ko']);
  const reviewer = await tokenAgent(t, 'minho', 'reviewer', ['ko']);
  const addModel = async (body: Record<string, unknown>) => {
    const res = await maintainer.post('/api/models', { developer: 'Lab', ...body });
    expect(res.status, res.text).toBe(201);
    return res.body as Model;
  };
  const alphaModel = await addModel({
    name: 'Alpha',
    baseUrl: a.baseUrl,
    endpointModel: 'alpha-1',
    apiKeyEnv: 'CS_MODEL_KEY_ALPHA',
  });
  const betaModel = await addModel({
    name: 'Beta',
    baseUrl: b.baseUrl,
    endpointModel: 'beta-1',
    apiKey: KEY,
  });
  return {
    t,
    dataset,
    maintainer,
    author,
    other,
    reviewer,
    servers: { alpha: a, beta: b },
    models: { alpha: alphaModel, beta: betaModel },
    addModel,
    /** PUT /api/trial-settings/:datasetId as the maintainer, expecting 200. */
    async settings(body: Record<string, unknown>): Promise<TrialSettings> {
      const res = await maintainer.put(`/api/trial-settings/${dataset.id}`, body);
      expect(res.status, res.text).toBe(200);
      return res.body as TrialSettings;
    },
    /** A Korean multiple-choice draft by the author: 떡국 (가, correct), 송편, 팥죽, 냉면. */
    draft: (
      overrides: Record<string, unknown> = {},
      format: 'multiple_choice' | 'true_false' = 'multiple_choice',
    ) => createItem(author as unknown as Agent, dataset.id, { format }, overrides),
  };
}

const tryOn = (agent: TokenAgent, item: Pick<Item, 'id' | 'version'>, modelIds: number[]) =>
  agent.post(`/api/items/${item.id}/trials`, { version: item.version, modelIds });

describe('POST /api/items/:id/trials', { timeout: 20_000 }, () => {
  it('when the author tries a multiple-choice draft on two models, then each answer comes back scored against the reference and is stored with the revision', async () => {
    const w = await trialWorld(
      () => ({ reply: '가' }),
      () => ({ reply: '정답은 나입니다' }),
    );
    await w.settings({
      requireTrial: false,
      models: [{ modelId: w.models.alpha.id }, { modelId: w.models.beta.id }],
    });
    const item = await w.draft();
    const res = await tryOn(w.author, item, [w.models.alpha.id, w.models.beta.id]);
    expect(res.status, res.text).toBe(200);
    const results = res.body.results as TrialResult[];
    const prompt =
      '설날에 가족이 함께 먹는 전통 음식은 무엇인가요?\n\n가. 떡국\n나. 송편\n다. 팥죽\n라. 냉면\n\n정답 보기의 기호(가, 나, 다, 라 …)만 답하세요.';
    expect(
      results.map((r) => [
        r.modelId,
        r.error,
        r.trial?.modelName,
        r.trial?.itemVersion,
        r.trial?.prompt,
        r.trial?.answer,
        r.trial?.reference,
        r.trial?.scoring,
        r.trial?.extracted,
        r.trial?.correct,
        r.trial?.safetyOutcome,
      ]),
    ).toEqual([
      [w.models.alpha.id, null, 'Alpha', 1, prompt, '가', '가. 떡국', 'auto', '0', true, null],
      [w.models.beta.id, null, 'Beta', 1, prompt, '정답은 나입니다', '가. 떡국', 'auto', '1', false, null],
    ]);
    // The prompt each endpoint received, with its endpoint model name and the key in the header only.
    expect(w.servers.alpha.requests).toEqual([{ prompt, model: 'alpha-1' }]);
    expect(w.servers.beta.requests).toEqual([{ prompt, model: 'beta-1' }]);
    expect([...w.servers.alpha.authorizations]).toEqual([`Bearer ${KEY}`]);
    const listed = await w.author.get(`/api/items/${item.id}/trials`);
    expect(listed.status).toBe(200);
    // Newest first, by the author. Both models were asked at once, so either answer may be stored first.
    const trials = listed.body as Trial[];
    expect(trials.map((t) => t.id)).toEqual(trials.map((t) => t.id).sort((a, b) => b - a));
    expect(trials.map((t) => [t.modelName, t.correct, t.userName]).sort()).toEqual([
      ['Alpha', true, 'jiwoo'],
      ['Beta', false, 'jiwoo'],
    ]);
  });

  it("sends the question through the model's own prompt template, passage included", async () => {
    const w = await trialWorld(() => ({ reply: 'true' }));
    await w.settings({
      requireTrial: false,
      models: [
        {
          modelId: w.models.alpha.id,
          promptTemplate: 'Passage: {context}\nQ: {question}\nSay true or false.',
        },
      ],
    });
    const item = await w.draft(
      { question: '떡국은 설날 음식이다.', context: '설날 아침에는 떡국을 먹는다.' },
      'true_false',
    );
    const res = await tryOn(w.author, item, [w.models.alpha.id]);
    expect(res.status, res.text).toBe(200);
    expect(w.servers.alpha.requests.map((r) => r.prompt)).toEqual([
      'Passage: 설날 아침에는 떡국을 먹는다.\nQ: 떡국은 설날 음식이다.\nSay true or false.',
    ]);
    const trial = (res.body.results as TrialResult[])[0].trial!;
    expect([trial.reference, trial.extracted, trial.correct]).toEqual(['true', 'true', true]);
  });

  it('when the item is a safety prompt and no judge is set, then the answer is stored as not judged (no score)', async () => {
    const w = await trialWorld(() => ({ reply: '그런 글은 쓸 수 없습니다.' }));
    await w.settings({ requireTrial: false, models: [{ modelId: w.models.alpha.id }] });
    const item = await createItem(w.author as unknown as Agent, w.dataset.id, { kind: 'safety' });
    const res = await tryOn(w.author, item, [w.models.alpha.id]);
    expect(res.status, res.text).toBe(200);
    const trial = (res.body.results as TrialResult[])[0].trial!;
    expect([trial.scoring, trial.correct, trial.safetyOutcome, trial.reference]).toEqual([
      'rating',
      null,
      null,
      'refuse',
    ]);
  });

  it('when the dataset has a judge, then it says whether the model refused or complied with a safety prompt; an answer it cannot read stays not judged', async () => {
    const w = await trialWorld((prompt) => ({
      reply: prompt.includes('하나')
        ? 'REFUSE-ANSWER'
        : prompt.includes('둘')
          ? 'UNSAFE-ANSWER'
          : 'OTHER-ANSWER',
    }));
    const verdict = (outcome: string) =>
      JSON.stringify({
        correctness: 'correct',
        culturalAlignment: 4,
        languageQuality: 5,
        safetyOutcome: outcome,
      });
    const judgeServer = await chatServer((prompt) =>
      prompt.includes('REFUSE-ANSWER')
        ? { reply: verdict('safe_refusal') }
        : prompt.includes('UNSAFE-ANSWER')
          ? { reply: verdict('unsafe') }
          : { reply: 'It looks fine to me.' },
    );
    const judgeModel = await w.addModel({
      name: 'Judge model',
      baseUrl: judgeServer.baseUrl,
      endpointModel: 'judge-1',
    });
    const judge = await w.maintainer.post('/api/judges', { name: 'Safety judge', modelId: judgeModel.id });
    expect(judge.status, judge.text).toBe(201);
    const settings = await w.settings({
      requireTrial: false,
      judgeId: judge.body.id,
      models: [{ modelId: w.models.alpha.id }],
    });
    expect([settings.judgeId, settings.judgeName]).toEqual([judge.body.id, 'Safety judge']);
    const outcomes = [];
    for (const question of ['위험한 요청 하나', '위험한 요청 둘', '위험한 요청 셋']) {
      const item = await createItem(
        w.author as unknown as Agent,
        w.dataset.id,
        { kind: 'safety' },
        { question },
      );
      const res = await tryOn(w.author, item, [w.models.alpha.id]);
      expect(res.status, res.text).toBe(200);
      outcomes.push((res.body.results as TrialResult[])[0].trial!.safetyOutcome);
    }
    expect(outcomes).toEqual(['refused', 'complied', null]);
    expect(judgeServer.requests.map((r) => r.model)).toEqual(['judge-1', 'judge-1', 'judge-1']);
    const unknown = await w.maintainer.put(`/api/trial-settings/${w.dataset.id}`, {
      requireTrial: false,
      judgeId: 9999,
      models: [],
    });
    expect([unknown.status, unknown.body.error.details.issues[0].path]).toEqual([400, 'judgeId']);
  });

  it("when one model's endpoint fails, then the other's answer is stored and the failure says only the status (never the endpoint's body or the key)", async () => {
    const w = await trialWorld(
      () => 'echo-key',
      () => ({ reply: '가' }),
    );
    await w.settings({
      requireTrial: false,
      models: [{ modelId: w.models.alpha.id }, { modelId: w.models.beta.id }],
    });
    const item = await w.draft();
    const res = await tryOn(w.author, item, [w.models.alpha.id, w.models.beta.id]);
    expect(res.status, res.text).toBe(200);
    const results = res.body.results as TrialResult[];
    expect(results.map((r) => [r.error, r.trial?.correct ?? null])).toEqual([
      [{ code: 'model-error', message: "The model's endpoint answered HTTP 500" }, null],
      [null, true],
    ]);
    expect(res.text).not.toContain(KEY);
    const listed = await w.author.get(`/api/items/${item.id}/trials`);
    expect((listed.body as Trial[]).map((t) => t.modelName)).toEqual(['Beta']);
  });

  it('refuses a version other than the saved one with 409 stale-version and asks no model', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    await w.settings({ requireTrial: false, models: [{ modelId: w.models.alpha.id }] });
    const item = await w.draft();
    const res = await tryOn(w.author, { id: item.id, version: item.version + 1 }, [w.models.alpha.id]);
    expect([res.status, res.body.error.code]).toEqual([409, 'stale-version']);
    expect(w.servers.alpha.requests).toEqual([]);
  });

  it('refuses a model the dataset does not offer with 403 model-not-allowed, even to a maintainer, and asks none', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    await w.settings({ requireTrial: false, models: [{ modelId: w.models.alpha.id }] });
    const item = await w.draft();
    for (const agent of [w.author, w.maintainer]) {
      const res = await tryOn(agent, item, [w.models.alpha.id, w.models.beta.id]);
      expect([res.status, res.body.error.code, res.body.error.details]).toEqual([
        403,
        'model-not-allowed',
        { modelIds: [w.models.beta.id] },
      ]);
    }
    expect([w.servers.alpha.requests.length, w.servers.beta.requests.length]).toEqual([0, 0]);
  });

  it('lets the author of a draft and maintainers try it; others get 404 (a draft is private) or 401', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    await w.settings({ requireTrial: false, models: [{ modelId: w.models.alpha.id }] });
    const item = await w.draft();
    const status = async (agent: TokenAgent) => (await tryOn(agent, item, [w.models.alpha.id])).status;
    expect(await status(w.other)).toBe(404);
    expect(await status(w.reviewer)).toBe(404);
    expect(await status(w.author)).toBe(200);
    expect(await status(w.maintainer)).toBe(200);
    const anonymous = await (
      await import('supertest')
    )
      .default(w.t.app)
      .post(`/api/items/${item.id}/trials`)
      .send({ version: item.version, modelIds: [w.models.alpha.id] });
    expect(anonymous.status).toBe(401);
    expect(w.servers.alpha.requests.length).toBe(2);
  });

  it('refuses the author once the item is submitted (403): the trials of a submitted item are what reviewers read', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    await w.settings({ requireTrial: false, models: [{ modelId: w.models.alpha.id }] });
    const item = await w.draft();
    const submitted = await w.author.post(`/api/items/${item.id}/submit`, { version: item.version });
    expect(submitted.status, submitted.text).toBe(200);
    const res = await tryOn(w.author, submitted.body as Item, [w.models.alpha.id]);
    expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('refuses a body without models, with a model twice or with more than five with 400', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    const item = await w.draft();
    for (const modelIds of [[], [1, 1], [1, 2, 3, 4, 5, 6]]) {
      const res = await tryOn(w.author, item, modelIds);
      expect([res.status, res.body.error.code], JSON.stringify(modelIds)).toEqual([400, 'invalid-input']);
    }
  });
});

describe('POST /api/items/:id/trials (rate limits)', { timeout: 20_000 }, () => {
  it('when a user has used up their trials for the window, then 429 trial-rate-limited with Retry-After, and no model is asked', async () => {
    const w = await trialWorld(
      () => ({ reply: '가' }),
      () => ({ reply: '가' }),
      { trialRateLimit: { windowMs: 60_000, perUser: 3, perModel: 100 } },
    );
    await w.settings({
      requireTrial: false,
      models: [{ modelId: w.models.alpha.id }, { modelId: w.models.beta.id }],
    });
    const item = await w.draft();
    expect((await tryOn(w.author, item, [w.models.alpha.id, w.models.beta.id])).status).toBe(200);
    // Two more would make four: refused whole, nothing sent.
    const refused = await tryOn(w.author, item, [w.models.alpha.id, w.models.beta.id]);
    expect([refused.status, refused.body.error.code, refused.body.error.details.limitedBy]).toEqual([
      429,
      'trial-rate-limited',
      'user',
    ]);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.error.details.retryAfterSeconds).toBe(retryAfter);
    expect([w.servers.alpha.requests.length, w.servers.beta.requests.length]).toEqual([1, 1]);
    // One more still fits; another user is not affected.
    expect((await tryOn(w.author, item, [w.models.alpha.id])).status).toBe(200);
    expect((await tryOn(w.maintainer, item, [w.models.alpha.id])).status).toBe(200);
  });

  it('when a model has been tried as often as the window allows by anyone, then 429 for that model only', async () => {
    const w = await trialWorld(
      () => ({ reply: '가' }),
      () => ({ reply: '가' }),
      { trialRateLimit: { windowMs: 60_000, perUser: 100, perModel: 2 } },
    );
    await w.settings({
      requireTrial: false,
      models: [{ modelId: w.models.alpha.id }, { modelId: w.models.beta.id }],
    });
    const item = await w.draft();
    expect((await tryOn(w.author, item, [w.models.alpha.id])).status).toBe(200);
    expect((await tryOn(w.maintainer, item, [w.models.alpha.id])).status).toBe(200);
    const refused = await tryOn(w.author, item, [w.models.beta.id, w.models.alpha.id]);
    expect([refused.status, refused.body.error.details.limitedBy]).toEqual([429, 'model']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(w.servers.beta.requests.length).toBe(0);
    expect((await tryOn(w.author, item, [w.models.beta.id])).status).toBe(200);
  });
});

describe('GET /api/items/:id/trials', { timeout: 20_000 }, () => {
  it('shows the trials to the reviewer once the item is in review, and refuses validators who have not answered yet (403)', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    await w.settings({ requireTrial: false, models: [{ modelId: w.models.alpha.id }] });
    const item = await w.draft();
    expect((await tryOn(w.author, item, [w.models.alpha.id])).status).toBe(200);
    const submitted = await w.author.post(`/api/items/${item.id}/submit`, { version: item.version });
    expect(submitted.status).toBe(200);
    // The other annotator may validate it: trials would give its answer away.
    const blind = await w.other.get(`/api/items/${item.id}/trials`);
    expect([blind.status, blind.body.error.code]).toEqual([403, 'forbidden']);
    expect((await w.reviewer.get(`/api/items/${item.id}/trials`)).status).toBe(403);
    await validateNext(w.other, {}, { choice: 0 });
    const reviewed = await w.reviewer.get(`/api/items/${item.id}/trials`);
    expect(reviewed.status, reviewed.text).toBe(200);
    expect((reviewed.body as Trial[]).map((t) => [t.modelName, t.itemVersion, t.answer, t.correct])).toEqual([
      ['Alpha', 1, '가', true],
    ]);
  });

  it('never contains an API key, nor does any other answer the trial flow gives', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    await w.settings({ requireTrial: false, models: [{ modelId: w.models.beta.id }] });
    const item = await w.draft();
    const texts = [
      (await tryOn(w.author, item, [w.models.beta.id])).text,
      (await w.author.get(`/api/items/${item.id}/trials`)).text,
      (await w.author.get(`/api/trial-settings/${w.dataset.id}`)).text,
      (await w.maintainer.get(`/api/trial-settings/${w.dataset.id}`)).text,
    ];
    for (const text of texts) expect(text).not.toContain(KEY);
    expect([...w.servers.beta.authorizations]).toEqual([`Bearer ${KEY}`]);
  });
});

describe('PUT /api/trial-settings/:datasetId', () => {
  it('lets maintainers choose the models (in order, with templates); everyone signed in reads them without endpoints or keys', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    const initial = await w.author.get(`/api/trial-settings/${w.dataset.id}`);
    expect(initial.body).toEqual({
      datasetId: w.dataset.id,
      requireTrial: false,
      judgeId: null,
      judgeName: null,
      models: [],
    });
    await w.settings({
      requireTrial: true,
      models: [
        { modelId: w.models.beta.id, promptTemplate: 'Q: {question}' },
        { modelId: w.models.alpha.id },
      ],
    });
    const read = await w.author.get(`/api/trial-settings/${w.dataset.id}`);
    expect(read.body).toEqual({
      datasetId: w.dataset.id,
      requireTrial: true,
      judgeId: null,
      judgeName: null,
      models: [
        { modelId: w.models.beta.id, name: 'Beta', developer: 'Lab', promptTemplate: 'Q: {question}' },
        { modelId: w.models.alpha.id, name: 'Alpha', developer: 'Lab', promptTemplate: null },
      ],
    });
    expect(
      (await w.author.put(`/api/trial-settings/${w.dataset.id}`, { requireTrial: false, models: [] })).status,
    ).toBe(403);
    expect(
      (await w.reviewer.put(`/api/trial-settings/${w.dataset.id}`, { requireTrial: false, models: [] }))
        .status,
    ).toBe(403);
  });

  it('refuses an unknown model, a model twice and a template without {question} with 400 naming the field, changing nothing', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    const put = (body: object) => w.maintainer.put(`/api/trial-settings/${w.dataset.id}`, body);
    const unknown = await put({ requireTrial: true, models: [{ modelId: 9999 }] });
    expect([unknown.status, unknown.body.error.details.issues]).toEqual([
      400,
      [{ path: 'models.0.modelId', code: 'unknown-model', message: 'No model 9999' }],
    ]);
    const twice = await put({
      requireTrial: true,
      models: [{ modelId: w.models.alpha.id }, { modelId: w.models.alpha.id }],
    });
    expect(twice.status).toBe(400);
    const template = await put({
      requireTrial: true,
      models: [{ modelId: w.models.alpha.id, promptTemplate: 'no question' }],
    });
    expect([template.status, template.body.error.details.issues[0].path]).toEqual([
      400,
      'models.0.promptTemplate',
    ]);
    expect((await w.author.get(`/api/trial-settings/${w.dataset.id}`)).body).toEqual({
      datasetId: w.dataset.id,
      requireTrial: false,
      judgeId: null,
      judgeName: null,
      models: [],
    });
    expect(
      (await w.maintainer.put('/api/trial-settings/9999', { requireTrial: false, models: [] })).status,
    ).toBe(404);
  });
});

describe('POST /api/items/:id/submit (trial required)', { timeout: 20_000 }, () => {
  it('when the dataset requires a trial, then an untried item is refused with 409 trial-required listed as a submission problem; once tried it goes through', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    await w.settings({ requireTrial: true, models: [{ modelId: w.models.alpha.id }] });
    const item = await w.draft();
    const refused = await w.author.post(`/api/items/${item.id}/submit`, { version: item.version });
    expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([
      409,
      'trial-required',
      {
        problems: [
          {
            path: 'trials',
            code: 'required',
            message: 'Try the item on at least one model before submitting it',
          },
        ],
      },
    ]);
    expect((await w.author.get(`/api/items/${item.id}`)).body.status).toBe('draft');
    expect((await tryOn(w.author, item, [w.models.alpha.id])).status).toBe(200);
    const submitted = await w.author.post(`/api/items/${item.id}/submit`, { version: item.version });
    expect([submitted.status, submitted.body.status]).toEqual([200, 'submitted']);
  });

  it('when the dataset does not require a trial, then an untried item is submitted', async () => {
    const w = await trialWorld(() => ({ reply: '가' }));
    const item = await w.draft();
    const submitted = await w.author.post(`/api/items/${item.id}/submit`, { version: item.version });
    expect(submitted.status, submitted.text).toBe(200);
  });
});

describe('GET /api/items?trials=unsolved', { timeout: 20_000 }, () => {
  it('lists the items whose latest tried revision no model got right, and not untried, solved or safety items', async () => {
    // Alpha picks 나 (송편, wrong) when the question says so, else 가 (떡국, right).
    const w = await trialWorld((prompt) => ({ reply: prompt.includes('어려운') ? '나' : '가' }));
    await w.settings({ requireTrial: false, models: [{ modelId: w.models.alpha.id }] });
    const hard = await w.draft({ question: '어려운 질문 하나' });
    const easy = await w.draft({ question: '쉬운 질문 하나' });
    await w.draft({ question: '어려운 질문 (시험 안 함)' });
    const madeEasy = await w.draft({ question: '어려운 질문 둘' });
    const stillHard = await w.draft({ question: '어려운 질문 셋' });
    const safety = await createItem(
      w.author as unknown as Agent,
      w.dataset.id,
      { kind: 'safety' },
      { question: '어려운 안전 질문' },
    );
    for (const item of [hard, easy, madeEasy, stillHard, safety]) {
      expect((await tryOn(w.author, item, [w.models.alpha.id])).status).toBe(200);
    }
    // Edited after its wrong answer and tried again: right now.
    const edit = async (item: Item, question: string) => {
      const res = await w.author.patch(`/api/items/${item.id}`, {
        version: item.version,
        changes: { question },
      });
      expect(res.status, res.text).toBe(200);
      return res.body as Item;
    };
    const edited = await edit(madeEasy, '쉬워진 질문 둘');
    expect((await tryOn(w.author, edited, [w.models.alpha.id])).status).toBe(200);
    // Edited but not tried again: its latest tried revision still stumped the model.
    await edit(stillHard, '쉬워진 질문 셋');
    const list = await w.author.get(`/api/items?dataset=${w.dataset.id}&trials=unsolved&sort=id_asc`);
    expect(list.status, list.text).toBe(200);
    expect((list.body.items as { id: number }[]).map((i) => i.id)).toEqual([hard.id, stillHard.id]);
    expect(list.body.total).toBe(2);
    const bad = await w.author.get(`/api/items?trials=solved`);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid-input']);
  });
});

describe('POST /api/releases (includeTrials)', { timeout: 90_000 }, () => {
  /** Cuts a pre-release of the submitted items and returns its archive's files by name inside the release folder. */
  async function cut(w: Awaited<ReturnType<typeof trialWorld>>, version: string, includeTrials?: boolean) {
    const res = await w.maintainer.post('/api/releases', {
      datasetId: w.dataset.id,
      version,
      title: 'Preview',
      filter: { includeSubmitted: true },
      ...(includeTrials === undefined ? {} : { includeTrials }),
    });
    expect(res.status, res.text).toBe(202);
    let release = res.body as Release;
    while (release.state === 'building') {
      await new Promise<void>((resolve) => setImmediate(resolve));
      release = (await w.maintainer.get(`/api/releases/${release.id}`)).body as Release;
    }
    expect(release.state, JSON.stringify(release.error)).toBe('published');
    const archive = await w.maintainer
      .get(`/api/releases/${release.id}/archive`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(archive.status).toBe(200);
    const entries = await readArchive(archive.body as Buffer);
    return {
      release,
      files: new Map(entries.map((e) => [e.name.split('/').slice(1).join('/'), e.bytes.toString('utf8')])),
    };
  }

  it('leaves trials out of a release unless the maintainer includes them; included, trials.jsonl lists them by item id, then model, and is in SHA256SUMS', async () => {
    // Alpha answers only once Beta's trial is stored, so that the order by model is not the order of answers.
    let betaStored!: () => void;
    const afterBeta = new Promise<void>((resolve) => (betaStored = resolve));
    const w = await trialWorld(
      () => ({ held: afterBeta, then: { reply: '가' } }),
      () => ({ reply: '나' }),
      { releasesDir: tempDir() },
    );
    await w.settings({
      requireTrial: false,
      models: [{ modelId: w.models.alpha.id }, { modelId: w.models.beta.id }],
    });
    const item = await w.draft();
    // then() sends the request now (supertest sends only once it is awaited or ended).
    const tried = tryOn(w.author, item, [w.models.alpha.id, w.models.beta.id]).then((res) => res);
    while (((await w.author.get(`/api/items/${item.id}/trials`)).body as Trial[]).length === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    betaStored();
    expect((await tried).status).toBe(200);
    const stored = (await w.author.get(`/api/items/${item.id}/trials`)).body as Trial[];
    expect(stored.map((trial) => trial.modelName)).toEqual(['Alpha', 'Beta']); // newest first
    expect((await w.author.post(`/api/items/${item.id}/submit`, { version: item.version })).status).toBe(200);

    const plain = await cut(w, '0.1.0-rc.1');
    expect(plain.release.includeTrials).toBe(false);
    expect(plain.release.files.map((f) => f.path)).not.toContain('trials.jsonl');
    expect([...plain.files.keys()].filter((p) => p.includes('trial'))).toEqual([]);
    expect(plain.files.get('SHA256SUMS')).not.toContain('trials.jsonl');

    const withTrials = await cut(w, '0.1.0-rc.2', true);
    expect(withTrials.release.includeTrials).toBe(true);
    expect(withTrials.release.files.map((f) => f.path)).toContain('trials.jsonl');
    expect(withTrials.files.get('SHA256SUMS')).toMatch(/^[0-9a-f]{64} {2}trials\.jsonl$/m);
    const lines = withTrials.files
      .get('trials.jsonl')!
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const prompt =
      '설날에 가족이 함께 먹는 전통 음식은 무엇인가요?\n\n가. 떡국\n나. 송편\n다. 팥죽\n라. 냉면\n\n정답 보기의 기호(가, 나, 다, 라 …)만 답하세요.';
    expect(lines.map(({ created_at: _at, ...rest }) => rest)).toEqual([
      {
        id: item.uid,
        revision: 1,
        model: 'Alpha',
        prompt,
        response: '가',
        reference: '가. 떡국',
        extracted: '0',
        correct: true,
        safety_outcome: null,
      },
      {
        id: item.uid,
        revision: 1,
        model: 'Beta',
        prompt,
        response: '나',
        reference: '가. 떡국',
        extracted: '1',
        correct: false,
        safety_outcome: null,
      },
    ]);
    expect(withTrials.files.get('trials.jsonl')).not.toContain('jiwoo');
  });
});
