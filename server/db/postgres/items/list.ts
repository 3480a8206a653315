import type { ItemSummary } from '../../../../schema/item.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../../items/columns.ts';
import { type ItemListFilter, ORDER_BY } from '../../items/list.ts';
import { searchTerms } from '../../items/search.ts';
import type { PgDatabase } from '../database.ts';
import { searchMatches } from './search.ts';
import { Params, scopeConditions, VISIBLE } from './sql.ts';

/** The WHERE clause of a list, and the `matched` CTE its search conditions read (if any). */
function listWhere(
  f: ItemListFilter,
  terms: string[],
  hidden: boolean,
  params: Params,
): { with: string; where: string } {
  const conds: string[] = hidden ? [VISIBLE] : [];
  const equal = (column: string, value: string | number | undefined) => {
    if (value !== undefined) conds.push(`i.${column} = ${params.add(value)}`);
  };
  equal('dataset_id', f.dataset);
  equal('language', f.language);
  equal('status', f.status);
  equal('kind', f.kind);
  equal('format', f.format);
  equal('author_id', f.author);
  if (f.category !== undefined) {
    // The node or anything under it: a range in the column's "C" collation ('0' is the byte after '/'),
    // which items_by_dataset_category serves.
    const node = params.add(f.category);
    conds.push(
      `(i.primary_category = ${node} OR (i.primary_category > ${params.add(`${f.category}/`)}
        AND i.primary_category < ${params.add(`${f.category}0`)}))`,
    );
  }
  if (f.trials === 'unsolved') {
    conds.push('i.id IN (SELECT item_id FROM item_trial_summary WHERE scored > 0 AND correct = 0)');
  }
  scopeConditions(f.scope, conds, params);
  const matches = terms.length > 0 ? searchMatches(terms, f.answers, conds, params) : '';
  return { with: matches, where: conds.length ? `WHERE ${conds.join(' AND ')}` : '' };
}

/** The item list: one page of summaries under a filter (and a search), and the total. */
export function pgListQueries(db: PgDatabase) {
  return {
    /**
     * One page of summaries and the total under the same filter, read from one snapshot (REPEATABLE READ):
     * an import made visible between the page and the count cannot make them disagree.
     */
    list: (f: ItemListFilter): Promise<{ items: ItemSummary[]; total: number }> =>
      db.transaction(
        async () => {
          const terms = searchTerms(f.q).all;
          // Only characters that fold to nothing: nothing matches.
          if (terms.length === 0 && f.q !== undefined && f.q.trim() !== '') return { items: [], total: 0 };
          const hidden = (await db.query('SELECT 1 FROM imports WHERE rows_hidden LIMIT 1')).length > 0;
          const params = new Params();
          const { with: matched, where } = listWhere(f, terms, hidden, params);
          // SQLite's ORDER_BY; each sort is served by a B-tree read in order: items_by_updated / items_by_created
          // (updated_at or created_at, id) with no filter, their dataset_id or language variants under those
          // filters, and the primary key for the id sorts.
          const order = ORDER_BY[f.sort];
          const rows = await db.query<SummaryRow>(
            `${matched} SELECT ${SUMMARY_COLUMNS} FROM items i JOIN users u ON u.id = i.author_id ${where}
             ORDER BY ${order} LIMIT ${params.add(f.limit)} OFFSET ${params.add(f.offset)}`,
            params.values,
          );
          const [count] = await db.query<{ n: number }>(
            `${matched} SELECT count(*) AS n FROM items i ${where}`,
            params.values.slice(0, -2),
          );
          return { items: rows.map(toSummary), total: count.n };
        },
        { isolation: 'repeatable read' },
      ),
  };
}
