import type { ItemSummary } from '../../../../schema/item.ts';
import { foldForSearch } from '../../../text-normalize.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../../items/columns.ts';
import {
  type SearchableRow,
  type SearchableText,
  type SimilarCandidatesFilter,
  toSearchableText,
} from '../../items/search.ts';
import type { AnswerScope } from '../../items/visibility.ts';
import type { PgDatabase } from '../database.ts';
import { answersWithheld, Params, scopeConditions, VISIBLE } from './sql.ts';

/** pg_trgm (like SQLite's trigram tokenizer) narrows terms of three characters or more. */
const TRIGRAM = 3;

/** A LIKE pattern matching `term` anywhere, every character of it literal. */
export const containing = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The condition (alias `s`, a row of items_search_text) that a folded term occurs on one side of an item:
 * three characters or more, LIKE on the folded text (its pg_trgm indexes); one or two, a short-term key of
 * that side (its array's GIN index). Both are exact: what a substring search of the folded text finds.
 */
function termOn(term: string, side: 'question' | 'any', params: Params): string {
  if ([...term].length >= TRIGRAM) {
    const p = params.add(containing(term));
    const question = `s.question LIKE ${p} OR s.question_more LIKE ${p}`;
    return side === 'question' ? `(${question})` : `(${question} OR s.answers LIKE ${p})`;
  }
  const p = params.add([term]);
  const question = `s.question_keys @> ${p}::text[]`;
  return side === 'question' ? `(${question})` : `(${question} OR s.answer_keys @> ${p}::text[])`;
}

/**
 * The items every folded term matches, as a common table expression `matched` (item_id, in_question), and
 * the conditions (alias `i`) that keep them. Under an AnswerScope a term may match the answer side only where
 * the answers are not withheld from the viewer: an item is found if every term matches its question side
 * (in_question), or if every term matches somewhere and its answers are not withheld (the rule of the SQLite
 * repository's searchIds). MATERIALIZED: the matches are read once from the search indexes, as on SQLite,
 * rather than tested row by row along the sort's index, which the planner otherwise picks for frequent terms
 * (270 ms instead of 50 ms for a word in 1 % of 100k items).
 */
export function searchMatches(
  terms: string[],
  answers: AnswerScope,
  conds: string[],
  params: Params,
): string {
  const anywhere = terms.map((t) => termOn(t, 'any', params)).join(' AND ');
  const inQuestion =
    answers === null ? 'true' : terms.map((t) => termOn(t, 'question', params)).join(' AND ');
  conds.push('i.id IN (SELECT item_id FROM matched)');
  if (answers !== null) {
    conds.push(
      `(NOT ${answersWithheld(params.add(answers.userId))}
        OR i.id IN (SELECT item_id FROM matched WHERE in_question))`,
    );
  }
  return `WITH matched AS MATERIALIZED (
    SELECT s.item_id, ${inQuestion} AS in_question FROM items_search_text s WHERE ${anywhere})`;
}

/** Searching items: their searchable text, whether their answers are withheld, and near-duplicate questions. */
export function pgSearchQueries(db: PgDatabase) {
  return {
    /** Whether the answers of item `id` are withheld from the viewer (see ANSWERS_WITHHELD). */
    answersWithheld: async (id: number, answers: AnswerScope): Promise<boolean> => {
      if (answers === null) return false;
      const [row] = await db.query<{ withheld: boolean }>(
        `SELECT ${answersWithheld('$2')} AS withheld FROM items i WHERE i.id = $1`,
        [id, answers.userId],
      );
      return row?.withheld === true;
    },

    /** The searchable text of items `ids`, in that order, and whether their answers are withheld. */
    searchableText: async (ids: number[], answers: AnswerScope): Promise<SearchableText[]> => {
      if (ids.length === 0) return [];
      const params = new Params();
      const list = params.add(ids);
      const withheld = answers === null ? 'false' : answersWithheld(params.add(answers.userId));
      const rows = await db.query<SearchableRow & { withheld: boolean }>(
        `SELECT i.id, i.question, i.question_en, i.options::text AS options, i.notes, i.reference_answer,
           i.answer_en, i.accepted_answers::text AS accepted_answers, i.rationale, ${withheld} AS withheld
         FROM unnest(${list}::bigint[]) WITH ORDINALITY AS c (id, n) JOIN items i ON i.id = c.id ORDER BY c.n`,
        params.values,
      );
      return rows.map((r) => toSearchableText(r, r.withheld));
    },

    /**
     * Items of one dataset and language whose folded question shares trigrams with the one being written
     * (the array of its trigrams and its GIN index), those sharing the most first (then by id). SQLite orders by FTS5's bm25 rank instead; the caller re-ranks
     * the candidates by their own similarity, so only which ones make the limit may differ.
     */
    similarCandidates: async (f: SimilarCandidatesFilter): Promise<ItemSummary[]> => {
      const trigrams = [...new Set(f.trigrams.map(foldForSearch))].filter((t) => [...t].length >= TRIGRAM);
      if (trigrams.length === 0) return [];
      const params = new Params();
      const wanted = params.add(trigrams);
      const conds = [
        `s.question_trigrams && ${wanted}::text[]`,
        `i.dataset_id = ${params.add(f.datasetId)}`,
        `i.language = ${params.add(f.language)}`,
        VISIBLE,
      ];
      if (f.excludeId !== undefined) conds.push(`i.id <> ${params.add(f.excludeId)}`);
      scopeConditions(f.scope, conds, params);
      const rows = await db.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM items_search_text s JOIN items i ON i.id = s.item_id
         JOIN users u ON u.id = i.author_id WHERE ${conds.join(' AND ')}
         ORDER BY (SELECT count(*) FROM unnest(s.question_trigrams) AS t (trigram) WHERE t.trigram = ANY (${wanted}::text[])) DESC,
           i.id LIMIT ${params.add(f.limit)}`,
        params.values,
      );
      return rows.map(toSummary);
    },
  };
}
