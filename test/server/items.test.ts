import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { itemFormats, itemKinds, type Item } from '../../schema/item.ts';
import { createTestContext } from '../helpers/app.ts';
import { addDataset, completeItemBody, createItem, createSubmittedItem } from '../helpers/items.ts';

async function setup() {
  const t = await createTestContext();
  const dataset = await addDataset(t);
  await t.addUser('mara', 'maintainer');
  await t.addUser('jiwoo', 'annotator', ['ko']);
  await t.addUser('minho', 'reviewer', ['ko']);
  await t.addUser('amina', 'annotator', ['sw']);
  return {
    t,
    dataset,
    maintainer: await t.login('mara'),
    jiwoo: await t.login('jiwoo'),
    minho: await t.login('minho'),
    amina: await t.login('amina'),
  };
}

type Issue = { path: string; code: string };
const issuePaths = (body: { error: { details: { issues: Issue[] } } }) =>
  body.error.details.issues.map((i) => i.path).sort();

describe('POST /api/items', () => {
  it('when an annotator creates an item of each kind and format, then it is a version-1 draft with a stable uid', async () => {
    const { t, dataset, jiwoo } = await setup();
    for (const kind of itemKinds) {
      for (const format of itemFormats) {
        const body = completeItemBody(dataset.id, { kind, format });
        const res = await jiwoo.post('/api/items', body);
        expect(res.status, `${kind}/${format}: ${res.text}`).toBe(201);
        const item = res.body as Item;
        expect(item).toMatchObject({
          datasetId: dataset.id,
          language: 'ko',
          kind,
          format,
          status: 'draft',
          version: 1,
          authorId: jiwoo.user.id,
          authorName: 'jiwoo',
          submittedAt: null,
          externalId: null,
        });
        expect(item.uid).toMatch(/^ko-[a-z2-7]{10}$/);
        const { datasetId: _d, ...fields } = body;
        expect(item).toMatchObject(fields);
        const revisions = await jiwoo.get(`/api/items/${item.id}/revisions`);
        expect(revisions.body).toMatchObject([{ version: 1, action: 'create', userId: jiwoo.user.id }]);
      }
    }
    const uids = new Set((await t.sql<{ uid: string }>('SELECT uid FROM items')).map((row) => row.uid));
    expect(uids.size).toBe(itemKinds.length * itemFormats.length);
  });

  it('when only the required fields are sent, then the rest get empty defaults', async () => {
    const { dataset, jiwoo } = await setup();
    const res = await jiwoo.post('/api/items', {
      datasetId: dataset.id,
      language: 'KO',
      kind: 'safety',
      format: 'multiple_choice',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      language: 'ko',
      question: '',
      options: ['', '', '', ''],
      correctIndex: null,
      expectedBehavior: 'refuse',
      secondaryTags: [],
      sources: [],
    });
  });

  it('when the fields have wrong types, then 400 with each field path and nothing is written', async () => {
    const { t, dataset, jiwoo } = await setup();
    const res = await jiwoo.post('/api/items', {
      datasetId: String(dataset.id),
      language: 'ko',
      kind: 'trivia',
      format: 'open_ended',
      question: 42,
      correctIndex: 'first',
      acceptedAnswers: 'a, b',
      sources: [{ url: 'javascript:alert(1)', title: 'x' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-input');
    expect(issuePaths(res.body)).toEqual(
      ['acceptedAnswers', 'correctIndex', 'datasetId', 'kind', 'question', 'sources.0.url'].sort(),
    );
    expect(await t.sql('SELECT count(*) AS n FROM items')).toEqual([{ n: 0 }]);
  });

  it('when there are more than six options, then 400 on options', async () => {
    const { dataset, jiwoo } = await setup();
    const res = await jiwoo.post(
      '/api/items',
      completeItemBody(
        dataset.id,
        { format: 'multiple_choice' },
        { options: ['1', '2', '3', '4', '5', '6', '7'] },
      ),
    );
    expect(res.status).toBe(400);
    expect(issuePaths(res.body)).toEqual(['options']);
  });

  it('when the language tag is not BCP-47, then 400 on language', async () => {
    const { dataset, maintainer } = await setup();
    const res = await maintainer.post('/api/items', completeItemBody(dataset.id, { language: 'not a tag!' }));
    expect(res.status).toBe(400);
    expect(issuePaths(res.body)).toEqual(['language']);
  });

  it('when the question is longer than 10,000 characters, then 400 on question', async () => {
    const { dataset, jiwoo } = await setup();
    const res = await jiwoo.post(
      '/api/items',
      completeItemBody(dataset.id, {}, { question: '가'.repeat(10_001) }),
    );
    expect(res.status).toBe(400);
    expect(issuePaths(res.body)).toEqual(['question']);
  });

  it('when a taxonomy id is unknown, then 400 unknown-taxonomy-node on each such field', async () => {
    const { t, dataset, jiwoo } = await setup();
    const res = await jiwoo.post(
      '/api/items',
      completeItemBody(
        dataset.id,
        { kind: 'safety' },
        {
          primaryCategory: 'tradition/nonexistent',
          secondaryTags: ['society/family', 'made/up'],
          hazard: 'direct',
          attackStyle: 'hate',
        },
      ),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-input');
    expect(res.body.error.details.issues).toEqual(
      expect.arrayContaining(
        ['primaryCategory', 'secondaryTags.1', 'hazard', 'attackStyle'].map((path) =>
          expect.objectContaining({ path, code: 'unknown-taxonomy-node', message: expect.any(String) }),
        ),
      ),
    );
    expect(res.body.error.details.issues).toHaveLength(4);
    expect(await t.sql('SELECT count(*) AS n FROM items')).toEqual([{ n: 0 }]);
  });

  it('when the dataset does not exist, then 400 with a datasetId issue', async () => {
    const { jiwoo } = await setup();
    const res = await jiwoo.post('/api/items', completeItemBody(987));
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([
      expect.objectContaining({ path: 'datasetId', code: 'unknown-dataset' }),
    ]);
  });
});

describe('GET /api/items/:id', () => {
  it('when the item does not exist or the id is not a number, then 404 and never 500', async () => {
    const { jiwoo } = await setup();
    for (const id of ['12345', 'abc', '1e3', '0', '-4', '99999999999999999999', '%20']) {
      const res = await jiwoo.get(`/api/items/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.body.error.code).toBe('not-found');
    }
  });

  it('when the item is in another language, then 404 as if it did not exist', async () => {
    const { dataset, jiwoo, amina } = await setup();
    const item = await createSubmittedItem(jiwoo, dataset.id);
    const res = await amina.get(`/api/items/${item.id}`);
    expect(res.status).toBe(404);
    expect((await amina.get(`/api/items/${item.id}/revisions`)).status).toBe(404);
    expect((await amina.get(`/api/items/${item.id}/revisions/1`)).status).toBe(404);
  });

  it('when the item is someone else’s draft, then it is hidden; once submitted, same-language users see it', async () => {
    const { dataset, jiwoo, minho, maintainer } = await setup();
    const draft = await createItem(jiwoo, dataset.id);
    expect((await minho.get(`/api/items/${draft.id}`)).status).toBe(404);
    expect((await jiwoo.get(`/api/items/${draft.id}`)).status).toBe(200);
    expect((await maintainer.get(`/api/items/${draft.id}`)).status).toBe(200);
    await jiwoo.post(`/api/items/${draft.id}/submit`, { version: draft.version }).expect(200);
    const seen = await minho.get(`/api/items/${draft.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.status).toBe('submitted');
  });
});

describe('Every item route, for someone else’s draft', () => {
  it('when a reviewer asks for another user’s draft by id, then every route answers exactly as for an unknown id', async () => {
    const { dataset, jiwoo, minho } = await setup();
    const draft = await createItem(jiwoo, dataset.id);
    const unknownId = draft.id + 1000;
    const routes: { name: string; send: (id: number) => request.Test }[] = [
      { name: 'GET item', send: (id) => minho.get(`/api/items/${id}`) },
      {
        name: 'PATCH item',
        send: (id) => minho.patch(`/api/items/${id}`, { version: 1, changes: { notes: 'x' } }),
      },
      { name: 'submit', send: (id) => minho.post(`/api/items/${id}/submit`, { version: 1 }) },
      { name: 'history', send: (id) => minho.get(`/api/items/${id}/revisions`) },
      { name: 'revision', send: (id) => minho.get(`/api/items/${id}/revisions/1`) },
      {
        name: 'restore',
        send: (id) => minho.post(`/api/items/${id}/revisions/1/restore`, { version: 1 }),
      },
      { name: 'decisions', send: (id) => minho.get(`/api/items/${id}/decisions`) },
      { name: 'review view', send: (id) => minho.get(`/api/review/items/${id}`) },
      {
        name: 'review edit',
        send: (id) => minho.patch(`/api/review/items/${id}`, { version: 1, changes: { notes: 'x' } }),
      },
      {
        name: 'review decision',
        send: (id) => minho.post(`/api/review/items/${id}/decision`, { version: 1, decision: 'accept' }),
      },
    ];
    for (const route of routes) {
      const forDraft = await route.send(draft.id);
      const forUnknown = await route.send(unknownId);
      expect(forUnknown.status, route.name).toBe(404);
      expect(forDraft.status, route.name).toBe(404);
      expect(forDraft.body, route.name).toEqual({ error: { code: 'not-found', message: 'Item not found' } });
      expect(forUnknown.body, route.name).toEqual(forDraft.body);
    }
    expect((await jiwoo.get(`/api/items/${draft.id}`)).body).toMatchObject({ version: 1, notes: null });
  });
});
