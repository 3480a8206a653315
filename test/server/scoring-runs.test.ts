import { describe, expect, it } from 'vitest';
import type { ResponseImportReport, Run, ScoredResponse } from '../../schema/scoring.ts';
import { createItemService } from '../../server/domain/items.ts';
import { completeItemBody } from '../helpers/items.ts';
import { responsesCsv, scoringWorld } from '../fixtures/scoring/world.ts';

describe('POST /api/models', () => {
  it('registers a model and never returns its API key', async () => {
    const w = await scoringWorld();
    const res = await w.post('/api/models', {
      name: 'HyperCLOVA X',
      developer: 'NAVER',
      country: 'kr',
      sovereign: true,
      baseUrl: 'http://localhost:9/v1',
      endpointModel: 'hcx',
      apiKey: 'sk-secret-123',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'HyperCLOVA X', country: 'KR', sovereign: true, hasApiKey: true });
    expect(JSON.stringify(res.body)).not.toContain('sk-secret');
    const list = await w.get('/api/models');
    expect(JSON.stringify(list.body)).not.toContain('sk-secret');
    const patched = await w.patch(`/api/models/${res.body.id}`, { developer: 'NAVER Cloud' });
    expect(patched.body).toMatchObject({ developer: 'NAVER Cloud', hasApiKey: true });
    const cleared = await w.patch(`/api/models/${res.body.id}`, {
      apiKey: null,
      apiKeyEnv: 'CS_MODEL_KEY_HCX',
    });
    expect(cleared.body).toMatchObject({ hasApiKey: false, apiKeyEnv: 'CS_MODEL_KEY_HCX' });
  });

  it('refuses a taken name with 409 and a bad body with 400 field details', async () => {
    const w = await scoringWorld();
    await w.addModel({ name: 'Same' });
    expect((await w.post('/api/models', { name: 'same', developer: 'x' })).body.error.code).toBe(
      'model-exists',
    );
    const bad = await w.post('/api/models', { name: ' ', developer: 3, apiKeyEnv: 'not a name' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'apiKeyEnv',
      'developer',
      'name',
    ]);
  });
});

describe('POST /api/runs', () => {
  it('ties a model to a published release and lists runs with progress', async () => {
    const w = await scoringWorld();
    const model = await w.addModel();
    const run = await w.addRun(model.id, { promptTemplate: 'Q: {question}\n{options}' });
    expect(run).toMatchObject({
      modelName: model.name,
      releaseVersion: '1.0.0',
      status: 'pending',
      progress: { items: 8, responses: 0, autoScored: 0, correct: 0, toRate: 0 },
    });
    const list = await w.get(`/api/runs?release=${w.release.id}`);
    expect(list.body.map((r: Run) => r.id)).toEqual([run.id]);
  });

  it('answers 404 for an unknown model or release and 400 for a template without {question}', async () => {
    const w = await scoringWorld();
    const model = await w.addModel();
    expect((await w.post('/api/runs', { modelId: 999, releaseId: w.release.id })).status).toBe(404);
    expect((await w.post('/api/runs', { modelId: model.id, releaseId: 999 })).status).toBe(404);
    const bad = await w.post('/api/runs', {
      modelId: model.id,
      releaseId: w.release.id,
      promptTemplate: 'hi',
    });
    expect(bad.status).toBe(400);
    expect((await w.get('/api/runs/abc')).status).toBe(404);
  });
});

describe('PUT /api/runs/:id/responses', () => {
  it('imports CSV responses keyed by item id and scores them automatically', async () => {
    const w = await scoringWorld();
    const run = await w.addRun((await w.addModel()).id);
    const csv = responsesCsv([
      [w.uid('mc1'), 'The answer is C'],
      [w.uid('mc2'), 'two'],
      [w.uid('sa1'), 'A MC1'],
      [w.uid('tf1'), 'False.'],
      [w.uid('oe1'), 'Tteokguk, with "quotes", and\na second line'],
      [w.uid('sf1'), 'I cannot help with that.'],
    ]);
    const res = await w.put(`/api/runs/${run.id}/responses`, csv);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, rows: 6, imported: 6, valid: 6, errorCount: 0 });
    const responses = (await w.get(`/api/runs/${run.id}/responses`)).body as ScoredResponse[];
    const by = new Map(responses.map((r) => [r.id, r]));
    expect(by.get(w.uid('mc1'))).toMatchObject({ scoring: 'auto', extracted: '2', correct: true });
    expect(by.get(w.uid('mc2'))).toMatchObject({ scoring: 'auto', extracted: '1', correct: false });
    // sampleCsv's short answer variants are "a sa1" and "b sa1"; "A MC1" is neither.
    expect(by.get(w.uid('sa1'))).toMatchObject({ scoring: 'auto', correct: false });
    expect(by.get(w.uid('tf1'))).toMatchObject({ scoring: 'auto', extracted: 'false', correct: true });
    expect(by.get(w.uid('oe1'))).toMatchObject({
      scoring: 'rating',
      correct: null,
      response: 'Tteokguk, with "quotes", and\na second line',
    });
    expect(by.get(w.uid('sf1'))).toMatchObject({
      scoring: 'rating',
      kind: 'safety',
      category: 'safety:hate',
    });
    const after = (await w.get(`/api/runs/${run.id}`)).body as Run;
    expect(after.progress).toEqual({ items: 8, responses: 6, autoScored: 4, correct: 2, toRate: 2 });
  });

  it('imports JSON Lines, and marks the run complete once every item has a response', async () => {
    const w = await scoringWorld([
      { id: 'x1', format: 'true_false' },
      { id: 'x2', format: 'short_answer' },
    ]);
    const run = await w.addRun((await w.addModel()).id);
    const jsonl = [
      JSON.stringify({ id: w.uid('x1'), response: '거짓입니다' }),
      JSON.stringify({ id: w.uid('x2'), response: 'b x2' }),
    ].join('\n');
    const res = await w.put(`/api/runs/${run.id}/responses`, jsonl, 'application/x-ndjson');
    expect(res.body).toMatchObject({ imported: 2 });
    const after = (await w.get(`/api/runs/${run.id}`)).body as Run;
    expect(after).toMatchObject({ status: 'complete', progress: { responses: 2, correct: 2 } });
  });

  it('reports unknown ids, duplicates, items outside the release and already answered items, writing nothing', async () => {
    const w = await scoringWorld();
    const run = await w.addRun((await w.addModel()).id);
    await w.put(`/api/runs/${run.id}/responses`, responsesCsv([[w.uid('mc1'), 'A']]));
    const author = await w.t.addUser('author', 'annotator', ['ko']);
    const later = await createItemService(w.t.repos).create(
      author,
      completeItemBody(w.datasetId) as Parameters<ReturnType<typeof createItemService>['create']>[1],
    );
    const csv = responsesCsv([
      [w.uid('mc2'), 'B'],
      ['no-such-item', 'x'],
      [w.uid('sa1'), 'x'],
      [w.uid('sa1'), 'y'],
      [later.uid, 'z'],
      [w.uid('mc1'), 'C'],
    ]);
    const dry = await w.put(`/api/runs/${run.id}/responses?dryRun=1`, csv);
    expect(dry.status).toBe(200);
    const report = dry.body as ResponseImportReport;
    expect(report).toMatchObject({ dryRun: true, rows: 6, valid: 2, errorCount: 4, imported: 0 });
    expect(report.errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'unknown-id'],
      [4, 'duplicate-id'],
      [5, 'not-in-release'],
      [6, 'already-answered'],
    ]);
    const real = await w.put(`/api/runs/${run.id}/responses`, csv);
    expect(real.status).toBe(422);
    expect(real.body.error.code).toBe('import-failed');
    expect(real.body.error.details.report.errorCount).toBe(4);
    expect(((await w.get(`/api/runs/${run.id}`)).body as Run).progress.responses).toBe(1);
  });

  it('refuses a file without the id and response columns, an empty file and a wrong content type', async () => {
    const w = await scoringWorld();
    const run = await w.addRun((await w.addModel()).id);
    const noColumns = await w.put(`/api/runs/${run.id}/responses`, 'item,answer\nx,y\n');
    expect(noColumns.status).toBe(422);
    expect(noColumns.body.error.details.report.errors[0].code).toBe('missing-columns');
    const empty = await w.put(`/api/runs/${run.id}/responses`, '', 'text/csv');
    expect(empty.status).toBe(422);
    const wrongType = await w.put(`/api/runs/${run.id}/responses`, '<x/>', 'application/xml');
    expect(wrongType.status).toBe(415);
    const badJsonl = await w.put(
      `/api/runs/${run.id}/responses`,
      '{"id": 1}\nnot json\n',
      'application/x-ndjson',
    );
    expect(badJsonl.body.error.details.report.errors.map((e: { code: string }) => e.code)).toEqual([
      'missing-id',
      'invalid-json',
    ]);
    expect((await w.put('/api/runs/999/responses', 'id,response\n')).status).toBe(404);
  });
});
