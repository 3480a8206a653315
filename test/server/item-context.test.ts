import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Item, ItemRevision } from '../../schema/item.ts';
import { blendRecord, includeRecord, toRecord } from '../../exports/index.ts';
import type { DatasetRecord } from '../../schema/release.ts';
import type { Run } from '../../schema/scoring.ts';
import { createTestContext } from '../helpers/app.ts';
import { createItem } from '../helpers/items.ts';
import { addDataset } from '../helpers/items.ts';
import { readArchive } from '../helpers/releases.ts';
import { startChatServer } from '../fixtures/scoring/chat-server.ts';
import { collectionEnded, scoringWorld } from '../fixtures/scoring/world.ts';

const PASSAGE = 'يحتفل المصريون بشم النسيم يوم الاثنين التالي لعيد الفصح، ويأكلون فيه الفسيخ والبيض الملون.';

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** The records of data/<language>/test.jsonl in a published release's archive. */
async function releaseRecords(
  app: Parameters<typeof request>[0],
  auth: Record<string, string>,
  releaseId: number,
  language: string,
): Promise<DatasetRecord[]> {
  const res = await request(app)
    .get(`/api/releases/${releaseId}/archive`)
    .set(auth)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  const entries = await readArchive(res.body as Buffer);
  const data = entries.find((e) => e.name.endsWith(`/data/${language}/test.jsonl`))!;
  return data.bytes
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as DatasetRecord);
}

describe('item context (a passage the question refers to)', { timeout: 20_000 }, () => {
  it('is written, edited and kept in revisions through the items API', async () => {
    const t = await createTestContext();
    const datasetId = (await addDataset(t)).id;
    await t.addUser('author', 'annotator', ['ar']);
    const author = await t.login('author');
    const item = await createItem(
      author,
      datasetId,
      { language: 'ar', format: 'multiple_choice' },
      {
        country: 'EG',
        context: PASSAGE,
        question: 'حسب النص، متى يحتفل المصريون بشم النسيم؟',
        options: ['يوم الاثنين بعد عيد الفصح', 'يوم الجمعة', 'أول أيام رمضان', 'يوم رأس السنة'],
        correctIndex: 0,
      },
    );
    expect(item.context).toBe(PASSAGE);
    const edited = await author.patch(`/api/items/${item.id}`, {
      version: item.version,
      changes: { context: `${PASSAGE} ` },
    });
    expect(edited.status, edited.text).toBe(200);
    expect((edited.body as Item).context).toBe(`${PASSAGE} `);
    const cleared = await author.patch(`/api/items/${item.id}`, {
      version: (edited.body as Item).version,
      changes: { context: null },
    });
    expect((cleared.body as Item).context).toBeNull();
    const revisions = (await author.get(`/api/items/${item.id}/revisions`)).body as ItemRevision[];
    expect(revisions[0].changes).toEqual({ context: [`${PASSAGE} `, null] });
    expect(revisions[1].changes).toEqual({ context: [PASSAGE, `${PASSAGE} `] });
    // Too long a passage is refused like any overlong field.
    const tooLong = await author.patch(`/api/items/${item.id}`, {
      version: (cleared.body as Item).version,
      changes: { context: 'x'.repeat(20_001) },
    });
    expect(tooLong.status).toBe(400);
  });

  it('goes before the question in the INCLUDE- and BLEnD-shaped views, which have no passage field', () => {
    const base = {
      uid: 'ar-0042',
      language: 'ar',
      country: 'EG',
      region: null,
      kind: 'culture' as const,
      question: 'حسب النص، ماذا يأكل المصريون في شم النسيم؟',
      questionEn: null,
      referenceAnswer: null,
      answerEn: null,
      rationale: null,
      sources: [],
      primaryCategory: 'tradition/food',
      secondaryTags: [],
      difficulty: null,
      hazard: null,
      attackStyle: null,
      expectedBehavior: null,
      notes: null,
      context: PASSAGE,
      metadata: null,
      origin: null,
      license: null,
      trueFalseAnswer: null,
    };
    const annotation = { validations: 3, agreement: 1, resolution: 'unanimous' } as const;
    const mcq = toRecord(
      {
        ...base,
        format: 'multiple_choice',
        options: ['الفسيخ', 'الكشري', 'الملوخية', 'الفول'],
        correctIndex: 0,
        acceptedAnswers: [],
      },
      annotation,
      '1.0.0',
      'cc-by-4.0',
    );
    expect(includeRecord(mcq).question).toBe(`${PASSAGE}\n\nحسب النص، ماذا يأكل المصريون في شم النسيم؟`);
    const short = toRecord(
      {
        ...base,
        format: 'short_answer',
        options: [],
        correctIndex: null,
        acceptedAnswers: ['الفسيخ'],
      },
      annotation,
      '1.0.0',
      'cc-by-4.0',
    );
    expect(blendRecord(short).question).toBe(`${PASSAGE}\n\nحسب النص، ماذا يأكل المصريون في شم النسيم؟`);
    // Without a passage the question is as written.
    expect(includeRecord({ ...mcq, context: null }).question).toBe(mcq.question);
  });

  it('is exported in the release records and given to the model before the question', async () => {
    const server = await startChatServer(() => ({ reply: 'A' }));
    servers.push(server);
    const w = await scoringWorld(
      [
        { id: 'rc1', language: 'ar', format: 'multiple_choice', category: 'history', context: PASSAGE },
        { id: 'mc1', language: 'ar', format: 'multiple_choice', category: 'history' },
      ],
      { scoringEnv: { CS_MODEL_KEY_TEST: 'sk-test' }, outbound: { allowPrivate: true } },
    );
    const records = await releaseRecords(w.t.app, { Authorization: `Bearer ${w.token}` }, w.release.id, 'ar');
    expect(records.find((r) => r.id === w.uid('rc1'))!.context).toBe(PASSAGE);
    expect(records.find((r) => r.id === w.uid('mc1'))!.context).toBeNull();

    const model = await w.addModel({
      baseUrl: server.baseUrl,
      endpointModel: 'test-model',
      apiKeyEnv: 'CS_MODEL_KEY_TEST',
    });
    const run = await w.addRun(model.id);
    const res = await w.post(`/api/runs/${run.id}/collect`, { backoffMs: 1 });
    expect(res.status, res.text).toBe(202);
    expect((await collectionEnded(w, run.id)).status).toBe('complete' satisfies Run['status']);
    const prompts = server.requests.map((r) => r.prompt);
    const withPassage = prompts.find((p) => p.includes('question rc1'))!;
    expect(withPassage.startsWith(`${PASSAGE}\n\nar question rc1\n\n`)).toBe(true);
    expect(prompts.find((p) => p.includes('question mc1'))!.startsWith('ar question mc1\n\n')).toBe(true);
  });
});
