import { type Item, type ItemFieldName, type SearchField, searchFields } from '../../../../schema/item.ts';
import { searchText } from '../../text-index.ts';

/** The fields search reads (as SQLite's search triggers read them): the API's search fields. */
export const SEARCH_FIELDS = new Set<ItemFieldName>(searchFields);
export type SearchFields = Pick<Item, SearchField>;

/** A list field as SQLite's triggers join it (group_concat over json_each): one field, or none when empty. */
const joined = (values: string[]) => (values.length === 0 ? null : values.join('\n'));

const WHITESPACE = /\s/u;

/**
 * Every one- and two-character substring of the whitespace-separated chunks of folded texts: a term of one
 * or two characters (never whitespace) occurs in the text exactly when it is one of these keys.
 */
export function shortTermKeys(...texts: string[]): string[] {
  const keys = new Set<string>();
  for (const text of texts) {
    let previous = '';
    for (const c of text) {
      if (WHITESPACE.test(c)) {
        previous = '';
        continue;
      }
      keys.add(c);
      if (previous !== '') keys.add(previous + c);
      previous = c;
    }
  }
  return [...keys];
}

/** Every three-character window of a folded text (what SQLite's trigram tokenizer indexes). */
export function textTrigrams(text: string): string[] {
  const chars = [...text];
  const out = new Set<string>();
  for (let k = 0; k + 3 <= chars.length; k++) out.add(chars[k] + chars[k + 1] + chars[k + 2]);
  return [...out];
}

/** The columns of items_search_text besides item_id, in the order searchRow gives their values. */
export const SEARCH_COLUMNS = [
  'question',
  'question_more',
  'answers',
  'question_keys',
  'answer_keys',
  'question_trigrams',
];

/**
 * An item's row of items_search_text (SEARCH_COLUMNS): the folded text of its two sides, as SQLite's
 * items_search_text holds it, their short-term keys, and the question's trigrams.
 */
export function searchRow(f: SearchFields): [string, string, string, string[], string[], string[]] {
  const question = searchText(f.question);
  const questionMore = searchText(f.questionEn, joined(f.options), f.notes);
  const answers = searchText(f.referenceAnswer, f.answerEn, joined(f.acceptedAnswers), f.rationale);
  return [
    question,
    questionMore,
    answers,
    shortTermKeys(question, questionMore),
    shortTermKeys(answers),
    textTrigrams(question),
  ];
}
