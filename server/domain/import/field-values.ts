// The fields of a row whose values are read, not just copied: language and country (tags or names), the answer of
// a multiple-choice item (in the mapping's answer style), a true/false answer, and sources.
import type { ImportMapping } from '../../../schema/import.ts';
import { countryFromName, languageFromName } from './locale-names.ts';
import { quote, type Cell, type RowReader } from './row-reader.ts';

/** A whole number of at most six digits, as a number or as text. */
function integer(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return typeof v === 'string' && /^-?\d{1,6}$/.test(v) ? Number(v) : null;
}

/** A value that looks like a language tag (`ko`, `zh-Hant-TW`), which the item schema then checks, not a name. */
const TAG_LIKE = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/;
/** A value that looks like a country code, which the item schema then checks, not a name. */
const CODE_LIKE = /^[A-Za-z]{2}$/;
/** A value that may be a name ("Korean", "Côte d’Ivoire", "Bosnia & Herzegovina"); anything else is left to the schema. */
const NAME_LIKE = /^\p{L}[\p{L}\p{M} '’().,&-]*$/u;

/**
 * The row's language: a tag as written (the item schema checks it), or the tag of a language name
 * ("Korean" → ko). Undefined when the name is unknown (reported), null when there is none.
 */
export function languageOf(r: RowReader): string | null | undefined {
  const value = r.textOf('language');
  if (value === null || value === '' || TAG_LIKE.test(value) || !NAME_LIKE.test(value)) return value;
  const tag = languageFromName(value);
  if (tag) return tag;
  r.add(
    'language',
    'unknown-language',
    `${quote(value)} is neither a language tag (e.g. ko) nor a language name`,
  );
  return undefined;
}

/** The row's country: a code as written (the schema checks it), or the code of a country name ("South Korea" → KR). */
export function countryOf(r: RowReader): string | null {
  const value = r.textOf('country');
  if (value === null || value === '' || CODE_LIKE.test(value) || !NAME_LIKE.test(value)) return value || null;
  const code = countryFromName(value);
  if (code) return code;
  r.add(
    'country',
    'unknown-country',
    `${quote(value)} is neither an ISO 3166 country code (e.g. KR) nor a country name`,
  );
  return null;
}

/** The index of the correct option, read in the mapping's answer style (index0, index1, letter, option text). */
export function correctIndexOf(
  answer: ImportMapping['answer'],
  cells: Cell[],
  options: readonly string[],
  r: RowReader,
): number | null {
  const [cell] = cells;
  if (!cell) return null;
  const raw = typeof cell.value === 'string' ? cell.value.trim() : cell.value;
  const bad = (why: string) => {
    r.add('correctIndex', 'invalid-answer', why, cell.column);
    return null;
  };
  let index: number | null;
  switch (answer) {
    case 'index0':
    case 'index1': {
      const n = integer(raw);
      if (n === null) return bad(`The answer ${quote(raw)} is not a whole number`);
      index = answer === 'index1' ? n - 1 : n;
      break;
    }
    case 'letter': {
      if (typeof raw !== 'string' || !/^[A-Fa-f]$/.test(raw))
        return bad(`The answer ${quote(raw)} is not a letter A–F`);
      index = raw.toUpperCase().charCodeAt(0) - 65;
      break;
    }
    case 'text': {
      const s = String(raw);
      index = options.indexOf(s);
      if (index < 0) index = options.findIndex((o) => o.trim() === s);
      if (index < 0) return bad(`The answer ${quote(s)} is not one of the options`);
      break;
    }
  }
  if (index < 0 || index > 5) {
    r.add(
      'correctIndex',
      'answer-out-of-range',
      `The answer ${quote(raw)} is not an option number`,
      cell.column,
    );
    return null;
  }
  return index;
}

/** A true/false answer written as true/false, yes/no, t/f, y/n or 1/0. */
export function trueFalseOf(cells: Cell[], r: RowReader): boolean | null {
  const [cell] = cells;
  if (!cell) return null;
  const v = cell.value;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['true', 't', 'yes', 'y', '1'].includes(s)) return true;
  if (['false', 'f', 'no', 'n', '0'].includes(s)) return false;
  r.add('trueFalseAnswer', 'invalid-value', `${quote(v)} is not true or false`, cell.column);
  return null;
}

/** Sources: a JSON list, or URLs separated by the mapping's list separator; each a URL or { url, title }. */
export function sourcesOf(cells: Cell[], listSeparator: string, r: RowReader): unknown[] {
  const out: unknown[] = [];
  for (const { column, value } of cells) {
    let v = value;
    if (typeof v === 'string' && v.trim().startsWith('[')) {
      try {
        v = JSON.parse(v) as unknown;
      } catch {
        r.add('sources', 'invalid-list', 'sources starts with [ but is not a JSON list', column);
        continue;
      }
    }
    const entries = Array.isArray(v) ? v : String(v).split(listSeparator);
    for (const e of entries) {
      if (typeof e === 'string') {
        if (e.trim() !== '') out.push({ url: e.trim(), title: e.trim() });
      } else if (typeof e === 'object' && e !== null && 'url' in e) {
        const s = e as { url: unknown; title?: unknown };
        out.push({ url: s.url, title: s.title ?? s.url });
      } else {
        r.add('sources', 'invalid-value', 'A source is a URL or { url, title }', column);
      }
    }
  }
  return out;
}
