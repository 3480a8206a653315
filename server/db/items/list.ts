import type { ItemListQuery, ItemSort, ItemSummary } from '../../../schema/item.ts';
import type { Db } from '../connection.ts';
import { statementCache, SUMMARY_COLUMNS, toSummary, type SqlValue, type SummaryRow } from './columns.ts';
import { searchTerms, type SearchHits } from './search.ts';
import {
  ANSWERS_WITHHELD,
  scopeConditions,
  VISIBLE,
  type AnswerScope,
  type ItemScope,
} from './visibility.ts';

export type ItemListFilter = Omit<ItemListQuery, 'sort' | 'page' | 'pageSize'> & {
  sort: ItemSort;
  limit: number;
  offset: number;
  scope: ItemScope;
  /** Search terms match an item's answers only where they are not withheld from the viewer. */
  answers: AnswerScope;
};

/** What each sort means, the same SQL on both engines (`id` breaks ties). */
export const ORDER_BY: Record<ItemSort, string> = {
  updated_desc: 'i.updated_at DESC, i.id DESC',
  updated_asc: 'i.updated_at ASC, i.id ASC',
  created_desc: 'i.created_at DESC, i.id DESC',
  created_asc: 'i.created_at ASC, i.id ASC',
  id_desc: 'i.id DESC',
  id_asc: 'i.id ASC',
};

interface Where {
  sql: string;
  params: Record<string, SqlValue>;
  /** How many conditions the WHERE holds. */
  conditions: number;
}

/** `search`: the items the full-text terms matched, resolved once for both page and count. */
/**
 * How the matched ids of a search join the list. Few: each is looked up by id. Many (`dense`, more
 * than about 1 % of the items): a lookup per id reads a wide item row each (≈ 2–3 µs, 50 ms for 20k
 * matches), so the `+` keeps the id off the primary key and SQLite instead walks the index that serves
 * the sort or the filters, testing ids against the set (a Bloom filter first): the page stops after
 * LIMIT hits, and the count reads only an index.
 */
const DENSE_SHARE = 0.01;
const DENSE_MIN = 300;

function listWhere(f: ItemListFilter, search?: SearchHits, dense = false, hidden = false): Where {
  const conds: string[] = hidden ? [VISIBLE] : [];
  const params: Record<string, SqlValue> = {};
  const equal = (column: string, name: string, value: SqlValue | undefined) => {
    if (value === undefined) return;
    conds.push(`i.${column} = @${name}`);
    params[name] = value;
  };
  equal('dataset_id', 'dataset', f.dataset);
  equal('language', 'language', f.language);
  equal('status', 'status', f.status);
  equal('kind', 'kind', f.kind);
  equal('format', 'format', f.format);
  equal('author_id', 'author', f.author);
  if (f.category !== undefined) {
    // The node or anything under it; a range rather than LIKE so the index on primary_category serves it
    // ('0' is the character after '/').
    conds.push(
      '(i.primary_category = @category OR (i.primary_category > @categoryFrom AND i.primary_category < @categoryTo))',
    );
    params.category = f.category;
    params.categoryFrom = `${f.category}/`;
    params.categoryTo = `${f.category}0`;
  }
  if (f.trials === 'unsolved') {
    // Tried, and no automatically scored answer of the item's latest tried revision was right (migration 022).
    conds.push('i.id IN (SELECT item_id FROM item_trial_summary WHERE scored > 0 AND correct = 0)');
  }
  scopeConditions(f.scope, conds, params);
  if (search !== undefined) {
    conds.push(`${dense ? '+' : ''}i.id IN (SELECT value FROM json_each(@searchIds))`);
    params.searchIds = JSON.stringify(search.ids);
    if (search.answerOnly.length > 0 && f.answers !== null) {
      conds.push(`(+i.id NOT IN (SELECT value FROM json_each(@answerOnly)) OR NOT ${ANSWERS_WITHHELD})`);
      params.answerOnly = JSON.stringify(search.answerOnly);
      params.answerUser = f.answers.userId;
    }
  }
  return { sql: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params, conditions: conds.length };
}

/** The item list: one page of summaries under a filter (and a search), and the total. */
export function listQueries(db: Db, searchIds: (terms: string[], answers: AnswerScope) => SearchHits) {
  const prepared = statementCache(db);
  const lastItemId = db.prepare<[], { n: number }>('SELECT coalesce(max(id), 0) AS n FROM items');

  // One read transaction: whether an import's rows are hidden, the search, the page and the count all see
  // the same moment (an import's final transaction may land between two statements otherwise).
  const hiddenImports = db.prepare<[], number>('SELECT 1 FROM imports WHERE rows_hidden = 1 LIMIT 1').pluck();
  const list = db.transaction((f: ItemListFilter): { items: ItemSummary[]; total: number } => {
    const hidden = hiddenImports.get() !== undefined;
    const terms = searchTerms(f.q).all;
    let matched: SearchHits | undefined;
    if (terms.length > 0) {
      // The index lookups run once here rather than in both the page and the count query.
      matched = searchIds(terms, f.answers);
      if (matched.ids.length === 0) return { items: [], total: 0 };
    } else if (f.q !== undefined && f.q.trim() !== '') {
      return { items: [], total: 0 }; // only characters that fold to nothing
    }
    const dense =
      matched !== undefined && matched.ids.length > Math.max(DENSE_MIN, DENSE_SHARE * lastItemId.get()!.n);
    const where = listWhere(f, matched, dense, hidden);
    const order = ORDER_BY[f.sort];
    // Deferred join: the page of ids comes from the indexes alone; only those rows are then read.
    const rows = prepared(
      `SELECT ${SUMMARY_COLUMNS} FROM (SELECT i.id FROM items i ${where.sql} ORDER BY ${order} LIMIT @limit OFFSET @offset) AS page
       CROSS JOIN items i ON i.id = page.id CROSS JOIN users u ON u.id = i.author_id ORDER BY ${order}`,
    ).all({ ...where.params, limit: f.limit, offset: f.offset }) as SummaryRow[];
    // A search with no other condition counts what it matched; anything else asks SQLite.
    const onlySearch = matched !== undefined && where.conditions === 1;
    const total = onlySearch
      ? matched!.ids.length
      : (prepared(`SELECT count(*) AS n FROM items i ${where.sql}`).get(where.params) as { n: number }).n;
    return { items: rows.map(toSummary), total };
  });

  return {
    /** One page of summaries and the total under the same filter. */
    list: (f: ItemListFilter): { items: ItemSummary[]; total: number } => list(f),
  };
}
