import type { ItemSummary } from '../../../../schema/item.ts';
import { foldForSearch } from '../../../text-normalize.ts';
import { SUMMARY_COLUMNS, toSummary, type ItemRow, type SummaryRow } from '../../items/columns.ts';
import type { SearchableText, SimilarCandidatesFilter } from '../../items/search.ts';
import type { AnswerScope } from '../../items/visibility.ts';
import type { PgDatabase } from '../database.ts';
import { answersWithheld, Params, scopeConditions, VISIBLE } from './sql.ts';

/** The trigram tokenizer of SQLite's index matches three characters or more; similarCandidates keeps that rule. */
const TRIGRAM = 3;

/** A LIKE pattern matching `term` anywhere, every character of it literal. */
export const containing = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The conditions (alias `i`) that keep the items every folded term matches. A term matches an item's
 * folded text anywhere (LIKE on items_search_text, which its pg_trgm GIN indexes serve); under an
 * AnswerScope a term may match the answer side only where the answers are not withheld from the viewer:
 * an item is found if every term matches its question side, or if every term matches somewhere and its
 * answers are not withheld (the rule of the SQLite repository's searchIds).
 */
export function searchConditions(terms: string[], answers: AnswerScope, conds: string[], params: Params) {
  const patterns = terms.map((t) => params.add(containing(t)));
  const questionSide = (p: string) => `s.question LIKE ${p} OR s.question_more LIKE ${p}`;
  const anywhere = patterns.map((p) => `(${questionSide(p)} OR s.answers LIKE ${p})`).join(' AND ');
  conds.push(`i.id IN (SELECT s.item_id FROM items_search_text s WHERE ${anywhere})`);
  if (answers === null) return;
  const inQuestions = patterns.map((p) => `(${questionSide(p)})`).join(' AND ');
  conds.push(
    `(NOT ${answersWithheld(params.add(answers.userId))}
      OR i.id IN (SELECT s.item_id FROM items_search_text s WHERE ${inQuestions}))`,
  );
}

type SearchableRow = Pick<
  ItemRow,
  | 'id'
  | 'question'
  | 'question_en'
  | 'options'
  | 'notes'
  | 'reference_answer'
  | 'answer_en'
  | 'accepted_answers'
  | 'rationale'
> & { withheld: boolean };

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
      const rows = await db.query<SearchableRow>(
        `SELECT i.id, i.question, i.question_en, i.options::text AS options, i.notes, i.reference_answer,
           i.answer_en, i.accepted_answers::text AS accepted_answers, i.rationale, ${withheld} AS withheld
         FROM unnest(${list}::bigint[]) WITH ORDINALITY AS c (id, n) JOIN items i ON i.id = c.id ORDER BY c.n`,
        params.values,
      );
      return rows.map((r) => ({
        id: r.id,
        question: r.question,
        questionEn: r.question_en,
        options: JSON.parse(r.options) as string[],
        notes: r.notes,
        referenceAnswer: r.reference_answer,
        answerEn: r.answer_en,
        acceptedAnswers: JSON.parse(r.accepted_answers) as string[],
        rationale: r.rationale,
        answersWithheld: r.withheld,
      }));
    },

    /**
     * Items of one dataset and language whose question shares trigrams with the one being written, those
     * sharing the most first (then by id). SQLite orders by FTS5's bm25 rank instead; the caller re-ranks
     * the candidates by their own similarity, so only which ones make the limit may differ.
     */
    similarCandidates: async (f: SimilarCandidatesFilter): Promise<ItemSummary[]> => {
      const trigrams = [...new Set(f.trigrams.map(foldForSearch))].filter((t) => [...t].length >= TRIGRAM);
      if (trigrams.length === 0) return [];
      const params = new Params();
      const patterns = params.add(trigrams.map(containing));
      const conds = [
        `s.question LIKE ANY (${patterns}::text[])`,
        `i.dataset_id = ${params.add(f.datasetId)}`,
        `i.language = ${params.add(f.language)}`,
        VISIBLE,
      ];
      if (f.excludeId !== undefined) conds.push(`i.id <> ${params.add(f.excludeId)}`);
      scopeConditions(f.scope, conds, params);
      const rows = await db.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM items_search_text s JOIN items i ON i.id = s.item_id
         JOIN users u ON u.id = i.author_id WHERE ${conds.join(' AND ')}
         ORDER BY (SELECT count(*) FROM unnest(${patterns}::text[]) AS p (pattern) WHERE s.question LIKE p.pattern) DESC,
           i.id LIMIT ${params.add(f.limit)}`,
        params.values,
      );
      return rows.map(toSummary);
    },
  };
}
