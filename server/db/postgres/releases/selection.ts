import type { AsyncRepository } from '../../async-repository.ts';
import type { SelectionFilter, selectionQueries } from '../../releases/selection.ts';
import type { PgDatabase } from '../database.ts';
import { VISIBLE } from '../imports/provenance.ts';

/** The WHERE of the items a filter selects (alias `i`), its values as $n parameters in `params`. */
function selectionWhere(f: SelectionFilter, params: unknown[]): string {
  const add = (value: unknown) => `$${params.push(value)}`;
  // Never an item an import has not committed yet.
  const conds = [`i.dataset_id = ${add(f.datasetId)}`, VISIBLE];
  const list = (column: string, values: readonly string[]) => {
    if (values.length > 0) conds.push(`${column} = ANY(${add(values)}::text[])`);
  };
  list('i.status', f.statuses);
  list('i.language', f.languages);
  list('i.kind', f.kinds);
  if (f.categories.length > 0) {
    // A category takes the node and everything under it ('0' is the character after '/'), compared bytewise.
    const any = f.categories.map((c) => {
      const at = 'i.primary_category COLLATE "C"';
      return `(${at} = ${add(c)} OR (${at} > ${add(`${c}/`)} AND ${at} < ${add(`${c}0`)}))`;
    });
    conds.push(`(${any.join(' OR ')})`);
  }
  return conds.join(' AND ');
}

/** The columns a frozen item is built from (json columns as their exact text). */
const SNAPSHOT_COLUMNS = `i.id, i.uid, i.language, i.country, i.region, i.kind, i.format, i.question, i.question_en,
  i.reference_answer, i.answer_en, i.accepted_answers::text AS accepted_answers, i.options::text AS options,
  i.correct_index, i.true_false_answer, i.rationale, i.sources::text AS sources, i.primary_category,
  i.secondary_tags::text AS secondary_tags, i.difficulty, i.hazard, i.attack_style, i.expected_behavior, i.notes,
  i.context, i.metadata::text AS metadata, i.origin::text AS origin, i.license, i.split,
  coalesce(v.validations, 0) AS validations, v.agreement, v.resolution`;
const FROM = 'FROM items i LEFT JOIN item_validation v ON v.item_id = i.id';

interface SnapshotRow {
  id: number;
  uid: string;
  language: string;
  country: string | null;
  region: string | null;
  kind: string;
  format: string;
  question: string;
  question_en: string | null;
  reference_answer: string | null;
  answer_en: string | null;
  accepted_answers: string;
  options: string;
  correct_index: number | null;
  true_false_answer: boolean | null;
  rationale: string | null;
  sources: string;
  primary_category: string | null;
  secondary_tags: string;
  difficulty: string | null;
  hazard: string | null;
  attack_style: string | null;
  expected_behavior: string | null;
  notes: string | null;
  context: string | null;
  metadata: string | null;
  origin: string | null;
  license: string | null;
  split: string;
  validations: number;
  agreement: number | null;
  resolution: string | null;
}

/**
 * The agreement as SQLite's snapshot writes it: `max(-1, min(1, agreement))` keeps a REAL in (-1, 1] and gives the
 * INTEGER bound otherwise; json_object writes an integral REAL with '.0'. A non-integral one is written here with
 * the shortest digits that read back to the same number, where SQLite writes up to 17 significant digits: the text
 * may differ in its last digits, the number (and so every release file, built from the parsed snapshot) does not.
 */
export function snapshotAgreement(a: number | null): string {
  if (a === null) return 'null';
  if (a > 1) return '1';
  if (a <= -1) return '-1';
  return Number.isInteger(a) ? a.toFixed(1) : JSON.stringify(a);
}

const s = (v: string | number | null) => JSON.stringify(v);
const json = (v: string | null) => v ?? 'null';

/**
 * A frozen item (ReleaseItem JSON) with the bytes SQLite's json_object gives it (server/db/releases/selection.ts
 * SNAPSHOT_JSON): the same keys in the same order, no spaces, JSON columns as stored.
 */
export function snapshotText(r: SnapshotRow): string {
  const tf = r.true_false_answer === null ? 'null' : String(r.true_false_answer);
  return (
    `{"item":{"language":${s(r.language)},"country":${s(r.country)},"region":${s(r.region)},` +
    `"kind":${s(r.kind)},"format":${s(r.format)},"question":${s(r.question)},"questionEn":${s(r.question_en)},` +
    `"referenceAnswer":${s(r.reference_answer)},"answerEn":${s(r.answer_en)},` +
    `"acceptedAnswers":${r.accepted_answers},"options":${r.options},"correctIndex":${s(r.correct_index)},` +
    `"trueFalseAnswer":${tf},"rationale":${s(r.rationale)},"sources":${r.sources},` +
    `"primaryCategory":${s(r.primary_category)},"secondaryTags":${r.secondary_tags},` +
    `"difficulty":${s(r.difficulty)},"hazard":${s(r.hazard)},"attackStyle":${s(r.attack_style)},` +
    `"expectedBehavior":${s(r.expected_behavior)},"notes":${s(r.notes)},"context":${s(r.context)},` +
    `"metadata":${json(r.metadata)},"origin":${json(r.origin)},"license":${s(r.license)},"uid":${s(r.uid)},` +
    `"split":${s(r.split)}},"annotation":{"validations":${r.validations},` +
    `"agreement":${snapshotAgreement(r.agreement)},"resolution":${s(r.resolution)}}}`
  );
}

/** Rows frozen per batch by insertSnapshot (read through a cursor, written with one INSERT each). */
const BATCH = 1000;

/**
 * The items a release's filter selects, on PostgreSQL (server/db/releases/selection.ts): frozen into its snapshot,
 * paged, counted, and their own licences. uid order is SQLite's (bytewise: COLLATE "C").
 */
export function pgSelectionQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof selectionQueries>> {
  const stage = (releaseId: number, rows: SnapshotRow[]) =>
    db.execute(
      `INSERT INTO release_items (release_id, uid, language, item_id, snapshot)
       SELECT $1, r.uid, r.language, r.item_id, r.snapshot
       FROM ROWS FROM (json_to_recordset($2::json) AS (uid text, language text, item_id bigint, snapshot text))
         WITH ORDINALITY AS r(uid, language, item_id, snapshot, n)
       ORDER BY r.n`,
      [
        releaseId,
        JSON.stringify(
          rows.map((r) => ({ uid: r.uid, language: r.language, item_id: r.id, snapshot: snapshotText(r) })),
        ),
      ],
    );

  return {
    // SQLite freezes the selection in one INSERT … SELECT; here the selection is read once through a cursor in one
    // transaction (one consistent moment) and written a batch at a time, the JSON built as SQLite builds it.
    insertSnapshot: (releaseId, f) =>
      db.transaction(async () => {
        const params: unknown[] = [];
        const where = selectionWhere(f, params);
        let n = 0;
        for await (const rows of db.cursor<SnapshotRow>(
          `SELECT ${SNAPSHOT_COLUMNS} ${FROM} WHERE ${where} ORDER BY i.uid COLLATE "C"`,
          params,
          BATCH,
        )) {
          n += await stage(releaseId, rows);
        }
        return n;
      }),
    selectionPage: async (f, afterUid, limit) => {
      const params: unknown[] = [];
      const where = selectionWhere(f, params);
      const rows = await db.query<SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} ${FROM}
         WHERE ${where} AND i.uid COLLATE "C" > $${params.push(afterUid)}
         ORDER BY i.uid COLLATE "C" LIMIT $${params.push(limit)}`,
        params,
      );
      return rows.map((r) => ({ uid: r.uid, language: r.language, itemId: r.id, snapshot: snapshotText(r) }));
    },
    selects: async (f) => {
      const params: unknown[] = [];
      const where = selectionWhere(f, params);
      return (
        await db.query<{ e: boolean }>(`SELECT EXISTS (SELECT 1 FROM items i WHERE ${where}) AS e`, params)
      )[0].e;
    },
    selectionLicenses: async (f) => {
      const params: unknown[] = [];
      const where = selectionWhere(f, params);
      return (
        await db.query<{ license: string }>(
          `SELECT DISTINCT i.license COLLATE "C" AS license FROM items i
           WHERE ${where} AND i.license IS NOT NULL ORDER BY 1`,
          params,
        )
      ).map((r) => r.license);
    },
    countSelection: async (f) => {
      const params: unknown[] = [];
      const where = selectionWhere(f, params);
      return db.query<{ language: string; category: string; n: number }>(
        `SELECT * FROM (SELECT i.language, CASE WHEN i.kind = 'safety' THEN 'safety:' || coalesce(i.hazard, '')
             ELSE coalesce(i.primary_category, '') END AS category, count(*) AS n
           FROM items i WHERE ${where} GROUP BY 1, 2) c
         ORDER BY language COLLATE "C", category COLLATE "C"`,
        params,
      );
    },
  };
}
