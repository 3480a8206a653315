import type request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../helpers/app.ts';
import { createTestContext } from '../../helpers/app.ts';
import { completeItemBody } from '../../helpers/items.ts';
// Registers the PostgreSQL harness's hooks for this file (PGlite, or the server CS_TEST_POSTGRES_URL names).
import '../../helpers/postgres.ts';
import { readArchive, tempDir } from '../../helpers/releases.ts';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** A validator's next task taken and completed (own answer when asked, then "correct"). */
async function validate(agent: Agent) {
  const next = await agent.post('/api/tasks/next');
  expect(next.status, next.text).toBe(200);
  const task = next.body.task as { id: number; ownAnswerRequired: boolean };
  expect(task).toMatchObject({ item: { id: 1 } });
  if (task.ownAnswerRequired) {
    const answered = await agent.post(`/api/tasks/${task.id}/answer`, { ownAnswer: { variants: ['떡국'] } });
    expect(answered.status, answered.text).toBe(200);
  }
  const submitted = await agent.post(`/api/tasks/${task.id}/submit`, {
    grounded: 'yes',
    correct: 'yes',
    category: 'keep',
    quality: 4,
  });
  expect(submitted.status, submitted.text).toBe(200);
}

describe.each(['sqlite', 'postgres'] as const)('the app on %s', (engine) => {
  it('walks the main flow: log in, make a dataset, write and autosave an item, search, validate, review, cut and download a release', async () => {
    const t = await createTestContext({ engine, releasesDir: tempDir() });
    await t.addUser('mara', 'maintainer');
    await t.addUser('jiwoo', 'annotator', ['ko']);
    await t.addUser('val1', 'annotator', ['ko']);
    await t.addUser('val2', 'annotator', ['ko']);
    await t.addUser('minho', 'reviewer', ['ko']);

    // Users log in (a session each, kept in the database).
    const mara = await t.login('mara');
    const jiwoo = await t.login('jiwoo');
    const [val1, val2, minho] = [await t.login('val1'), await t.login('val2'), await t.login('minho')];
    expect(mara.user).toMatchObject({ id: 1, username: 'mara', role: 'maintainer' });
    const session = await jiwoo.get('/api/auth/session');
    expect([session.status, session.body.user.username]).toEqual([200, 'jiwoo']);

    // A dataset; its slug once only.
    const dataset = { slug: 'seollal', name: 'Seollal', validatorsPerItem: 2, autoAccept: false };
    const made = await mara.post('/api/datasets', dataset);
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({ id: 1, ...dataset });
    const again = await mara.post('/api/datasets', { ...dataset, name: 'Other' });
    expect([again.status, again.body.error.code]).toEqual([409, 'slug-taken']);

    // An item written, autosaved, and a stale save refused with both versions.
    const created = await jiwoo.post('/api/items', completeItemBody(1));
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      id: 1,
      datasetId: 1,
      version: 1,
      status: 'draft',
      referenceAnswer: '떡국',
    });
    const saved = await jiwoo.patch('/api/items/1', {
      version: 1,
      changes: { referenceAnswer: '떡국 한 그릇' },
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ version: 2, referenceAnswer: '떡국 한 그릇' });
    const stale = await jiwoo.patch('/api/items/1', { version: 1, changes: { notes: 'late' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: 'stale-version',
      details: { current: { version: 2, referenceAnswer: '떡국 한 그릇' }, yours: { notes: 'late' } },
    });

    // Searched: a word of the question (Korean, two syllables), and one that is nowhere.
    const found = await jiwoo.get(`/api/items?dataset=1&q=${encodeURIComponent('설날')}`);
    expect(found.status, found.text).toBe(200);
    expect(found.body).toMatchObject({ total: 1, items: [{ id: 1, version: 2 }] });
    const none = await jiwoo.get(`/api/items?dataset=1&q=${encodeURIComponent('냉면')}`);
    expect(none.body).toMatchObject({ total: 0, items: [] });

    // Submitted, validated by two validators, then in review (the dataset does not accept by itself).
    const submitted = await jiwoo.post('/api/items/1/submit', { version: 2 });
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.body).toMatchObject({ version: 3, status: 'submitted' });
    await validate(val1);
    await validate(val2);
    const review = await minho.get('/api/review/items/1');
    expect(review.status, review.text).toBe(200);
    expect(review.body.item).toMatchObject({ id: 1, status: 'in_review' });
    const decided = await minho.post('/api/review/items/1/decision', {
      version: review.body.item.version,
      decision: 'accept',
    });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body).toMatchObject({ id: 1, status: 'accepted' });

    // A release cut (built by a job) and downloaded.
    const cut = await mara.post('/api/releases', { datasetId: 1, version: '1.0.0', title: 'First' });
    expect(cut.status, cut.text).toBe(202);
    let release = cut.body as { id: number; state: string };
    for (let polls = 0; release.state === 'building' && polls < 20_000; polls++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      release = (await mara.get(`/api/releases/${release.id}`)).body as typeof release;
    }
    expect(release, JSON.stringify(release)).toMatchObject({
      id: 1,
      version: '1.0.0',
      state: 'published',
      itemCount: 1,
    });
    const archive = await mara.get('/api/releases/1/archive').buffer(true).parse(binary);
    expect(archive.status).toBe(200);
    expect(archive.headers['content-type']).toBe('application/gzip');
    const files = await readArchive(archive.body as Buffer);
    const data = files.find((f) => f.name === 'seollal-1.0.0/data/ko/test.jsonl');
    const records = data!.bytes
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      question: '설날에 가족이 함께 먹는 전통 음식은 무엇인가요?',
      reference_answer: '떡국 한 그릇',
    });
  }, 60_000);
});
