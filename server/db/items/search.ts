import type { ItemSummary } from '../../../schema/item.ts';
import { foldForSearch } from '../../text-normalize.ts';
import type { Db } from '../connection.ts';
import { shortTermKey } from '../text-index.ts';
import {
  statementCache,
  SUMMARY_COLUMNS,
  toSummary,
  type ItemRow,
  type SqlValue,
  type SummaryRow,
} from './columns.ts';
import {
  ANSWERS_WITHHELD,
  scopeConditions,
  VISIBLE,
  type AnswerScope,
  type ItemScope,
} from './visibility.ts';

/** An item's searchable fields as both engines read them (options and accepted answers as JSON text). */
export type SearchableRow = Pick<
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
>;

export const toSearchableText = (r: SearchableRow, answersWithheld: boolean): SearchableText => ({
  id: r.id,
  question: r.question,
  questionEn: r.question_en,
  options: JSON.parse(r.options) as string[],
  notes: r.notes,
  referenceAnswer: r.reference_answer,
  answerEn: r.answer_en,
  acceptedAnswers: JSON.parse(r.accepted_answers) as string[],
  rationale: r.rationale,
  answersWithheld,
});

export interface SimilarCandidatesFilter {
  datasetId: number;
  language: string;
  /** Trigrams of the question being written; candidates share at least one. */
  trigrams: string[];
  excludeId?: number;
  scope: ItemScope;
  limit: number;
}

/** Columns of the search indexes by side: answer-side text is withheld from validators. */
const FTS_QUESTION_SIDE = '{question question_more}';
const FTS_ANSWER_SIDE = '{answers}';
const SHORT_QUESTION_SIDE = '{question_keys}';
const SHORT_ANSWER_SIDE = '{answer_keys}';

/** The raw text of the searchable fields of some items, for showing where a search matched. */
export interface SearchableText {
  id: number;
  question: string;
  questionEn: string | null;
  options: string[];
  notes: string | null;
  referenceAnswer: string | null;
  answerEn: string | null;
  acceptedAnswers: string[];
  rationale: string | null;
  /** Whether the answers of this item are withheld from the viewer (its answer side must not show). */
  answersWithheld: boolean;
}

/** An FTS5 string literal: whatever the user typed is matched as text, never parsed as query syntax. */
const ftsPhrase = (s: string) => `"${s.replace(/"/g, '""')}"`;
/** The trigram tokenizer cannot match fewer than three characters. */
const TRIGRAM = 3;

/**
 * The query's terms, folded as the index text is (foldForSearch), split by what serves each: three or
 * more characters the trigram index, one or two the short-term index. Whitespace and control
 * characters separate terms; a term that folds to nothing (a lone haraka) is dropped.
 */
export function searchTerms(q: string | undefined) {
  const terms = [
    ...new Set(
      (q ?? '')
        .split(/[\s\p{Cc}]+/u)
        .map(foldForSearch)
        .flatMap((t) => t.split(/\s+/u))
        .filter(Boolean),
    ),
  ];
  const length = (t: string) => [...t].length;
  return {
    all: terms,
    long: terms.filter((t) => length(t) >= TRIGRAM),
    short: terms.filter((t) => length(t) < TRIGRAM),
  };
}

/**
 * The items a search matched: `ids` every term matches somewhere; `answerOnly`, among them, those
 * matched only through their answers, which count only where the answers are not withheld from the
 * viewer (checked in the list's SQL, on the rows its other conditions leave, from an index mostly).
 */
export interface SearchHits {
  ids: number[];
  answerOnly: number[];
}

/**
 * Searching items: which items a search's terms match (for the list), their searchable text and whether their
 * answers are withheld (for showing where a search matched), and near-duplicates of a question being written.
 */
export function searchQueries(db: Db) {
  const prepared = statementCache(db);
  // Search (migration 012). The indexes hold every item except those queued in items_search_pending,
  // whose folded text (items_search_text, always current) is scanned instead: exact results, and a
  // request never indexes anything. The catch-up (catchUpSearchIndex) empties the queue in batches.
  // Ids come back plucked: building a row object per match cost more than the index lookup itself.
  const indexIds = (index: 'items_fts' | 'items_fts_short') =>
    db.prepare<[string], number>(`SELECT rowid FROM ${index} WHERE ${index} MATCH ?`).pluck();
  const indexes = { long: indexIds('items_fts'), short: indexIds('items_fts_short') };
  const queued = db.prepare<[], number>('SELECT item_id FROM items_search_pending').pluck();
  const scanQueued = (where: string) =>
    db
      .prepare<{ term: string }, number>(
        `SELECT p.item_id FROM items_search_pending p CROSS JOIN items_search_text s ON s.item_id = p.item_id
         WHERE ${where}`,
      )
      .pluck();
  const inQuestion = 'instr(s.question, @term) > 0 OR instr(s.question_more, @term) > 0';
  const inAnswers = 'instr(s.answers, @term) > 0';
  const scans = {
    question: scanQueued(inQuestion),
    answer: scanQueued(inAnswers),
    any: scanQueued(`${inQuestion} OR ${inAnswers}`),
  };
  /** The items a folded term matches on one side: the index for those not queued, a scan for the rest. */
  const termIds = (term: string, side: 'question' | 'answer' | 'any', pending: Set<number>): number[] => {
    const long = [...term].length >= TRIGRAM;
    const columns = long
      ? { question: FTS_QUESTION_SIDE, answer: FTS_ANSWER_SIDE, any: '' }[side]
      : { question: SHORT_QUESTION_SIDE, answer: SHORT_ANSWER_SIDE, any: '' }[side];
    const phrase = ftsPhrase(long ? term : shortTermKey(term));
    const ids = (long ? indexes.long : indexes.short).all(columns ? `${columns} : ${phrase}` : phrase);
    if (pending.size === 0) return ids;
    return [...ids.filter((id) => !pending.has(id)), ...scans[side].all({ term })];
  };

  const withheldAmong = db.prepare<{ ids: string; answerUser: number }, { id: number }>(
    `SELECT i.id FROM json_each(@ids) AS c CROSS JOIN items i ON i.id = c.value WHERE ${ANSWERS_WITHHELD}`,
  );
  const withheldOne = db.prepare<{ id: number; answerUser: number }, { withheld: number }>(
    `SELECT ${ANSWERS_WITHHELD} AS withheld FROM items i WHERE i.id = @id`,
  );
  const searchableRows = db.prepare<[string], SearchableRow>(
    `SELECT i.id, i.question, i.question_en, i.options, i.notes, i.reference_answer, i.answer_en,
       i.accepted_answers, i.rationale
     FROM json_each(?) AS c CROSS JOIN items i ON i.id = c.value ORDER BY c.key`,
  );

  /**
   * The items every full-text term matches. Under an AnswerScope a term may match an item's answers
   * only where they are not withheld: an item is found if every term matches its question side, or
   * if every term matches somewhere and its answers are not withheld from the viewer.
   */
  const searchIds = (terms: string[], answers: AnswerScope): SearchHits => {
    const pending = new Set(queued.all());
    const intersect = (sets: number[][]) =>
      sets.reduce((acc, ids) => {
        const keep = new Set(ids);
        return acc.filter((id) => keep.has(id));
      });
    if (answers === null)
      return { ids: intersect(terms.map((t) => termIds(t, 'any', pending))), answerOnly: [] };
    const sides = terms.map((t) => ({
      question: termIds(t, 'question', pending),
      answer: termIds(t, 'answer', pending),
    }));
    const questionMatched = new Set(intersect(sides.map((s) => s.question)));
    const anywhere = intersect(sides.map((s) => [...new Set([...s.question, ...s.answer])]));
    return { ids: anywhere, answerOnly: anywhere.filter((id) => !questionMatched.has(id)) };
  };

  return {
    /** The items a search's folded terms match (see SearchHits), for the list. */
    searchIds,

    /** Whether the answers of item `id` are withheld from the viewer (see ANSWERS_WITHHELD). */
    answersWithheld: (id: number, answers: AnswerScope): boolean =>
      answers !== null && withheldOne.get({ id, answerUser: answers.userId })?.withheld === 1,

    /** The searchable text of items `ids`, in that order, and whether their answers are withheld. */
    searchableText: (ids: number[], answers: AnswerScope): SearchableText[] => {
      if (ids.length === 0) return [];
      const withheld =
        answers === null
          ? new Set<number>()
          : new Set(
              withheldAmong.all({ ids: JSON.stringify(ids), answerUser: answers.userId }).map((r) => r.id),
            );
      return searchableRows.all(JSON.stringify(ids)).map((r) => toSearchableText(r, withheld.has(r.id)));
    },

    /** Items of one dataset and language sharing trigrams with a question, best full-text rank first. */
    similarCandidates: (f: SimilarCandidatesFilter): ItemSummary[] => {
      // The question's trigrams, folded as the index is; near-duplicates are a hint, so items edited
      // since the last catch-up are matched by the text the index holds.
      const trigrams = [...new Set(f.trigrams.map(foldForSearch))].filter((t) => [...t].length >= TRIGRAM);
      if (trigrams.length === 0) return [];
      const conds = ['items_fts MATCH @match', 'i.dataset_id = @dataset', 'i.language = @language', VISIBLE];
      const params: Record<string, SqlValue> = {
        match: `question : (${trigrams.map(ftsPhrase).join(' OR ')})`,
        dataset: f.datasetId,
        language: f.language,
        limit: f.limit,
      };
      if (f.excludeId !== undefined) {
        conds.push('i.id <> @exclude');
        params.exclude = f.excludeId;
      }
      scopeConditions(f.scope, conds, params);
      const rows = prepared(
        `SELECT ${SUMMARY_COLUMNS} FROM items_fts JOIN items i ON i.id = items_fts.rowid
         JOIN users u ON u.id = i.author_id WHERE ${conds.join(' AND ')} ORDER BY items_fts.rank LIMIT @limit`,
      ).all(params) as SummaryRow[];
      return rows.map(toSummary);
    },
  };
}
