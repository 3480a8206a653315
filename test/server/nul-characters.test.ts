import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type request from 'supertest';
import { createTestContext, type Agent } from '../helpers/app.ts';
import { scoringWorld } from '../fixtures/scoring/world.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset, completeItemBody, createItem } from '../helpers/items.ts';
// Registers the PostgreSQL harness's hooks for this file (PGlite, or the server CS_TEST_POSTGRES_URL names).
import '../helpers/postgres.ts';

// U+0000 cannot be stored in PostgreSQL's text (SQLite stores it): every text the API accepts refuses it, on
// both engines alike, with a 400 naming where it was.

const NUL = '\u0000';

async function setup(engine: 'sqlite' | 'postgres') {
  const t = await createTestContext({ engine });
  await t.addUser('minji', 'annotator', ['ko']);
  await t.addUser('mara', 'maintainer');
  const minji = await t.login('minji');
  const mara = await t.login('mara');
  const dataset = await addDataset(t);
  return { t, minji, mara, datasetId: dataset.id };
}

const itemCount = async (agent: Agent, datasetId: number) => {
  const res = await agent.get(`/api/items?dataset=${datasetId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.total as number;
};

describe.each(['sqlite', 'postgres'] as const)('U+0000 in what the API accepts, on %s', (engine) => {
  it('when a JSON body holds U+0000 anywhere, then 400 nul-character naming the field, and nothing is stored', async () => {
    const { minji, mara, datasetId } = await setup(engine);
    const item = await createItem(minji, datasetId);
    const cases: { send: () => request.Test; path: string }[] = [
      {
        send: () => minji.post('/api/items', completeItemBody(datasetId, {}, { question: `설날${NUL}떡국` })),
        path: 'question',
      },
      {
        send: () =>
          minji.post('/api/items', completeItemBody(datasetId, {}, { acceptedAnswers: ['떡국', NUL] })),
        path: 'acceptedAnswers.1',
      },
      {
        send: () =>
          minji.post(
            '/api/items',
            completeItemBody(datasetId, {}, { sources: [{ title: `a${NUL}`, url: 'https://example.org' }] }),
          ),
        path: 'sources.0.title',
      },
      {
        send: () =>
          minji.post('/api/items', completeItemBody(datasetId, {}, { metadata: { [`k${NUL}`]: 1 } })),
        path: `metadata.k${NUL}`,
      },
      {
        send: () => minji.patch(`/api/items/${item.id}`, { version: 1, changes: { notes: `late${NUL}` } }),
        path: 'changes.notes',
      },
      {
        send: () => mara.post('/api/datasets', { slug: 'nul', name: `Seollal${NUL}`, validatorsPerItem: 2 }),
        path: 'name',
      },
    ];
    for (const c of cases) {
      const res = await c.send();
      expect(res.status, c.path).toBe(400);
      expect(res.body.error, c.path).toEqual({
        code: 'nul-character',
        message: 'The request holds a NUL character (U+0000), which no text may contain',
        details: { path: c.path },
      });
    }
    expect(await itemCount(minji, datasetId)).toBe(1);
    const stored = await minji.get(`/api/items/${item.id}`);
    expect(stored.body).toMatchObject({ version: 1, notes: null });
    const datasets = await mara.get('/api/datasets');
    expect(datasets.body.map((d: { slug: string }) => d.slug)).not.toContain('nul');
  });

  it('when a query string or a path holds U+0000, then 400 nul-character naming it', async () => {
    const { minji, datasetId } = await setup(engine);
    await createItem(minji, datasetId);
    const search = await minji.get(`/api/items?dataset=${datasetId}&q=%E1%84%89%00`);
    expect([search.status, search.body.error]).toEqual([
      400,
      {
        code: 'nul-character',
        message: 'The request holds a NUL character (U+0000), which no text may contain',
        details: { path: 'query.q' },
      },
    ]);
    const taxonomy = await minji.get('/api/taxonomies/culture%00');
    expect([taxonomy.status, taxonomy.body.error?.code, taxonomy.body.error?.details]).toEqual([
      400,
      'nul-character',
      { path: 'url' },
    ]);
    // The same search without it still works.
    const fine = await minji.get(`/api/items?dataset=${datasetId}&q=${encodeURIComponent('떡국')}`);
    expect([fine.status, fine.body.total]).toEqual([200, 1]);
  });

  it('when an imported row holds U+0000 (a JSON escape) in a field, then the import reports that row and field, and writes nothing', async () => {
    const { t, minji, datasetId } = await setup(engine);
    const imp = await importer(t, datasetId);
    const row = (overrides: Record<string, unknown>) => ({
      externalId: 'ko-001',
      language: 'ko',
      country: 'KR',
      kind: 'culture',
      format: 'open_ended',
      question: '설날에 먹는 음식은?',
      referenceAnswer: '떡국',
      primaryCategory: 'tradition/food',
      ...overrides,
    });
    // JSON.stringify writes U+0000 as the escape \u0000: the file itself holds no NUL byte (a raw NUL byte makes
    // any import file a binary file, refused whole).
    const jsonl = [
      row({}),
      row({ externalId: 'ko-002', question: `추석${NUL}에 먹는 음식은?` }),
      row({ externalId: `ko-${NUL}3` }),
      row({ externalId: 'ko-004', metadata: { note: { deep: [`x${NUL}`] } } }),
      row({ externalId: 'ko-005', acceptedAnswers: ['떡국', `${NUL}`], format: 'short_answer' }),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    expect(jsonl).not.toContain(NUL);
    const res = await imp.upload({ format: 'jsonl', dryRun: false, fileName: 'nul.jsonl' }, jsonl);
    expect(res.job).toMatchObject({ state: 'failed', errorCount: 4 });
    expect(
      res.job.errors.map((e) => [e.row, e.field, e.code, e.message.startsWith('Text cannot hold')]),
    ).toEqual([
      [2, 'question', 'nul-character', true],
      [3, 'externalId', 'nul-character', true],
      [4, 'metadata', 'nul-character', true],
      [5, 'acceptedAnswers', 'nul-character', true],
    ]);
    expect(await itemCount(minji, datasetId)).toBe(0);
    // The upload waited in a folder of its own: on PostgreSQL never one named after the URL in the working folder.
    expect(readdirSync(process.cwd()).filter((name) => /^(pglite|postgres(ql)?):/.test(name))).toEqual([]);
  }, 60_000);
});

describe('PUT /api/runs/:id/responses', () => {
  it('when a response or an item id holds U+0000, then that row is reported as nul-character and nothing is imported', async () => {
    const w = await scoringWorld();
    const run = await w.addRun((await w.addModel()).id);
    const jsonl = [
      { id: w.uid('mc1'), response: `C${NUL}` },
      { id: `${w.uid('mc2')}${NUL}`, response: 'B' },
      { id: w.uid('sa1'), response: 'A MC1' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const res = await w.put(`/api/runs/${run.id}/responses`, jsonl, 'application/x-ndjson');
    expect(res.status, res.text).toBe(422);
    expect(res.body.error.details.report.errors).toEqual([
      {
        row: 1,
        line: 1,
        id: null,
        code: 'nul-character',
        message: 'response: Text cannot hold a NUL character (U+0000)',
      },
      {
        row: 2,
        line: 2,
        id: null,
        code: 'nul-character',
        message: 'id: Text cannot hold a NUL character (U+0000)',
      },
    ]);
    expect((await w.get(`/api/runs/${run.id}`)).body.progress.responses).toBe(0);
  }, 60_000);
});
