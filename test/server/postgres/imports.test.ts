import { beforeEach, describe, expect, it } from 'vitest';
import { emptyItemFields, type ItemFields } from '../../../schema/item.ts';
import type { StagedRow } from '../../../server/db/imports.ts';
import { postgresEngine } from '../../helpers/postgres.ts';
import { addItem, engines, seed, T0, type Engine } from './import-release-engines.ts';

const AT = '2026-01-02T00:00:00.000Z';
const DONE = '2026-01-02T00:05:00.000Z';

/** Every item field, most empty. */
const fields = (question: string, overrides: Partial<ItemFields> = {}): ItemFields => ({
  ...emptyItemFields({ language: 'ko', kind: 'culture', format: 'short_answer' }),
  question,
  referenceAnswer: 'A',
  ...overrides,
});

const staged = (
  row: number,
  externalId: string | null,
  question: string,
  more: Partial<ItemFields> = {},
): StagedRow => ({
  row,
  line: row + 1,
  externalId,
  uid: `u${row}`,
  fields: fields(question, more),
});

const newJob = (datasetId = 1) => ({
  datasetId,
  userId: 1,
  fileName: 'items.csv',
  format: 'csv' as const,
  options: { preset: 'blend', mapping: { z: 'question', a: 'answer' } },
  dryRun: false,
  status: 'submitted' as const,
  createdAt: T0,
});

const outcome = (state: 'imported' | 'failed', created: number) => ({
  state,
  rowsTotal: 3,
  errorCount: 0,
  errors: [],
  created,
  updated: 0,
  unchanged: 0,
  finishedAt: DONE,
});

describe.each(engines)('import repository on %s', (_name, open) => {
  let e: Engine;
  beforeEach(async () => {
    e = await open();
    await seed(e);
  }, 60_000);

  /** A job of dataset `datasetId` moved to writing in its first attempt; its id. */
  async function writingJob(datasetId = 1): Promise<number> {
    const job = await e.imports.create(newJob(datasetId));
    expect(await e.imports.start(job.id, 100)).toBe(true);
    expect(await e.imports.writing(job.id, 3, 1)).toBe(true);
    return job.id;
  }

  it('creates a waiting job and gives it back as written, newest first in lists, its options with their key order', async () => {
    const a = await e.imports.create(newJob());
    const b = await e.imports.create({ ...newJob(2), dryRun: true, format: 'jsonl', options: {} });
    expect(a).toEqual({
      id: 1,
      datasetId: 1,
      userId: 1,
      fileName: 'items.csv',
      format: 'csv',
      dryRun: false,
      status: 'submitted',
      preset: 'blend',
      state: 'waiting',
      bytesTotal: null,
      bytesRead: 0,
      rowsTotal: null,
      rowsProcessed: 0,
      errorCount: 0,
      errors: [],
      created: 0,
      updated: 0,
      unchanged: 0,
      createdAt: T0,
      finishedAt: null,
    });
    expect(await e.imports.get(2)).toMatchObject({
      id: 2,
      datasetId: 2,
      dryRun: true,
      format: 'jsonl',
      preset: null,
    });
    expect(await e.imports.get(3)).toBeUndefined();
    expect((await e.imports.list()).map((j) => j.id)).toEqual([2, 1]);
    expect((await e.imports.list(1)).map((j) => j.id)).toEqual([1]);
    expect(JSON.stringify(await e.imports.options(a.id))).toBe(
      '{"preset":"blend","mapping":{"z":"question","a":"answer"}}',
    );
    expect(await e.imports.options(99)).toBeUndefined();
    expect(b.id).toBe(2);
  });

  it('takes a file once; a job interrupted by its process dying takes it again, from nothing, in its next attempt', async () => {
    const { id } = await e.imports.create(newJob());
    expect(await e.imports.attemptOf(id)).toBe(0);
    expect(await e.imports.start(id, null)).toBe(true);
    expect(await e.imports.start(id, null)).toBe(false);
    await e.imports.received(id, 2048);
    await e.imports.progress(id, 512, 7, 1);
    await e.imports.progress(id, 999, 99, 2); // another attempt's: ignored
    expect(await e.imports.get(id)).toMatchObject({
      state: 'reading',
      bytesTotal: 2048,
      bytesRead: 512,
      rowsProcessed: 7,
    });
    expect(await e.imports.requestCancel(id)).toBe(true);
    expect(await e.imports.cancelRequested(id)).toBe(true);

    const issue = {
      row: null,
      line: null,
      column: null,
      field: null,
      code: 'interrupted',
      message: 'The server stopped',
    };
    expect(await e.imports.interruptRunning(issue, DONE)).toEqual([id]);
    expect(await e.imports.get(id)).toMatchObject({
      state: 'failed',
      errorCount: 1,
      errors: [issue],
      finishedAt: DONE,
    });
    expect(await e.imports.requestCancel(id)).toBe(false);

    expect(await e.imports.start(id, 10)).toBe(true);
    expect(await e.imports.attemptOf(id)).toBe(2);
    expect(await e.imports.cancelRequested(id)).toBe(false);
    expect(await e.imports.get(id)).toMatchObject({
      state: 'reading',
      bytesTotal: 10,
      bytesRead: 0,
      errors: [],
      finishedAt: null,
    });
    // A job that failed for another reason keeps its outcome.
    expect(
      await e.imports.finish(
        id,
        'reading',
        { ...outcome('failed', 0), errorCount: 1, errors: [{ ...issue, code: 'bad-row' }] },
        2,
      ),
    ).toBe(true);
    expect(await e.imports.start(id, 10)).toBe(false);
    expect(await e.imports.cancelRequested(99)).toBe(false);
    expect(await e.imports.attemptOf(99)).toBe(0);
  });

  it('records an outcome only from the state and attempt the caller names', async () => {
    const id = await writingJob();
    expect(await e.imports.finish(id, 'reading', outcome('imported', 3), 1)).toBe(false);
    expect(await e.imports.finish(id, 'writing', outcome('imported', 3), 2)).toBe(false);
    expect(await e.imports.finish(id, 'writing', outcome('imported', 3), 1)).toBe(true);
    expect(await e.imports.get(id)).toMatchObject({
      state: 'imported',
      rowsTotal: 3,
      rowsProcessed: 3,
      created: 3,
      finishedAt: DONE,
    });
  });

  it('stages rows, refusing a repeated external id with the row that has it first', async () => {
    const { id } = await e.imports.create(newJob());
    const stage = await e.imports.stage(id);
    expect(
      await stage.put([
        staged(1, 'e1', 'a'),
        staged(2, 'e2', 'b'),
        staged(3, 'e1', 'c'),
        staged(4, null, 'd'),
      ]),
    ).toEqual([{ row: 3, first: 1 }]);
    expect(await stage.put([staged(5, 'e2', 'e'), staged(6, null, 'f')])).toEqual([{ row: 5, first: 2 }]);
    expect(await stage.size()).toBe(4);
    await stage.drop();
  });

  it('writes new rows hidden until reveal: items in file order, their provenance and create revisions as SQLite writes them', async () => {
    const existing = await addItem(e, { uid: 'old', externalId: 'e2' });
    const { id } = await e.imports.create(newJob());
    await e.imports.start(id, 100);
    const stage = await e.imports.stage(id);
    await stage.put([
      staged(1, 'e1', '송편은?', {
        acceptedAnswers: ['A', '에이'],
        metadata: { z: 1, a: '"q"' },
        trueFalseAnswer: false,
      }),
      staged(2, 'e2', 'changed'),
      staged(3, null, 'مِصْر'),
    ]);
    expect(await e.imports.writing(id, 3, 1)).toBe(true);
    expect(await stage.match(1)).toBe(2);
    expect(await stage.matchedPage(0, 10)).toEqual([{ row: staged(2, 'e2', 'changed'), itemId: existing }]);
    expect(await stage.matchedPage(2, 10)).toEqual([]);

    const o = { datasetId: 1, status: 'submitted', authorId: 1, at: AT };
    const slices = await e.transaction(async () => {
      expect(await e.imports.hide(id, 1)).toBe(true);
      return [
        await stage.createNewSlice(0, 1, o),
        await stage.createNewSlice(1, 1, o),
        await stage.createNewSlice(3, 1, o),
      ];
    });
    expect(slices).toEqual([
      { last: 1, created: 1 },
      { last: 3, created: 1 },
      { last: null, created: 0 },
    ]);
    // Hidden: not matched by another import, not selected by a release.
    expect(await e.imports.externalIds(1)).toEqual(new Map([['e2', existing]]));
    expect(
      await e.releases.selects({
        datasetId: 1,
        statuses: ['submitted'],
        languages: [],
        kinds: [],
        categories: [],
        includeSubmitted: true,
      }),
    ).toBe(false);

    const items = await e.all<{ id: number; uid: string; status: string; import_id: number }>(
      'SELECT id, uid, status, import_id FROM items WHERE import_id IS NOT NULL ORDER BY id',
    );
    expect(items).toEqual([
      { id: 2, uid: 'u1', status: 'submitted', import_id: id },
      { id: 3, uid: 'u3', status: 'submitted', import_id: id },
    ]);
    const [revision] = await e.all<{ snapshot: string; version: number; action: string; changes: string }>(
      'SELECT snapshot, version, action, changes FROM item_revisions WHERE item_id = 2',
    );
    expect(revision).toEqual({
      version: 1,
      action: 'create',
      changes: '{}',
      snapshot:
        '{"language":"ko","country":null,"region":null,"kind":"culture","format":"short_answer","question":"송편은?",' +
        '"questionEn":null,"referenceAnswer":"A","answerEn":null,"acceptedAnswers":["A","에이"],"options":[],' +
        '"correctIndex":null,"trueFalseAnswer":false,"rationale":null,"sources":[],"primaryCategory":null,' +
        '"secondaryTags":[],"difficulty":null,"hazard":null,"attackStyle":null,"expectedBehavior":null,"notes":null,' +
        '"context":null,"metadata":{"z":1,"a":"\\"q\\""},"origin":null,"license":null,"uid":"u1","datasetId":1,' +
        '"externalId":"e1","status":"submitted","authorId":1,"version":1,"createdAt":"2026-01-02T00:00:00.000Z",' +
        '"updatedAt":"2026-01-02T00:00:00.000Z","submittedAt":"2026-01-02T00:00:00.000Z","split":"test","id":2,' +
        '"authorName":"Ana"}',
    });
    // Searchable once visible: the folded text written with the item (a trigger on SQLite, the repository here).
    expect(await e.all('SELECT question FROM items_search_text WHERE item_id = 3')).toEqual([
      { question: 'مصر' },
    ]);
    expect(await e.imports.provenanceOf(3)).toEqual([
      { importId: id, fileName: 'items.csv', row: 3, action: 'created', userId: 1, userName: 'Ana', at: T0 },
    ]);

    await e.transaction(async () => {
      await e.imports.addProvenance(id, existing, 2, 'unchanged');
      await e.imports.reveal(id);
      expect(await e.imports.finish(id, 'writing', outcome('imported', 2), 1)).toBe(true);
    });
    expect(await e.imports.externalIds(1)).toEqual(
      new Map([
        ['e2', existing],
        ['e1', 2],
      ]),
    );
    expect(await e.imports.provenanceOf(existing)).toEqual([
      {
        importId: id,
        fileName: 'items.csv',
        row: 2,
        action: 'unchanged',
        userId: 1,
        userName: 'Ana',
        at: DONE,
      },
    ]);
    expect(await e.imports.withHiddenRows()).toEqual([]);
    await stage.drop();
  });

  it('deletes the hidden rows of an import that ended without its commit, a slice at a time, then clears its flag', async () => {
    const id = await writingJob();
    const stage = await e.imports.stage(id);
    await stage.put([staged(1, null, 'a'), staged(2, null, 'b'), staged(3, null, 'c')]);
    await stage.match(1);
    await e.transaction(async () => {
      await e.imports.hide(id, 1);
      await stage.createNewSlice(0, 10, { datasetId: 1, status: 'submitted', authorId: 1, at: AT });
    });
    expect(await e.imports.withHiddenRows()).toEqual([]); // still writing
    expect(await e.imports.finish(id, 'writing', outcome('failed', 0), 1)).toBe(true);
    expect(await e.imports.withHiddenRows()).toEqual([id]);
    expect(await e.imports.deleteHiddenRows(id, 2)).toBe(2);
    expect(await e.imports.deleteHiddenRows(id, 2)).toBe(1);
    expect(await e.imports.withHiddenRows()).toEqual([id]);
    expect(await e.imports.deleteHiddenRows(id, 2)).toBe(0);
    expect(await e.imports.withHiddenRows()).toEqual([]);
    expect(await e.all('SELECT id FROM items')).toEqual([]);
    expect(await e.all('SELECT item_id FROM item_revisions')).toEqual([]);
    expect(await e.all('SELECT item_id FROM import_items')).toEqual([]);
  });

  it('moves one import of a dataset to writing at a time, and none while an ended one still has hidden rows', async () => {
    const first = await writingJob();
    const second = await e.imports.create(newJob());
    await e.imports.start(second.id, 100);
    expect(await e.imports.writing(second.id, 3, 1)).toBe(false);
    expect((await e.imports.get(second.id))?.state).toBe('reading');
    expect(await writingJob(2)).toBe(3); // another dataset's

    expect(await e.imports.hide(first, 1)).toBe(true);
    expect(await e.imports.hide(first, 2)).toBe(false);
    await e.imports.finish(first, 'writing', outcome('failed', 0), 1);
    expect(await e.imports.writing(second.id, 3, 1)).toBe(false);
    expect(await e.imports.deleteHiddenRows(first, 10)).toBe(0);
    expect(await e.imports.writing(second.id, 3, 1)).toBe(true);
  });

  it.runIf(open.name === 'postgres')(
    'PostgreSQL itself refuses a second writing import of a dataset, whatever the statement (imports_one_writer)',
    async () => {
      await writingJob();
      const { id } = await e.imports.create(newJob());
      await expect(e.run(`UPDATE imports SET state = 'writing' WHERE id = ?`, [id])).rejects.toMatchObject({
        code: '23505',
        constraint: 'imports_one_writer',
      });
    },
  );

  it.runIf(open.name === 'postgres' && postgresEngine === 'postgres')(
    'two instances moving two imports of one dataset to writing at the same moment: one gets it, the other stays reading',
    async () => {
      const db = e.pg!;
      const a = await e.imports.create(newJob());
      const b = await e.imports.create(newJob());
      await e.imports.start(a.id, 1);
      await e.imports.start(b.id, 1);
      let letGo!: () => void;
      const held = new Promise<void>((resolve) => (letGo = resolve));
      // A's transaction moves it to writing and stays open; B's statement, on another connection, passes the
      // NOT EXISTS (A is not committed) and must wait on the unique index until A commits.
      const first = db.transaction(async () => {
        const ok = await e.imports.writing(a.id, 1, 1);
        await held;
        return ok;
      });
      const second = e.imports.writing(b.id, 1, 1);
      for (;;) {
        const [w] = await db.query<{ n: number }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (w.n > 0) break;
      }
      letGo();
      expect(await first).toBe(true);
      expect(await second).toBe(false);
      expect((await e.imports.get(b.id))?.state).toBe('reading');
    },
  );
});
