import type { ItemStatus } from '../../../schema/item.ts';
import type { ReleaseFilter } from '../../../schema/release.ts';
import type { Db } from '../connection.ts';
import { VISIBLE } from '../items/visibility.ts';

type SqlValue = string | number | null;

export interface SelectionFilter extends ReleaseFilter {
  datasetId: number;
  statuses: readonly ItemStatus[];
}

function selectionWhere(f: SelectionFilter): { sql: string; params: Record<string, SqlValue> } {
  const params: Record<string, SqlValue> = { dataset: f.datasetId };
  // Never an item an import has not committed yet (migration 016).
  const conds = ['i.dataset_id = @dataset', VISIBLE];
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

/**
 * The snapshot of one item (a ReleaseItem as JSON: its authored fields, stable id and annotation summary),
 * built by SQLite from the items row and its item_validation row (the same figures as the validation
 * repository's validationSummary: no row means no validations yet; agreement clamped to [-1, 1]).
 */
const SNAPSHOT_JSON = `json_object(
  'item', json_object(
    'language', i.language, 'country', i.country, 'region', i.region, 'kind', i.kind, 'format', i.format,
    'question', i.question, 'questionEn', i.question_en, 'referenceAnswer', i.reference_answer,
    'answerEn', i.answer_en, 'acceptedAnswers', json(i.accepted_answers), 'options', json(i.options),
    'correctIndex', i.correct_index,
    'trueFalseAnswer', CASE WHEN i.true_false_answer IS NULL THEN NULL
      WHEN i.true_false_answer = 1 THEN json('true') ELSE json('false') END,
    'rationale', i.rationale, 'sources', json(i.sources), 'primaryCategory', i.primary_category,
    'secondaryTags', json(i.secondary_tags), 'difficulty', i.difficulty, 'hazard', i.hazard,
    'attackStyle', i.attack_style, 'expectedBehavior', i.expected_behavior, 'notes', i.notes,
    'context', i.context, 'metadata', json(i.metadata), 'origin', json(i.origin), 'license', i.license,
    'uid', i.uid, 'split', i.split),
  'annotation', json_object(
    'validations', coalesce(v.validations, 0), 'agreement', max(-1, min(1, v.agreement)),
    'resolution', v.resolution))`;

/** The items a release's filter selects: frozen into its snapshot, paged, counted, and their own licences. */
export function selectionQueries(db: Db) {
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

  return {
    /**
     * Freezes every item a filter selects into the release's snapshot, in one statement (SQLite builds
     * the JSON; nothing passes through JavaScript). Returns how many items it took.
     */
    insertSnapshot: (releaseId: number, f: SelectionFilter): number => {
      const where = selectionWhere(f);
      // The filter terms get a unary + so that SQLite walks the uid index (rows in uid order, no sort).
      return prepared(
        `INSERT INTO release_items (release_id, uid, language, item_id, snapshot)
         SELECT @release, i.uid, i.language, i.id, ${SNAPSHOT_JSON}
         FROM items i LEFT JOIN item_validation v ON v.item_id = i.id
         WHERE ${where.sql.replace(/\bi\.(dataset_id|status|language|kind) /g, '+i.$1 ')}
         ORDER BY i.uid`,
      ).run({ ...where.params, release: releaseId }).changes;
    },
    /**
     * One page (in uid order, after `afterUid`) of the items a filter selects, frozen as ReleaseItem JSON by
     * SQLite. Read inside one read transaction, the pages are one consistent snapshot.
     */
    selectionPage: (
      f: SelectionFilter,
      afterUid: string,
      limit: number,
    ): { uid: string; language: string; itemId: number; snapshot: string }[] => {
      const where = selectionWhere(f);
      return prepared(
        `SELECT i.uid, i.language, i.id AS itemId, ${SNAPSHOT_JSON} AS snapshot
         FROM items i LEFT JOIN item_validation v ON v.item_id = i.id
         WHERE ${where.sql.replace(/\bi\.(dataset_id|status|language|kind) /g, '+i.$1 ')} AND i.uid > @after
         ORDER BY i.uid LIMIT @limit`,
      ).all({ ...where.params, after: afterUid, limit }) as {
        uid: string;
        language: string;
        itemId: number;
        snapshot: string;
      }[];
    },
    /** Whether a filter selects any item. */
    selects: (f: SelectionFilter): boolean => {
      const where = selectionWhere(f);
      const row = prepared(`SELECT EXISTS (SELECT 1 FROM items i WHERE ${where.sql}) AS e`).get(where.params);
      return (row as { e: number }).e === 1;
    },
    /** The licences items a filter selects carry of their own (imported sources'), sorted. */
    selectionLicenses: (f: SelectionFilter): string[] => {
      const where = selectionWhere(f);
      return (
        prepared(
          `SELECT DISTINCT i.license FROM items i WHERE ${where.sql} AND i.license IS NOT NULL ORDER BY 1`,
        ).all(where.params) as { license: string }[]
      ).map((r) => r.license);
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
  };
}
