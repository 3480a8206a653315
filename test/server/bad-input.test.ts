import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ImportJob } from '../../schema/import.ts';
import { createTestContext } from '../helpers/app.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';

const expectErrorShape = (body: unknown) =>
  expect(body).toMatchObject({
    error: { code: expect.stringMatching(/^[a-z]+(-[a-z]+)*$/), message: expect.any(String) },
  });

describe('bad input at the HTTP edge', () => {
  it('answers malformed JSON with 400 malformed-json', async () => {
    const t = await createTestContext();
    const res = await request(t.app)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username": "a", ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed-json');
  });

  it('answers a body over 1 MB with 413 payload-too-large', async () => {
    const t = await createTestContext();
    const res = await request(t.app)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'x'.repeat(1_100_000), password: 'y' }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload-too-large');
  });

  it('answers a form-encoded body with 415, so a cross-site form cannot post', async () => {
    const t = await createTestContext();
    const res = await request(t.app)
      .post('/api/auth/login')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('username=a&password=b');
    expect(res.status).toBe(415);
    expectErrorShape(res.body);
  });

  it('answers wrong types with 400 and the field path', async () => {
    const t = await createTestContext();
    const res = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 42, password: ['x'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-input');
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'password',
      'username',
    ]);
  });

  it('answers a JSON array, null or a string where an object is expected with 400', async () => {
    const t = await createTestContext();
    for (const body of ['[]', 'null', '"text"', '12']) {
      const res = await request(t.app)
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(body);
      expect(res.status, body).toBe(400);
      expectErrorShape(res.body);
    }
  });

  it('answers unknown routes with 404 route-not-found, and a bad token with 401', async () => {
    const t = await createTestContext();
    const unknown = await request(t.app).get('/api/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('route-not-found');
    const badToken = await request(t.app).get('/api/items').set('Authorization', 'Bearer cst_not-a-token');
    expect(badToken.status).toBe(401);
    expect(badToken.body.error.code).toBe('invalid-token');
  });
});

describe('bad input on the item routes', () => {
  it('answers each bad request with a 4xx and the error shape, and writes nothing', async () => {
    const { addDataset, createItem } = await import('../helpers/items.ts');
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const minji = await t.login('minji');
    const dataset = await addDataset(t);
    const item = await createItem(minji, dataset.id, { language: 'ko' });
    const count = async (table: string) =>
      (await t.sql<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0].n;
    const stored = async () => ({ items: await count('items'), revisions: await count('item_revisions') });
    const before = await stored();
    const base = { datasetId: dataset.id, language: 'ko', kind: 'culture', format: 'open_ended' };
    const cases: { name: string; send: () => Promise<{ status: number; body: unknown }>; status: number }[] =
      [
        {
          name: 'invalid language tag',
          send: () => minji.post('/api/items', { ...base, language: 'not a tag!' }),
          status: 400,
        },
        {
          name: 'unknown kind',
          send: () => minji.post('/api/items', { ...base, kind: 'trivia' }),
          status: 400,
        },
        {
          name: 'question as a number',
          send: () => minji.post('/api/items', { ...base, question: 42 }),
          status: 400,
        },
        {
          name: 'question over 10,000 characters',
          send: () => minji.post('/api/items', { ...base, question: '가'.repeat(10_001) }),
          status: 400,
        },
        {
          name: 'seven options',
          send: () =>
            minji.post('/api/items', {
              ...base,
              format: 'multiple_choice',
              options: ['1', '2', '3', '4', '5', '6', '7'],
            }),
          status: 400,
        },
        {
          name: 'unknown dataset',
          send: () => minji.post('/api/items', { ...base, datasetId: 999_999 }),
          status: 400,
        },
        {
          name: 'unknown taxonomy node',
          send: () => minji.post('/api/items', { ...base, primaryCategory: 'no/such/node' }),
          status: 400,
        },
        { name: 'unknown item id', send: () => minji.get('/api/items/999999'), status: 404 },
        { name: 'non-numeric item id', send: () => minji.get('/api/items/abc'), status: 404 },
        { name: 'huge item id', send: () => minji.get('/api/items/99999999999999999999999'), status: 404 },
        {
          name: 'PATCH without version',
          send: () => minji.patch(`/api/items/${item.id}`, { changes: { question: 'x' } }),
          status: 400,
        },
        {
          name: 'PATCH with unknown field',
          send: () =>
            minji.patch(`/api/items/${item.id}`, { version: item.version, changes: { colour: 'red' } }),
          status: 400,
        },
        {
          name: 'PATCH with a stale version',
          send: () =>
            minji.patch(`/api/items/${item.id}`, { version: item.version + 5, changes: { question: 'x' } }),
          status: 409,
        },
        {
          name: 'revision that does not exist',
          send: () => minji.get(`/api/items/${item.id}/revisions/77`),
          status: 404,
        },
        {
          name: 'bad list query',
          send: () => minji.get('/api/items?page=-1&pageSize=100000&status=nope'),
          status: 400,
        },
      ];
    for (const c of cases) {
      const res = await c.send();
      expect(res.status, c.name).toBe(c.status);
      expectErrorShape(res.body);
    }
    expect(await stored()).toEqual(before);
  });
});

describe('JSON bodies that are not well-formed Unicode', () => {
  async function setup() {
    const { addDataset, createItem } = await import('../helpers/items.ts');
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    const minji = await t.login('minji');
    const dataset = await addDataset(t);
    const item = await createItem(minji, dataset.id, { language: 'ko' });
    /** Sends `json` as raw bytes, exactly as given (superagent would otherwise JSON-encode a Buffer). */
    const send = (method: 'post' | 'patch', url: string, json: Buffer | string) =>
      minji[method](url, Buffer.from(json))
        .set('Content-Type', 'application/json')
        .serialize((bytes: Buffer) => bytes as unknown as string);
    const stored = async () => ({
      items: (await t.sql('SELECT count(*) AS n FROM items'))[0].n,
      revisions: (await t.sql('SELECT count(*) AS n FROM item_revisions'))[0].n,
      item: (await t.sql('SELECT version, question, notes FROM items WHERE id = ?', item.id))[0],
    });
    const itemJson = (question: string) =>
      `{"datasetId":${dataset.id},"language":"ko","kind":"culture","format":"open_ended","question":"${question}"}`;
    return { item, send, stored, itemJson };
  }

  it('when the body holds bytes that are not UTF-8, then 400 invalid-utf8 and nothing is stored', async () => {
    const { item, send, stored, itemJson } = await setup();
    const before = await stored();
    const invalid: [string, number[]][] = [
      ['a stray 0xFF', [0xff]],
      ['a Latin-1 é', [0xe9]],
      ['a truncated three-byte sequence', [0xe1, 0x84]],
      ['an overlong "/"', [0xc0, 0xaf]],
      ['a UTF-8-encoded surrogate', [0xed, 0xa0, 0x80]],
      ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ];
    for (const [name, bytes] of invalid) {
      const [head, tail] = itemJson('설날 |').split('|');
      const created = await send(
        'post',
        '/api/items',
        Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]),
      );
      expect(created.status, name).toBe(400);
      expect(created.body.error, name).toEqual({
        code: 'invalid-utf8',
        message: 'The request body is not valid UTF-8',
      });
      const patched = await send(
        'patch',
        `/api/items/${item.id}`,
        Buffer.concat([
          Buffer.from('{"version":1,"changes":{"notes":"'),
          Buffer.from(bytes),
          Buffer.from('"}}'),
        ]),
      );
      expect(patched.status, name).toBe(400);
      expect(patched.body.error.code, name).toBe('invalid-utf8');
    }
    expect(await stored()).toEqual(before);
  });

  it('when a JSON string holds a lone surrogate escape, then 400 invalid-unicode naming the field, and nothing is stored', async () => {
    const { item, send, stored, itemJson } = await setup();
    const before = await stored();
    const cases: { json: string; path: string; url?: string }[] = [
      { json: itemJson('\\ud800'), path: 'question' },
      { json: itemJson('설날\\udfff'), path: 'question' },
      // A pair in the wrong order is two lone surrogates.
      { json: itemJson('\\ude00\\ud83d'), path: 'question' },
      {
        json: itemJson('x').replace('}', ',"acceptedAnswers":["떡국","x\\ud83d"]}'),
        path: 'acceptedAnswers.1',
      },
      {
        json: itemJson('x').replace('}', ',"sources":[{"title":"\\udc00","url":"https://example.org"}]}'),
        path: 'sources.0.title',
      },
      { json: itemJson('x').replace('}', ',"\\ud800":1}'), path: '\ufffd' },
      {
        json: '{"version":1,"changes":{"notes":"\\udbff"}}',
        path: 'changes.notes',
        url: `/api/items/${item.id}`,
      },
    ];
    for (const c of cases) {
      const res = c.url ? await send('patch', c.url, c.json) : await send('post', '/api/items', c.json);
      expect(res.status, c.json).toBe(400);
      expect(res.body.error, c.json).toMatchObject({ code: 'invalid-unicode', details: { path: c.path } });
    }
    expect(await stored()).toEqual(before);

    // A well-formed pair is an ordinary character.
    const emoji = await send('post', '/api/items', itemJson('설날 \\ud83d\\ude00'));
    expect(emoji.status, emoji.text).toBe(201);
    expect(emoji.body.question).toBe('설날 😀');
  });
});

describe('a database held by another writer', () => {
  it('when a save waits past the busy timeout, then 503 database-busy with Retry-After, and nothing is written', async ({
    skip,
  }) => {
    const { addDataset, createItem } = await import('../helpers/items.ts');
    const { openDatabase } = await import('../../server/db/connection.ts');
    const logged: string[] = [];
    const t = await createTestContext({ log: (message) => logged.push(message) });
    // SQLite's own: one writer at a time for the whole file, and a busy timeout. PostgreSQL has no such lock (writers
    // wait only for the rows they both change), so there is nothing to wait past there.
    skip(t.engine !== 'sqlite', 'SQLite has one write lock per file; PostgreSQL has none');
    await t.addUser('minji', 'annotator', ['ko']);
    const minji = await t.login('minji');
    const item = await createItem(minji, (await addDataset(t)).id, { language: 'ko' });
    // Another process holds the write lock (a long import, the CLI); the server waits 50 ms, not 5 s.
    t.db.pragma('busy_timeout = 50');
    const other = openDatabase(t.db.name);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const res = await minji.patch(`/api/items/${item.id}`, {
        version: item.version,
        changes: { question: '추석에는 무엇을 먹나요?' },
      });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual({
        error: { code: 'database-busy', message: 'The database is busy; try again in a moment' },
      });
      expect(logged).toEqual(['database busy']);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    const stored = (await minji.get(`/api/items/${item.id}`)).body as { version: number; question: string };
    expect(stored).toMatchObject({ version: item.version, question: item.question });
  });
});

describe('PUT /api/imports/:id/file and PUT /api/runs/:id/responses (raw file bodies)', () => {
  it('when an import file is sent as JSON, then the upload’s own parser refuses it with 415 and never reads it as JSON', async () => {
    const t = await createTestContext();
    const datasetId = (await addDataset(t)).id;
    const { token } = await importer(t, datasetId);
    const bearer = { Authorization: `Bearer ${token}` };
    const created = (await request(t.app).post('/api/imports').set(bearer).send({ datasetId, format: 'csv' }))
      .body as ImportJob;
    // Malformed JSON: were it parsed as JSON, this would be 400 malformed-json.
    const res = await request(t.app)
      .put(`/api/imports/${created.id}/file`)
      .set(bearer)
      .set('Content-Type', 'application/json')
      .send('{"question": ');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported-media-type');
    // The job still waits for its file.
    expect((await request(t.app).get(`/api/imports/${created.id}`).set(bearer)).body).toMatchObject({
      state: 'waiting',
    });
  });

  it('when a response file is sent as JSON, then it is 415 before the run is looked up (even with ?format=csv)', async () => {
    const t = await createTestContext();
    const { token } = await importer(t, (await addDataset(t)).id);
    const res = await request(t.app)
      .put('/api/runs/999/responses?format=csv')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('"id,response"');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported-media-type');
  });
});
