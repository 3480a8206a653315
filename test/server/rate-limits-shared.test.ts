// Rate limits shared by app instances (issue 12: "sessions and rate limits shared across instances"): two apps
// built on one database, as two servers on it, count failed sign-ins and model trials together.
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Item } from '../../schema/item.ts';
import type { Model } from '../../schema/scoring.ts';
import { createApp, type AppOptions } from '../../server/app.ts';
import { openRepositories } from '../../server/db/open-repositories.ts';
import { createAuthService } from '../../server/domain/auth.ts';
import { startChatServer } from '../fixtures/scoring/chat-server.ts';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app.ts';
import { addDataset, createItem } from '../helpers/items.ts';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/**
 * Two apps on one database: the first on a fresh database, the second on a connection of its own (PGlite's
 * in-memory database has only the one: there the second app shares it, and its services and their state are its own).
 */
async function twoInstances(options: Partial<AppOptions> = {}): Promise<[TestContext, TestContext]> {
  const first = await createTestContext(options);
  const repos = await openRepositories(first.repos.location);
  closers.push(() => repos.close());
  const app = createApp({ log: () => {}, ...options, repos });
  return [first, { ...first, app, repos }];
}

describe('POST /api/auth/login on two instances', { timeout: 20_000 }, () => {
  const login = (t: TestContext, username: string, password: string, forwardedFor: string) =>
    request(t.app).post('/api/auth/login').set('X-Forwarded-For', forwardedFor).send({ username, password });

  it('when failures for one username are spread over both instances, then both lock it, even for the right password', async () => {
    const [a, b] = await twoInstances({
      trustProxy: ['loopback'],
      loginRateLimit: { windowMs: 60_000, limit: 3 },
    });
    await a.addUser('amina', 'annotator');
    // A new address every time: only the per-username limit can answer 429.
    const statuses = [
      (await login(a, 'amina', 'wrong-wrong-wrong', '203.0.113.1')).status,
      (await login(b, 'amina', 'wrong-wrong-wrong', '203.0.113.2')).status,
      (await login(a, 'AMINA', 'wrong-wrong-wrong', '203.0.113.3')).status,
    ];
    expect(statuses).toEqual([401, 401, 401]);
    const onB = await login(b, 'amina', TEST_PASSWORD, '203.0.113.4');
    expect([onB.status, onB.body.error.code]).toEqual([429, 'too-many-attempts']);
    expect((await login(a, 'amina', TEST_PASSWORD, '203.0.113.5')).status).toBe(429);
  });

  it('when one instance signs a user in, then the attempt it gave back is given back on the other too', async () => {
    const [a, b] = await twoInstances({
      trustProxy: ['loopback'],
      loginRateLimit: { windowMs: 60_000, limit: 2 },
    });
    await a.addUser('amina', 'annotator');
    expect((await login(a, 'amina', 'wrong-wrong-wrong', '203.0.113.1')).status).toBe(401);
    expect((await login(b, 'amina', TEST_PASSWORD, '203.0.113.2')).status).toBe(200);
    expect((await login(a, 'amina', 'wrong-wrong-wrong', '203.0.113.3')).status).toBe(401);
    // Two failures counted between the instances (the sign-in took its attempt back): the third is refused.
    expect((await login(b, 'amina', 'wrong-wrong-wrong', '203.0.113.4')).status).toBe(429);
  });

  it('when one client address fails on both instances, then the per-address limit (10 by default) counts them together', async () => {
    const [a, b] = await twoInstances();
    // A different username each time, so only the per-address limit can stop it; no proxy is trusted.
    const statuses: number[] = [];
    for (let i = 1; i <= 12; i++) {
      statuses.push((await login(i % 2 ? a : b, `ghost${i}`, 'wrong-wrong-wrong', '198.51.100.1')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
  });
});

describe('POST /api/items/:id/trials on two instances', { timeout: 20_000 }, () => {
  it('when a user tries items on both instances, then their window is one: the request past it is refused whole, with Retry-After', async () => {
    const chat = await startChatServer(() => ({ reply: '가' }));
    closers.push(chat.close);
    const [a, b] = await twoInstances({
      outbound: { allowPrivate: true },
      trialRateLimit: { windowMs: 60_000, perUser: 3, perModel: 100 },
    });
    const dataset = await addDataset(a, { validatorsPerItem: 1, autoAccept: false });
    const mara = await a.addUser('mara', 'maintainer');
    const jiwoo = await a.addUser('jiwoo', 'annotator', ['ko']);
    const auth = createAuthService(a.repos.users);
    const bearer = async (userId: number) => `Bearer ${(await auth.createToken(userId, 'test')).token}`;
    const [maraAuth, jiwooAuth] = [await bearer(mara.id), await bearer(jiwoo.id)];
    const model = (
      await request(a.app).post('/api/models').set('Authorization', maraAuth).send({
        name: 'Alpha',
        developer: 'Lab',
        baseUrl: chat.baseUrl,
        endpointModel: 'alpha-1',
        apiKey: 'sk-1',
      })
    ).body as Model;
    const settings = await request(a.app)
      .put(`/api/trial-settings/${dataset.id}`)
      .set('Authorization', maraAuth)
      .send({ requireTrial: false, models: [{ modelId: model.id }] });
    expect(settings.status, settings.text).toBe(200);
    const jiwooOnA = await a.login('jiwoo');
    const item: Item = await createItem(jiwooOnA, dataset.id, { format: 'multiple_choice' });
    const tryOn = (t: TestContext) =>
      request(t.app)
        .post(`/api/items/${item.id}/trials`)
        .set('Authorization', jiwooAuth)
        .send({ version: item.version, modelIds: [model.id] });

    expect([(await tryOn(a)).status, (await tryOn(b)).status, (await tryOn(a)).status]).toEqual([
      200, 200, 200,
    ]);
    const refused = await tryOn(b);
    expect([refused.status, refused.body.error.code, refused.body.error.details.limitedBy]).toEqual([
      429,
      'trial-rate-limited',
      'user',
    ]);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(chat.requests.length).toBe(3);
    expect((await tryOn(a)).status).toBe(429);
  });
});
