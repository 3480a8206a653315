import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import Papa from 'papaparse';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildReleaseFiles, csvCell, snapshotRecords } from '../../exports/index.ts';
import type { DatasetRecord, Release } from '../../schema/release.ts';
import { ReleaseTreeWriter } from '../../server/domain/releases/tree-writer.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer, type Importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { recordPages, writeArchive, writeReleaseTree } from '../helpers/release-files.ts';
import { readArchive, readTree, sampleCsv, settled, tempDir } from '../helpers/releases.ts';
import { loadSnapshot } from '../fixtures/exports/fixture.ts';

// The documented rule (docs/dataset-format.md): a cell starting with tab or CR, or any line starting (after
// whitespace) with = + - @ or their full-width forms.
const FORMULA_START = /^[\t\r]|(?:^|[\r\n])\s*[=+\-@＝＋－＠]/;

describe('the CSV cell writer', () => {
  it('writes exactly what Papa.unparse writes, for every kind of tricky cell', () => {
    const pieces = [
      'a',
      ' ',
      '"',
      ',',
      '\r',
      '\n',
      '\r\n',
      '\uFEFF',
      '=',
      '+',
      '-',
      '@',
      '\t',
      "'",
      'é',
      'ب',
      '😀',
      '',
    ];
    const cells: (string | number | boolean | null)[] = [null, true, false, 0, -0.25, 1e21, 3, '', 'plain'];
    // Every pair and triple of the pieces: leading/trailing spaces, formula starts, quotes, line breaks.
    for (const a of pieces) {
      for (const b of pieces) {
        cells.push(a + b);
        for (const c of ['x', ' ', '"']) cells.push(a + b + c, c + a + b);
      }
    }
    cells.push('[{"url":"https://x","title":"a, b"}]', '{"country":"KR","region":null}', '=1\n=2', '-2+3');
    for (const value of cells) {
      const papa = Papa.unparse([[value]], { newline: '\r\n', escapeFormulae: FORMULA_START });
      expect(csvCell(value), JSON.stringify(value)).toBe(papa);
    }
  });
});

describe('the streaming release writer', () => {
  it('writes byte for byte what the pure writers return, changelog against a previous release included', async () => {
    const snapshot = loadSnapshot('snapshot.json');
    const previous = loadSnapshot('previous-snapshot.json');
    const { items: _items, ...meta } = snapshot;
    const out = join(tempDir(), 'tree');
    const files = await writeReleaseTree(out, {
      meta,
      records: () => recordPages(snapshotRecords(snapshot)),
      previous: { version: previous.version, records: () => recordPages(snapshotRecords(previous)) },
    });
    const expected = buildReleaseFiles(snapshot, previous);
    const onDisk = readTree(out);
    expect([...onDisk.keys()]).toEqual(expected.map((f) => f.path));
    expect(files.map((f) => f.path)).toEqual(expected.map((f) => f.path));
    for (const f of expected) expect(onDisk.get(f.path)!.equals(Buffer.from(f.bytes)), f.path).toBe(true);
  });

  it('stays byte for byte the same when the file writer falls far behind (thousands of records)', async () => {
    // Far more messages than the writer may have queued: the build waits for it, and nothing is lost.
    const base = loadSnapshot('snapshot.json');
    const items = Array.from({ length: 6000 }, (_, n) => {
      const { item, annotation } = base.items[n % base.items.length];
      const uid = `${item.uid}-${String(n).padStart(5, '0')}`;
      return { item: { ...item, uid, question: `${item.question} #${n}` }, annotation };
    });
    const snapshot = { ...base, items };
    const { items: _items, ...meta } = snapshot;
    const out = join(tempDir(), 'tree');
    const files = await writeReleaseTree(out, {
      meta,
      records: () => recordPages(snapshotRecords(snapshot)),
      previous: null,
    });
    const expected = buildReleaseFiles(snapshot, null);
    const onDisk = readTree(out);
    expect(files.map((f) => f.path)).toEqual(expected.map((f) => f.path));
    for (const f of expected) expect(onDisk.get(f.path)!.equals(Buffer.from(f.bytes)), f.path).toBe(true);
    expect(onDisk.get('csv/test.csv')!.toString('utf8').split('\r\n').length).toBeGreaterThan(6000);
  });
});

describe('the release archive', () => {
  it('compressed while the files are written, is byte for byte the archive of the finished folder', async () => {
    const snapshot = loadSnapshot('snapshot.json');
    const { items: _items, ...meta } = snapshot;
    // Records of several MB (multi-byte text) make files of several gzip members, cut mid-character.
    const records = snapshotRecords(snapshot).map((r, n) =>
      n < 3 ? { ...r, question: `${r.question} ${'é語x'.repeat(400_000 + n * 1234)}` } : r,
    );
    const out = join(tempDir(), 'tree');
    const tree = new ReleaseTreeWriter(out, { meta, previous: null }, { archive: true });
    for (const r of records) tree.add(r);
    const files = await tree.finish(() => {});
    const streamed = join(tempDir(), 'streamed.tar.gz');
    const fromFolder = join(tempDir(), 'folder.tar.gz');
    const a = await tree.archive('x', files, meta.releasedAt, streamed);
    const b = await writeArchive(out, 'x', files, meta.releasedAt, fromFolder);
    expect(a).toEqual(b);
    const bytes = readFileSync(streamed);
    expect(bytes.equals(readFileSync(fromFolder))).toBe(true);
    expect(files.some((f) => f.size > 3 * 1024 * 1024)).toBe(true);

    // Its gzip members read as one tar stream: every file, whole, in path order, then the end blocks.
    const entries = await readArchive(bytes);
    const onDisk = readTree(out);
    expect(entries.map((e) => e.name)).toEqual([...onDisk.keys()].map((p) => `x/${p}`));
    for (const e of entries) expect(e.bytes.equals(onDisk.get(e.name.slice(2))!), e.name).toBe(true);
    const tarBytes = gunzipSync(bytes);
    expect(tarBytes.length % 512).toBe(0);
    expect(tarBytes.subarray(-1024).every((b) => b === 0)).toBe(true);
  });
});

describe('cutting a release', () => {
  let t: TestContext;
  let imp: Importer;
  let datasetId: number;
  let dir: string;
  /** POST /api/releases (202 at once), then the release once its build has ended. */
  const cut = (version: string) =>
    settled(
      t.app,
      { Authorization: `Bearer ${imp.token}` },
      request(t.app)
        .post('/api/releases')
        .set({ Authorization: `Bearer ${imp.token}` })
        .send({ datasetId, version, title: 'Release' }),
    );

  beforeEach(async () => {
    dir = tempDir();
    t = await createTestContext({ releasesDir: dir });
    datasetId = (await addDataset(t)).id;
    imp = await importer(t, datasetId);
    const csv = sampleCsv([
      { id: 'k1' },
      { id: 'k2', format: 'multiple_choice' },
      { id: 'a1', language: 'ar' },
    ]);
    expect((await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, csv)).status).toBe(202);
  });

  const records = (release: Release, language: string): DatasetRecord[] => {
    // The release's own folder: <slug>/<version>~<token>.
    const slugDir = join(dir, readdirSync(dir)[0]);
    const home = join(
      slugDir,
      readdirSync(slugDir).find((n) => n.startsWith(`${release.version}~`))!,
    );
    const tree = readTree(
      join(
        home,
        readdirSync(home).find((n) => !n.endsWith('.tar.gz'))!,
      ),
    );
    return tree
      .get(`data/${language}/test.jsonl`)!
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as DatasetRecord);
  };

  it('freezes each item with its validation summary, agreement clamped to [-1, 1]', async () => {
    const item = async (externalId: string) => {
      const [row] = await t.sql<{ id: number; uid: string }>(
        'SELECT id, uid FROM items WHERE external_id = ?',
        externalId,
      );
      return row;
    };
    const [k1, k2] = [await item('k1'), await item('k2')];
    // A summary as stored by a validation round; the agreement goes in as the double 0.1 + 0.2 on both engines.
    await t.sql(
      `INSERT INTO item_validation (item_id, validations, agreement, unanimous, resolution)
       VALUES (?, 3, ?, TRUE, 'unanimous'), (?, 4, 1.5, FALSE, 'adjudicated')
       ON CONFLICT (item_id) DO UPDATE SET validations = excluded.validations, agreement = excluded.agreement,
         unanimous = excluded.unanimous, resolution = excluded.resolution`,
      k1.id,
      0.1 + 0.2,
      k2.id,
    );
    const res = await cut('1.0.0');
    expect(res.body.state, res.text).toBe('published');
    const ko = records(res.body as Release, 'ko');
    expect(new Map(ko.map((r) => [r.id, r.annotation]))).toEqual(
      new Map([
        [k1.uid, { validations: 3, agreement: 0.1 + 0.2, resolution: 'unanimous' }],
        [k2.uid, { validations: 4, agreement: 1, resolution: 'adjudicated' }],
      ]),
    );
    // An item never validated (imported as accepted): no validations, no agreement and no resolution, like
    // the unvalidated records in docs/dataset-format.md.
    expect(records(res.body as Release, 'ar')[0].annotation).toEqual({
      validations: 0,
      agreement: null,
      resolution: null,
    });
  });

  it('when a selected item is incomplete, then the release fails with incomplete-items and its id, and no snapshot or file remains', async () => {
    await t.sql("UPDATE items SET question = '  ' WHERE external_id = 'k2'");
    const [{ uid }] = await t.sql<{ uid: string }>("SELECT uid FROM items WHERE external_id = 'k2'");
    const res = await cut('1.0.0');
    expect(res.body).toMatchObject({ state: 'failed', errorCode: 'incomplete-items', itemCount: 0 });
    expect(res.body.errorDetails.items).toEqual([{ uid, problems: [expect.stringContaining('question')] }]);
    expect(await t.sql('SELECT count(*) AS n FROM release_items')).toEqual([{ n: 0 }]);
    expect(readdirSync(dir).flatMap((slug) => readdirSync(join(dir, slug)))).toEqual([]);

    // The refused release never had a snapshot: its version is cut again once the item is fixed.
    await t.sql("UPDATE items SET question = 'fixed' WHERE external_id = 'k2'");
    const again = await cut('1.0.0');
    expect(again.body).toMatchObject({ state: 'published', itemCount: 3 });
    expect((await t.repos.releases.list(datasetId)).map((r) => r.id)).toEqual([again.body.id]);
  });
});
