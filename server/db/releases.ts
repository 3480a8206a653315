import type { ItemStatus } from '../../schema/item.ts';
import type {
  Release,
  ReleaseCounts,
  ReleaseFileEntry,
  ReleaseFilter,
  ReleaseItem,
  ReleaseItemFields,
  ReleaseSnapshot,
} from '../../schema/release.ts';
import type { Db } from './connection.ts';

type SqlValue = string | number | null;

interface ReleaseRow {
  id: number;
  dataset_id: number;
  version: string;
  title: string;
  notes: string;
  filter: string;
  dataset_meta: string;
  released_at: string;
  previous_version: string | null;
  item_count: number;
  counts: string;
  state: Release['state'];
  files: string;
  archive_name: string | null;
  archive_size: number | null;
  archive_sha256: string | null;
  error: string | null;
  created_by: number;
  created_at: string;
  published_at: string | null;
}

const toRelease = (r: ReleaseRow): Release => {
  const meta = JSON.parse(r.dataset_meta) as ReleaseSnapshot['dataset'];
  return {
    id: r.id,
    datasetId: r.dataset_id,
    version: r.version,
    title: r.title,
    notes: r.notes,
    filter: JSON.parse(r.filter) as ReleaseFilter,
    license: meta.license,
    url: meta.url,
    releasedAt: r.released_at,
    previousVersion: r.previous_version,
    itemCount: r.item_count,
    counts: JSON.parse(r.counts) as ReleaseCounts,
    state: r.state,
    files: JSON.parse(r.files) as ReleaseFileEntry[],
    archive:
      r.archive_name === null
        ? null
        : { name: r.archive_name, size: r.archive_size ?? 0, sha256: r.archive_sha256 ?? '' },
    error: r.error,
    createdBy: r.created_by,
    createdAt: r.created_at,
    publishedAt: r.published_at,
  };
};

/** An item as a release takes it: the columns a snapshot freezes. */
interface ItemColumns {
  id: number;
  uid: string;
  language: string;
  country: string | null;
  region: string | null;
  kind: ReleaseItemFields['kind'];
  format: ReleaseItemFields['format'];
  question: string;
  question_en: string | null;
  reference_answer: string | null;
  answer_en: string | null;
  accepted_answers: string;
  options: string;
  correct_index: number | null;
  true_false_answer: number | null;
  rationale: string | null;
  sources: string;
  primary_category: string | null;
  secondary_tags: string;
  difficulty: ReleaseItemFields['difficulty'];
  hazard: string | null;
  attack_style: string | null;
  expected_behavior: ReleaseItemFields['expectedBehavior'];
  notes: string | null;
}

const toFields = (r: ItemColumns): ReleaseItemFields => ({
  language: r.language,
  country: r.country,
  region: r.region,
  kind: r.kind,
  format: r.format,
  question: r.question,
  questionEn: r.question_en,
  referenceAnswer: r.reference_answer,
  answerEn: r.answer_en,
  acceptedAnswers: JSON.parse(r.accepted_answers) as string[],
  options: JSON.parse(r.options) as string[],
  correctIndex: r.correct_index,
  trueFalseAnswer: r.true_false_answer === null ? null : r.true_false_answer === 1,
  rationale: r.rationale,
  sources: JSON.parse(r.sources) as ReleaseItemFields['sources'],
  primaryCategory: r.primary_category,
  secondaryTags: JSON.parse(r.secondary_tags) as string[],
  difficulty: r.difficulty,
  hazard: r.hazard,
  attackStyle: r.attack_style,
  expectedBehavior: r.expected_behavior,
  notes: r.notes,
  uid: r.uid,
});

export interface NewRelease {
  datasetId: number;
  version: string;
  title: string;
  notes: string;
  filter: ReleaseFilter;
  datasetMeta: ReleaseSnapshot['dataset'];
  releasedAt: string;
  previousId: number | null;
  createdBy: number;
  createdAt: string;
}

export interface SelectionFilter extends ReleaseFilter {
  datasetId: number;
  statuses: readonly ItemStatus[];
}

function selectionWhere(f: SelectionFilter): { sql: string; params: Record<string, SqlValue> } {
  const params: Record<string, SqlValue> = { dataset: f.datasetId };
  const conds = ['i.dataset_id = @dataset'];
  const list = (column: string, name: string, values: readonly string[]) => {
    if (values.length === 0) return;
    conds.push(
      `${column} IN (${values.map((v, n) => ((params[`${name}${n}`] = v), `@${name}${n}`)).join(', ')})`,
    );
  };
  list('i.status', 'status', f.statuses);
  list('i.language', 'language', f.languages);
  list('i.kind', 'kind', f.kinds);
  if (f.categories.length > 0) {
    // A category takes the node and everything under it ('0' is the character after '/').
    const any = f.categories.map((c, n) => {
      params[`cat${n}`] = c;
      params[`catFrom${n}`] = `${c}/`;
      params[`catTo${n}`] = `${c}0`;
      return `(i.primary_category = @cat${n} OR (i.primary_category > @catFrom${n} AND i.primary_category < @catTo${n}))`;
    });
    conds.push(`(${any.join(' OR ')})`);
  }
  return { sql: conds.join(' AND '), params };
}

const ITEM_COLUMNS = `i.id, i.uid, i.language, i.country, i.region, i.kind, i.format, i.question, i.question_en,
  i.reference_answer, i.answer_en, i.accepted_answers, i.options, i.correct_index, i.true_false_answer, i.rationale,
  i.sources, i.primary_category, i.secondary_tags, i.difficulty, i.hazard, i.attack_style, i.expected_behavior, i.notes`;

/** Releases and their frozen snapshots. */
export function createReleaseRepository(db: Db) {
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const prepared = (sql: string) => {
    let s = statements.get(sql);
    if (!s) {
      if (statements.size > 200) statements.clear();
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };

  const SELECT_RELEASE = `SELECT r.*, p.version AS previous_version FROM releases r
    LEFT JOIN releases p ON p.id = r.previous_id`;
  const byId = db.prepare<[number], ReleaseRow>(`${SELECT_RELEASE} WHERE r.id = ?`);
  const byVersion = db.prepare<[number, string], ReleaseRow>(
    `${SELECT_RELEASE} WHERE r.dataset_id = ? AND r.version = ?`,
  );
  const ofDataset = db.prepare<[number], ReleaseRow>(
    `${SELECT_RELEASE} WHERE r.dataset_id = ? ORDER BY r.id DESC`,
  );
  const all = db.prepare<[], ReleaseRow>(`${SELECT_RELEASE} ORDER BY r.id DESC LIMIT 500`);
  const insert = db.prepare(
    `INSERT INTO releases (dataset_id, version, title, notes, filter, dataset_meta, released_at, previous_id,
       item_count, counts, state, created_by, created_at)
     VALUES (@datasetId, @version, @title, @notes, @filter, @datasetMeta, @releasedAt, @previousId, 0, '{}',
       'building', @createdBy, @createdAt)`,
  );
  const setCounts = db.prepare(
    'UPDATE releases SET item_count = @itemCount, counts = @counts WHERE id = @id',
  );
  const setState = db.prepare(
    `UPDATE releases SET state = @state, error = @error WHERE id = @id AND state <> 'published'`,
  );
  const publish = db.prepare(
    `UPDATE releases SET state = 'published', error = NULL, files = @files, archive_name = @archiveName,
       archive_size = @archiveSize, archive_sha256 = @archiveSha256, published_at = @publishedAt
     WHERE id = @id AND state = 'building'`,
  );
  const insertItem = db.prepare(
    'INSERT INTO release_items (release_id, uid, language, item_id, snapshot) VALUES (?, ?, ?, ?, ?)',
  );
  const itemsPage = db.prepare<[number, string, number], { snapshot: string }>(
    'SELECT snapshot FROM release_items WHERE release_id = ? AND uid > ? ORDER BY uid LIMIT ?',
  );

  return {
    get: (id: number): Release | undefined => {
      const r = byId.get(id);
      return r && toRelease(r);
    },
    byVersion: (datasetId: number, version: string): Release | undefined => {
      const r = byVersion.get(datasetId, version);
      return r && toRelease(r);
    },
    list: (datasetId?: number): Release[] =>
      (datasetId === undefined ? all.all() : ofDataset.all(datasetId)).map(toRelease),
    datasetMeta: (id: number): ReleaseSnapshot['dataset'] =>
      JSON.parse(
        db.prepare<[number], { m: string }>('SELECT dataset_meta AS m FROM releases WHERE id = ?').get(id)!.m,
      ) as ReleaseSnapshot['dataset'],

    insert: (r: NewRelease): number =>
      Number(
        insert.run({ ...r, filter: JSON.stringify(r.filter), datasetMeta: JSON.stringify(r.datasetMeta) })
          .lastInsertRowid,
      ),
    setCounts: (id: number, itemCount: number, counts: ReleaseCounts): void => {
      setCounts.run({ id, itemCount, counts: JSON.stringify(counts) });
    },
    /** building ↔ failed; a published release never changes (the database refuses it too). */
    setState: (id: number, state: 'building' | 'failed', error: string | null = null): boolean =>
      setState.run({ id, state, error }).changes === 1,
    publish: (
      id: number,
      p: {
        files: ReleaseFileEntry[];
        archiveName: string;
        archiveSize: number;
        archiveSha256: string;
        publishedAt: string;
      },
    ): boolean => publish.run({ id, ...p, files: JSON.stringify(p.files) }).changes === 1,

    /** One page of the items a filter selects, in uid order, after `afterUid`. */
    selectItems: (
      f: SelectionFilter,
      afterUid: string,
      limit: number,
    ): (ReleaseItemFields & { id: number })[] => {
      const where = selectionWhere(f);
      // The filter terms get a unary + so that SQLite walks the uid index (pages in uid order, no sort)
      // instead of sorting every matching item again for each page.
      const rows = prepared(
        `SELECT ${ITEM_COLUMNS} FROM items i WHERE ${where.sql.replace(/\bi\.(dataset_id|status|language|kind) /g, '+i.$1 ')}
         AND i.uid > @after ORDER BY i.uid LIMIT @limit`,
      ).all({ ...where.params, after: afterUid, limit }) as ItemColumns[];
      return rows.map((r) => ({ ...toFields(r), id: r.id }));
    },
    /** How many items a filter selects per language and category. */
    countSelection: (f: SelectionFilter): { language: string; category: string; n: number }[] => {
      const where = selectionWhere(f);
      return prepared(
        `SELECT i.language, CASE WHEN i.kind = 'safety' THEN 'safety:' || coalesce(i.hazard, '') ELSE coalesce(i.primary_category, '') END AS category,
           count(*) AS n
         FROM items i WHERE ${where.sql} GROUP BY 1, 2`,
      ).all(where.params) as { language: string; category: string; n: number }[];
    },
    insertItem: (releaseId: number, itemId: number, item: ReleaseItem): void => {
      insertItem.run(releaseId, item.item.uid, item.item.language, itemId, JSON.stringify(item));
    },
    /** One page of a release's snapshot in uid order, after `afterUid`. */
    snapshotPage: (releaseId: number, afterUid: string, limit: number): ReleaseItem[] =>
      itemsPage.all(releaseId, afterUid, limit).map((r) => JSON.parse(r.snapshot) as ReleaseItem),
  };
}
export type ReleaseRepository = ReturnType<typeof createReleaseRepository>;
