import request from 'supertest';
import { expect } from 'vitest';
import type { Role } from '../../schema/common.ts';
import type { Dataset } from '../../schema/dataset.ts';
import type { Item } from '../../schema/item.ts';
import type { User } from '../../schema/user.ts';
import type { OwnAnswer, ValidationTask, ValidationInput } from '../../schema/validation.ts';
import { createAuthService } from '../../server/domain/auth.ts';
import { createTestContext, type Agent, type TestContext } from './app.ts';
import { addDataset, createSubmittedItem, type ItemShape } from './items.ts';

/** A caller authenticated by API token: as cheap to make as a row, so tests can have dozens. */
export interface TokenAgent {
  user: User;
  get(url: string): request.Test;
  post(url: string, body?: unknown): request.Test;
  patch(url: string, body?: unknown): request.Test;
  put(url: string, body?: unknown): request.Test;
  delete(url: string): request.Test;
}

export async function tokenAgent(
  t: TestContext,
  username: string,
  role: Role,
  languages: string[] = [],
): Promise<TokenAgent> {
  const user = await t.addUser(username, role, languages);
  const { token } = await createAuthService(t.repos.users).createToken(user.id, 'test');
  const auth = `Bearer ${token}`;
  return {
    user,
    get: (url) => request(t.app).get(url).set('Authorization', auth),
    post: (url, body) =>
      request(t.app)
        .post(url)
        .set('Authorization', auth)
        .send(body ?? {}),
    patch: (url, body) =>
      request(t.app)
        .patch(url)
        .set('Authorization', auth)
        .send(body as object),
    put: (url, body) =>
      request(t.app)
        .put(url)
        .set('Authorization', auth)
        .send(body as object),
    delete: (url) => request(t.app).delete(url).set('Authorization', auth),
  };
}

export const judgement = (overrides: Partial<ValidationInput> = {}): Record<string, unknown> => ({
  grounded: 'yes',
  correct: 'yes',
  category: 'keep',
  quality: 4,
  ...overrides,
});

export interface ValidationWorld {
  t: TestContext;
  dataset: Dataset;
  maintainer: TokenAgent;
  author: TokenAgent;
  reviewer: TokenAgent;
  validators: TokenAgent[];
  /** A Swahili annotator: no Korean items for them. */
  outsider: TokenAgent;
  submit(shape?: ItemShape, overrides?: Record<string, unknown>): Promise<Item>;
}

export async function validationWorld(
  options: { validatorsPerItem?: number; autoAccept?: boolean; validators?: number } = {},
): Promise<ValidationWorld> {
  const t = await createTestContext();
  const dataset = await addDataset(t, {
    validatorsPerItem: options.validatorsPerItem ?? 3,
    autoAccept: options.autoAccept ?? true,
  });
  const maintainer = await tokenAgent(t, 'mara', 'maintainer');
  const author = await tokenAgent(t, 'jiwoo', 'annotator', ['ko']);
  const reviewer = await tokenAgent(t, 'minho', 'reviewer', ['ko']);
  const outsider = await tokenAgent(t, 'amina', 'annotator', ['sw']);
  const validators: TokenAgent[] = [];
  for (let i = 1; i <= (options.validators ?? 3); i++)
    validators.push(await tokenAgent(t, `val${i}`, 'annotator', ['ko']));
  return {
    t,
    dataset,
    maintainer,
    author,
    reviewer,
    validators,
    outsider,
    submit: (shape, overrides) =>
      createSubmittedItem(author as unknown as Agent, dataset.id, shape, overrides),
  };
}

/** POST /api/tasks/next, expecting 200; the task or null. */
export async function nextTask(agent: TokenAgent, query = ''): Promise<ValidationTask | null> {
  const res = await agent.post(`/api/tasks/next${query}`);
  expect(res.status, res.text).toBe(200);
  return (res.body as { task: ValidationTask | null }).task;
}

/** Takes the next task and completes it: own answer (when asked for) then the judgement. */
export async function validateNext(
  agent: TokenAgent,
  overrides: Partial<ValidationInput> = {},
  ownAnswer: OwnAnswer = { variants: ['떡국'] },
): Promise<ValidationTask> {
  const task = await nextTask(agent);
  expect(task, `${agent.user.username} got no task`).not.toBeNull();
  return completeTask(agent, task!, overrides, ownAnswer);
}

export async function completeTask(
  agent: TokenAgent,
  task: ValidationTask,
  overrides: Partial<ValidationInput> = {},
  ownAnswer: OwnAnswer = { variants: ['떡국'] },
): Promise<ValidationTask> {
  if (task.ownAnswerRequired && !task.ownAnswer) {
    const res = await agent.post(`/api/tasks/${task.id}/answer`, { ownAnswer });
    expect(res.status, res.text).toBe(200);
  }
  const res = await agent.post(`/api/tasks/${task.id}/submit`, judgement(overrides));
  expect(res.status, res.text).toBe(200);
  return res.body as ValidationTask;
}

export async function itemStatus(agent: TokenAgent, id: number): Promise<string> {
  const res = await agent.get(`/api/items/${id}`);
  expect(res.status, res.text).toBe(200);
  return (res.body as Item).status;
}
