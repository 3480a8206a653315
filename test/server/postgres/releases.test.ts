import { beforeEach, describe, expect, it } from 'vitest';
import type { ReleaseCounts } from '../../../schema/release.ts';
import type { SelectionFilter } from '../../../server/db/releases.ts';
import { postgresEngine } from '../../helpers/postgres.ts';
import { addItem, engines, seed, T0, type Engine } from './import-release-engines.ts';

const counts: ReleaseCounts = {
  total: 2,
  languages: ['ko'],
  categories: ['food'],
  cells: [['ko', 'food', 2]],
};
const newRelease = (version: string) => ({
  datasetId: 1,
  version,
  title: `Culture ${version}`,
  notes: 'First cut',
  filter: { languages: ['ko'], kinds: [], categories: [], includeSubmitted: false },
  datasetMeta: { slug: 'd1', name: 'D1', description: '', license: 'cc-by-4.0', url: null },
  releasedAt: '2026-11-30',
  previousId: null,
  createdBy: 1,
  createdAt: T0,
  filesDir: `d1/${version}`,
  builder: 'host:1',
});
const filter = (more: Partial<SelectionFilter> = {}): SelectionFilter => ({
  datasetId: 1,
  statuses: ['accepted'],
  languages: [],
  kinds: [],
  categories: [],
  includeSubmitted: false,
  ...more,
});

/** A frozen item as SQLite's json_object writes it, for an item addItem made. */
const frozen = (
  uid: string,
  o: {
    language: string;
    kind?: string;
    category?: string | null;
    hazard?: string | null;
    license?: string | null;
  },
  annotation: string,
) =>
  `{"item":{"language":"${o.language}","country":null,"region":null,"kind":"${o.kind ?? 'culture'}",` +
  `"format":"short_answer","question":"Question ${uid}","questionEn":null,"referenceAnswer":"answer",` +
  `"answerEn":null,"acceptedAnswers":[],"options":[],"correctIndex":null,"trueFalseAnswer":null,"rationale":null,` +
  `"sources":[],"primaryCategory":${o.category ? `"${o.category}"` : 'null'},"secondaryTags":[],"difficulty":null,` +
  `"hazard":${o.hazard ? `"${o.hazard}"` : 'null'},"attackStyle":null,"expectedBehavior":null,"notes":null,` +
  `"context":null,"metadata":null,"origin":null,"license":${o.license ? `"${o.license}"` : 'null'},` +
  `"uid":"${uid}","split":"test"},"annotation":${annotation}}`;

const B3 = frozen(
  'B-3',
  { language: 'ko', kind: 'safety', hazard: 'h1' },
  '{"validations":4,"agreement":1,"resolution":null}',
);
const A1 = frozen(
  'a-1',
  { language: 'ar', category: 'food', license: 'cc-by-sa-4.0' },
  '{"validations":2,"agreement":0.5,"resolution":null}',
);
const B2 = frozen(
  'b-2',
  { language: 'ko', category: 'food/rice' },
  '{"validations":3,"agreement":1.0,"resolution":"unanimous"}',
);
const D5 = frozen(
  'd-5',
  { language: 'ko', category: 'foodie' },
  '{"validations":0,"agreement":null,"resolution":null}',
);

describe.each(engines)('release repository on %s', (_name, open) => {
  let e: Engine;
  const ids: Record<string, number> = {};
  beforeEach(async () => {
    e = await open();
    await seed(e);
  }, 60_000);

  /** Items of datasets 1 and 2 in every case a filter tells apart, with their validation figures. */
  async function items() {
    ids.b2 = await addItem(e, { uid: 'b-2', category: 'food/rice' });
    ids.a1 = await addItem(e, { uid: 'a-1', language: 'ar', category: 'food', license: 'cc-by-sa-4.0' });
    ids.B3 = await addItem(e, { uid: 'B-3', kind: 'safety', hazard: 'h1' });
    ids.c4 = await addItem(e, { uid: 'c-4', status: 'submitted' });
    ids.d5 = await addItem(e, { uid: 'd-5', category: 'foodie' });
    ids.e6 = await addItem(e, { uid: 'e-6', datasetId: 2 });
    // An item of an import whose rows are still hidden.
    const job = await e.imports.create({
      datasetId: 1,
      userId: 1,
      fileName: 'x.csv',
      format: 'csv',
      options: {},
      dryRun: false,
      status: 'submitted',
      createdAt: T0,
    });
    await e.imports.start(job.id, 1);
    await e.imports.writing(job.id, 1, 1);
    await e.imports.hide(job.id, 1);
    ids.f7 = await addItem(e, { uid: 'f-7', importId: job.id });
    for (const [item, validations, agreement, resolution] of [
      [ids.b2, 3, 1.0, 'unanimous'],
      [ids.a1, 2, 0.5, null],
      [ids.B3, 4, 1.5, null],
    ] as const) {
      await e.run(
        'INSERT INTO item_validation (item_id, round, validations, agreement, resolution) VALUES (?, 1, ?, ?, ?)',
        [item, validations, agreement, resolution],
      );
    }
  }

  it('registers a release building, and gives it back as written: by id, by version, in lists, where its files go', async () => {
    const first = await e.releases.insert(newRelease('1.0.0'));
    const second = await e.releases.insert({
      ...newRelease('1.1.0'),
      previousId: first,
      includeTrials: true,
    });
    expect(await e.releases.get(second)).toEqual({
      id: 2,
      datasetId: 1,
      version: '1.1.0',
      title: 'Culture 1.1.0',
      notes: 'First cut',
      filter: { languages: ['ko'], kinds: [], categories: [], includeSubmitted: false },
      license: 'cc-by-4.0',
      url: null,
      releasedAt: '2026-11-30',
      previousVersion: '1.0.0',
      itemCount: 0,
      counts: { total: 0, languages: [], categories: [], cells: [] },
      state: 'building',
      files: [],
      archive: null,
      error: null,
      errorCode: null,
      errorDetails: null,
      progress: { phase: 'queued', done: 0, total: null },
      createdBy: 1,
      createdAt: T0,
      publishedAt: null,
      includeTrials: true,
    });
    expect((await e.releases.byVersion(1, '1.0.0'))?.id).toBe(1);
    expect(await e.releases.byVersion(2, '1.0.0')).toBeUndefined();
    expect(await e.releases.get(3)).toBeUndefined();
    expect((await e.releases.list()).map((r) => r.version)).toEqual(['1.1.0', '1.0.0']);
    expect((await e.releases.list(1)).map((r) => r.id)).toEqual([2, 1]);
    expect(await e.releases.list(2)).toEqual([]);
    expect(await e.releases.datasetMeta(1)).toEqual(newRelease('1.0.0').datasetMeta);
    expect(await e.releases.location(1)).toEqual({
      id: 1,
      version: '1.0.0',
      state: 'building',
      filesDir: 'd1/1.0.0',
      builder: 'host:1',
      snapshotComplete: false,
    });
    expect(await e.releases.location(9)).toBeUndefined();
    expect((await e.releases.unpublished()).map((l) => l.id)).toEqual([1, 2]);
  });

  it('refuses a version of a dataset twice (on PostgreSQL with the 409 the service gives when it sees it first)', async () => {
    await e.releases.insert(newRelease('1.0.0'));
    await e.releases.insert({ ...newRelease('1.0.0'), datasetId: 2 });
    const again = e.releases.insert(newRelease('1.0.0'));
    if (e.pg) {
      await expect(again).rejects.toMatchObject({
        status: 409,
        code: 'release-exists',
        message: 'Release 1.0.0 exists; a correction is a new version',
        details: { release: { id: 1, version: '1.0.0' } },
      });
    } else {
      await expect(again).rejects.toThrow(/UNIQUE/);
    }
    expect((await e.releases.list()).length).toBe(2);
  });

  it.runIf(open.name === 'postgres' && postgresEngine === 'postgres')(
    'two instances cutting one version at the same moment, each after finding it free: one release, the other a 409',
    async () => {
      const db = e.pg!;
      let inserted!: () => void;
      const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
      let letGo!: () => void;
      const held = new Promise<void>((resolve) => (letGo = resolve));
      // Each checks the version is free, as the service does, then inserts, in its own transaction and connection.
      const first = db.transaction(async () => {
        expect(await e.releases.byVersion(1, '1.0.0')).toBeUndefined();
        const id = await e.releases.insert(newRelease('1.0.0'));
        inserted();
        await held;
        return id;
      });
      await firstInserted;
      const second = db.transaction(async () => {
        expect(await e.releases.byVersion(1, '1.0.0')).toBeUndefined();
        return e.releases.insert({ ...newRelease('1.0.0'), builder: 'host:2' });
      });
      const failed = second.then(
        () => null,
        (error: unknown) => error,
      );
      // The second insert waits on the unique index for the first transaction's outcome.
      for (;;) {
        const [w] = await db.query<{ n: number }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (w.n > 0) break;
      }
      letGo();
      expect(await first).toBe(1);
      expect(await failed).toMatchObject({
        status: 409,
        code: 'release-exists',
        details: { release: { id: 1 } },
      });
      expect((await e.releases.list()).map((r) => r.id)).toEqual([1]);
    },
  );

  it('records the counts of a release whose snapshot is kept, which marks its snapshot complete', async () => {
    const id = await e.releases.insert(newRelease('1.0.0'));
    await e.releases.setCounts(id, 2, counts);
    expect(await e.releases.get(id)).toMatchObject({ itemCount: 2, counts, state: 'building' });
    expect((await e.releases.location(id))?.snapshotComplete).toBe(true);
  });

  it('moves a build on only for its builder: progress, complete snapshot, publish; then the release is frozen', async () => {
    const id = await e.releases.insert(newRelease('1.0.0'));
    expect(await e.releases.claim(id, 'host:2')).toBe(true);
    await e.releases.setProgress(id, 'host:1', { phase: 'snapshot', done: 9, total: null });
    await e.releases.setProgress(id, 'host:2', { phase: 'snapshot', done: 2, total: null });
    expect((await e.releases.get(id))?.progress).toEqual({ phase: 'snapshot', done: 2, total: null });
    expect(await e.releases.completeSnapshot(id, 'host:1', counts)).toBe(false);
    expect(await e.releases.completeSnapshot(id, 'host:2', counts)).toBe(true);
    const published = {
      builder: 'host:2',
      files: [{ path: 'data/ko.jsonl', size: 10, sha256: 'ab' }],
      archiveName: 'd1-1.0.0.zip',
      archiveSize: 1234,
      archiveSha256: 'cd',
      publishedAt: '2026-11-30T01:00:00.000Z',
    };
    expect(await e.releases.publish(id, { ...published, builder: 'host:1' })).toBe(false);
    expect(await e.releases.publish(id, published)).toBe(true);
    expect(await e.releases.get(id)).toMatchObject({
      state: 'published',
      itemCount: 2,
      counts,
      files: published.files,
      archive: { name: 'd1-1.0.0.zip', size: 1234, sha256: 'cd' },
      progress: null,
      publishedAt: '2026-11-30T01:00:00.000Z',
    });
    expect(await e.releases.location(id)).toMatchObject({
      state: 'published',
      builder: null,
      snapshotComplete: true,
    });
    expect(await e.releases.claim(id, 'host:3')).toBe(false);
    expect(await e.releases.fail(id, null, 'late')).toBe(false);
    expect(await e.releases.removeUnfinished(id)).toBe(false);
    expect(await e.releases.unpublished()).toEqual([]);
  });

  it('refuses any change to a published release, its row or its frozen items, and any update of a frozen item', async () => {
    await items();
    const id = await e.releases.insert(newRelease('1.0.0'));
    expect(await e.releases.insertSnapshot(id, filter({ languages: ['ar'] }))).toBe(1);
    await expect(
      e.run('UPDATE release_items SET language = ? WHERE release_id = ?', ['xx', id]),
    ).rejects.toThrow('release snapshots are immutable');
    await e.releases.completeSnapshot(id, 'host:1', counts);
    await e.releases.publish(id, {
      builder: 'host:1',
      files: [],
      archiveName: 'a.zip',
      archiveSize: 1,
      archiveSha256: 'x',
      publishedAt: T0,
    });
    await expect(e.run('UPDATE releases SET title = ? WHERE id = ?', ['Renamed', id])).rejects.toThrow(
      'a published release cannot be changed',
    );
    await expect(e.run('DELETE FROM releases WHERE id = ?', [id])).rejects.toThrow(
      'a published release cannot be deleted',
    );
    await expect(e.run('DELETE FROM release_items WHERE release_id = ?', [id])).rejects.toThrow(
      'a published release cannot be changed',
    );
    await expect(e.releases.setCounts(id, 5, counts)).rejects.toThrow(
      'a published release cannot be changed',
    );
    expect(await e.releases.removeStaged(id, 10)).toBe(0);
    expect(await e.releases.snapshotTexts(id, '', 10)).toEqual([A1]);
  });

  it.runIf(open.name === 'postgres')(
    'PostgreSQL also refuses adding frozen items to a published release (SQLite leaves INSERT to the build)',
    async () => {
      const id = await e.releases.insert(newRelease('1.0.0'));
      const row = (uid: string) => ({ uid, language: 'ko', itemId: 1, snapshot: `{"uid":"${uid}"}` });
      await e.releases.stageItems(id, [row('x-1')]);
      await e.releases.completeSnapshot(id, 'host:1', counts);
      await e.releases.publish(id, {
        builder: 'host:1',
        files: [],
        archiveName: 'a.zip',
        archiveSize: 1,
        archiveSha256: 'x',
        publishedAt: T0,
      });
      await expect(e.releases.stageItems(id, [row('x-2')])).rejects.toThrow(
        'a published release cannot be changed',
      );
      expect(await e.releases.snapshotTexts(id, '', 10)).toEqual(['{"uid":"x-1"}']);
    },
  );

  it('removes the staged items of an unfinished failed release a slice at a time, then the release, freeing its version', async () => {
    const id = await e.releases.insert(newRelease('1.0.0'));
    const row = (uid: string) => ({ uid, language: 'ko', itemId: 1, snapshot: `{"uid":"${uid}"}` });
    await e.releases.stageItems(id, [row('x-1'), row('x-2'), row('x-3')]);
    expect(await e.releases.snapshotTexts(id, 'x-1', 10)).toEqual(['{"uid":"x-2"}', '{"uid":"x-3"}']);
    expect(await e.releases.fail(id, 'host:9', 'boom')).toBe(false);
    expect(await e.releases.fail(id, 'host:1', 'boom', 'disk-full', { free: 0 })).toBe(true);
    expect(await e.releases.get(id)).toMatchObject({
      state: 'failed',
      error: 'boom',
      errorCode: 'disk-full',
      errorDetails: { free: 0 },
      progress: null,
    });
    expect(await e.releases.location(id)).toMatchObject({ builder: null, snapshotComplete: false });
    expect(await e.releases.removeStaged(id, 2)).toBe(2);
    expect(await e.releases.removeStaged(id, 2)).toBe(1);
    expect(await e.releases.removeStaged(id, 2)).toBe(0);
    expect(await e.releases.removeUnfinished(id)).toBe(true);
    expect(await e.releases.get(id)).toBeUndefined();
    // A new row (SQLite may give it the freed id again, PostgreSQL's identity never does).
    expect((await e.releases.byVersion(1, '1.0.0'))?.state).toBeUndefined();
    const again = await e.releases.insert(newRelease('1.0.0'));
    expect((await e.releases.get(again))?.state).toBe('building');
  });

  it('freezes the items a filter selects in uid order compared bytewise, each as the same JSON text on both engines', async () => {
    await items();
    const page1 = await e.releases.selectionPage(filter(), '', 2);
    const page2 = await e.releases.selectionPage(filter(), 'a-1', 10);
    expect(page1).toEqual([
      { uid: 'B-3', language: 'ko', itemId: ids.B3, snapshot: B3 },
      { uid: 'a-1', language: 'ar', itemId: ids.a1, snapshot: A1 },
    ]);
    expect(page2).toEqual([
      { uid: 'b-2', language: 'ko', itemId: ids.b2, snapshot: B2 },
      { uid: 'd-5', language: 'ko', itemId: ids.d5, snapshot: D5 },
    ]);
    const id = await e.releases.insert(newRelease('1.0.0'));
    expect(await e.releases.insertSnapshot(id, filter())).toBe(4);
    expect(await e.releases.snapshotTexts(id, '', 10)).toEqual([B3, A1, B2, D5]);
    expect((await e.releases.snapshotPage(id, 'b-2', 10)).map((i) => i.item.uid)).toEqual(['d-5']);
    expect(await e.releases.hasGoldItem(id)).toBe(false);
    await e.run(
      `INSERT INTO gold_items (item_id, grounded, correct, created_by, created_at) VALUES (?, 'yes', 'yes', 1, ?)`,
      [ids.c4, T0],
    );
    expect(await e.releases.hasGoldItem(id)).toBe(false);
    await e.run(
      `INSERT INTO gold_items (item_id, grounded, correct, created_by, created_at) VALUES (?, 'yes', 'yes', 1, ?)`,
      [ids.a1, T0],
    );
    expect(await e.releases.hasGoldItem(id)).toBe(true);
  });

  it('writes an agreement that is not a round number so that it reads back as the same number', async () => {
    await items();
    await e.run('UPDATE item_validation SET agreement = ? WHERE item_id = ?', [2 / 3, ids.a1]);
    await e.run('UPDATE item_validation SET agreement = ? WHERE item_id = ?', [-1, ids.b2]);
    const [a1, b2] = await e.releases.selectionPage(filter(), 'B-3', 2);
    expect((JSON.parse(a1.snapshot) as { annotation: { agreement: number } }).annotation.agreement).toBe(
      0.6666666666666666,
    );
    expect(b2.snapshot).toContain('"annotation":{"validations":3,"agreement":-1,"resolution":"unanimous"}');
  });

  it('selects by status, language, kind and category (a node and everything under it, not a longer name), counts and licences', async () => {
    await items();
    const uids = async (f: SelectionFilter) => (await e.releases.selectionPage(f, '', 100)).map((r) => r.uid);
    expect(await uids(filter({ categories: ['food'] }))).toEqual(['a-1', 'b-2']);
    expect(await uids(filter({ languages: ['ko'] }))).toEqual(['B-3', 'b-2', 'd-5']);
    expect(await uids(filter({ kinds: ['safety'] }))).toEqual(['B-3']);
    expect(await uids(filter({ statuses: ['accepted', 'submitted'], languages: ['ko'] }))).toEqual([
      'B-3',
      'b-2',
      'c-4',
      'd-5',
    ]);
    expect(await uids({ ...filter(), datasetId: 2 })).toEqual(['e-6']);
    expect(await e.releases.selects(filter({ languages: ['ar'] }))).toBe(true);
    expect(await e.releases.selects(filter({ languages: ['fr'] }))).toBe(false);
    expect(await e.releases.selectionLicenses(filter())).toEqual(['cc-by-sa-4.0']);
    expect(await e.releases.selectionLicenses(filter({ languages: ['ko'] }))).toEqual([]);
    const cells = (await e.releases.countSelection(filter())).sort(
      (a, b) => a.language.localeCompare(b.language) || a.category.localeCompare(b.category),
    );
    expect(cells).toEqual([
      { language: 'ar', category: 'food', n: 1 },
      { language: 'ko', category: 'food/rice', n: 1 },
      { language: 'ko', category: 'foodie', n: 1 },
      { language: 'ko', category: 'safety:h1', n: 1 },
    ]);
  });
});
