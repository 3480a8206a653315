import type { z } from 'zod';
import {
  requiredImportFields,
  type ImportField,
  type ImportIssue,
  type ImportMapping,
} from '../../../schema/import.ts';
import {
  itemFieldsSchema,
  submissionProblems,
  type ItemFieldName,
  type ItemFields,
} from '../../../schema/item.ts';
import type { TaxonomyId } from '../../../schema/taxonomy.ts';
import { countryFromName, languageFromName } from './locale-names.ts';

/** One data row, mapped and checked: what the writer inserts or updates. */
export interface MappedRow {
  row: number;
  line: number;
  externalId: string | null;
  fields: ItemFields;
}

export type RowResult = { ok: true; value: MappedRow } | { ok: false; issues: ImportIssue[] };

/** Whether `id` is a node of `taxonomy`; the import asks once per distinct value. */
export type HasNode = (taxonomy: TaxonomyId, id: string) => boolean;

/** Fields holding identifiers or enum values: surrounding spaces are never meant. */
const TRIMMED = new Set<ImportField>([
  'externalId',
  'language',
  'country',
  'kind',
  'format',
  'primaryCategory',
  'secondaryTags',
  'difficulty',
  'hazard',
  'attackStyle',
  'expectedBehavior',
  'license',
]);
const TAXONOMY_OF: Partial<Record<ImportField, TaxonomyId>> = {
  primaryCategory: 'socio-cultural',
  secondaryTags: 'socio-cultural',
  hazard: 'safety-hazards',
  attackStyle: 'attack-styles',
};
const MAX_EXTERNAL_ID = 200;

/** A value quoted in a message, never the whole of a 10 MB cell. */
const quote = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}…` : s);
};

/** A whole number of at most six digits, as a number or as text. */
function integer(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return typeof v === 'string' && /^-?\d{1,6}$/.test(v) ? Number(v) : null;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The top-level column a column path starts from (`annotations[].answers` → `annotations`). */
const baseColumn = (column: string) => column.split(/\.|\[\]/)[0]!;

/** A JSON value held as text (a CSV cell of a release) parsed, if it is an object or a list; else as it is. */
function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * `a.b` reaches into an object, or into a JSON object held as text (a CSV cell of a release); `a[].b` collects
 * `b` of every object of the list `a`, lists flattened (BLEnD's `annotations[].answers`).
 */
function lookup(record: Record<string, unknown>, column: string): unknown {
  if (column in record) return record[column];
  const dot = column.indexOf('.');
  if (dot < 0) return undefined;
  const each = column.indexOf('[].');
  if (each >= 0 && each + 2 === dot) {
    const list = parsedJson(lookup(record, column.slice(0, each)));
    if (!Array.isArray(list)) return undefined;
    const rest = column.slice(dot + 1);
    return list.flatMap((e: unknown) => {
      if (typeof e !== 'object' || e === null || Array.isArray(e)) return [];
      const v = lookup(e as Record<string, unknown>, rest);
      return v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v];
    });
  }
  let parent = lookup(record, column.slice(0, dot));
  if (typeof parent === 'string' && parent.trim().startsWith('{')) {
    try {
      parent = JSON.parse(parent) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) return undefined;
  return lookup(parent as Record<string, unknown>, column.slice(dot + 1));
}

interface Cell {
  column: string | null;
  value: unknown;
}

/** A value that looks like a language tag (`ko`, `zh-Hant-TW`), which the item schema then checks, not a name. */
const TAG_LIKE = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/;
/** A value that looks like a country code, which the item schema then checks, not a name. */
const CODE_LIKE = /^[A-Za-z]{2}$/;
/** A value that may be a name ("Korean", "Côte d’Ivoire", "Bosnia & Herzegovina"); anything else is left to the schema. */
const NAME_LIKE = /^\p{L}[\p{L}\p{M} '’().,&-]*$/u;

/** Where the file being mapped comes from (for each item's origin, with the mapping's benchmark). */
export interface MappingSource {
  file: string;
}

/**
 * Turns the rows of a file into item fields with a mapping, and checks each row exactly as the editor
 * checks an item on submit: the zod item schema, taxonomy ids, and the submission checks.
 */
export class RowMapper {
  private readonly columnsOf = new Map<ImportField, string[]>();
  private readonly nodeCache = new Map<string, boolean>();
  /** Top-level columns that a mapping or the metadata list names: keepOtherColumns keeps the rest. */
  private readonly named = new Set<string>();

  constructor(
    private readonly mapping: ImportMapping,
    private readonly hasNode: HasNode,
    /** Presets name more columns than any one file has; a custom mapping's columns must all exist. */
    private readonly strictColumns: boolean,
    private readonly source: MappingSource = { file: 'upload' },
  ) {
    for (const [column, field] of Object.entries(mapping.columns)) {
      this.columnsOf.set(field, [...(this.columnsOf.get(field) ?? []), column]);
      this.named.add(baseColumn(column));
    }
    for (const column of mapping.metadata) this.named.add(baseColumn(column));
  }

  /** Problems with the header of a CSV file: missing columns, or fields nothing can fill. */
  checkHeader(header: readonly string[]): ImportIssue[] {
    const issues: ImportIssue[] = [];
    const present = new Set(header);
    const fileIssue = (column: string | null, field: string | null, code: string, message: string) =>
      issues.push({ row: null, line: 1, column, field, code, message });
    const seen = new Set<string>();
    for (const h of header) {
      if (seen.has(h)) fileIssue(h, null, 'duplicate-column', `The column ${quote(h)} appears twice`);
      seen.add(h);
    }
    const has = (column: string) => present.has(column) || present.has(baseColumn(column));
    if (this.strictColumns) {
      for (const [column, field] of Object.entries(this.mapping.columns)) {
        if (!has(column))
          fileIssue(column, field, 'missing-column', `The file has no column ${quote(column)}`);
      }
    }
    for (const field of requiredImportFields) {
      const columns = this.columnsOf.get(field) ?? [];
      if (columns.some(has) || !blank(this.mapping.defaults[field])) continue;
      if (this.strictColumns && columns.length > 0) continue; // already reported above
      const expected = columns.length > 0 ? `a column ${columns.map(quote).join(' or ')}` : 'a mapped column';
      fileIssue(columns[0] ?? null, field, 'missing-column', `${field} needs ${expected} or a default`);
    }
    return issues;
  }

  private node(taxonomy: TaxonomyId, id: string): boolean {
    const key = `${taxonomy}\u0000${id}`;
    let known = this.nodeCache.get(key);
    if (known === undefined) {
      known = this.hasNode(taxonomy, id);
      this.nodeCache.set(key, known);
    }
    return known;
  }

  /** Maps and checks one record (CSV cells by header, or a JSONL object). */
  mapRow(record: Record<string, unknown>, row: number, line: number): RowResult {
    const r = new RowReader(this.columnsOf, this.mapping, record, row, line);
    const { issues } = r;

    const externalIdText = r.textOf('externalId');
    if (externalIdText !== null && externalIdText.length > MAX_EXTERNAL_ID) {
      r.add('externalId', 'too-long', `The id has more than ${MAX_EXTERNAL_ID} characters`);
    }

    const options = r.listOf('options');
    const language = this.language(r);
    const candidate: Record<ItemFieldName, unknown> = {
      language: language ?? '',
      country: this.country(r),
      region: r.textOf('region'),
      kind: r.textOf('kind') ?? '',
      format: r.textOf('format') ?? '',
      question: r.textOf('question') ?? '',
      questionEn: r.textOf('questionEn'),
      referenceAnswer: r.textOf('referenceAnswer'),
      answerEn: r.textOf('answerEn'),
      acceptedAnswers: r.listOf('acceptedAnswers'),
      options,
      correctIndex: this.correctIndex(r.cellsOf('correctIndex'), options, r),
      trueFalseAnswer: this.trueFalse(r.cellsOf('trueFalseAnswer'), r),
      rationale: r.textOf('rationale'),
      sources: this.sources(r.cellsOf('sources'), r),
      primaryCategory: r.textOf('primaryCategory'),
      secondaryTags: r.listOf('secondaryTags'),
      difficulty: r.textOf('difficulty')?.toLowerCase() ?? null,
      hazard: r.textOf('hazard'),
      attackStyle: r.textOf('attackStyle'),
      expectedBehavior: r.textOf('expectedBehavior'),
      notes: r.textOf('notes'),
      context: r.textOf('context'),
      metadata: this.metadata(record, r),
      origin: this.origin(r, row, externalIdText),
      license: r.textOf('license')?.toLowerCase() ?? null,
    };
    for (const field of ['language', 'kind', 'format'] as const) {
      if (candidate[field] === '' && !(field === 'language' && language === undefined))
        r.add(field, 'required', `${field} is missing`);
    }
    if (issues.some((i) => i.field === 'language' || i.field === 'kind' || i.field === 'format')) {
      return { ok: false, issues };
    }

    const parsed = itemFieldsSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]) as ItemFieldName;
        const given =
          issue.path.length === 1 && typeof candidate[field] === 'string' ? candidate[field] : null;
        // The value is shown (cut short) so the report says what was wrong, except for overlong cells.
        const shown =
          given !== null && issue.code !== 'too_big' && !issue.message.includes(given)
            ? ` (got ${quote(given)})`
            : '';
        r.add(field, codeOf(issue), issue.message + shown);
      }
      return { ok: false, issues };
    }
    const fields = parsed.data;

    this.checkNode(r, 'primaryCategory', fields.primaryCategory);
    fields.secondaryTags.forEach((t, i) => this.checkNode(r, 'secondaryTags', t, `secondaryTags.${i}`));
    this.checkNode(r, 'hazard', fields.hazard);
    this.checkNode(r, 'attackStyle', fields.attackStyle);

    let outOfRange = false;
    if (fields.format === 'multiple_choice' && fields.correctIndex !== null && fields.options.length > 0) {
      if (fields.correctIndex >= fields.options.length) {
        outOfRange = true;
        r.add(
          'correctIndex',
          'answer-out-of-range',
          `The answer points to option ${fields.correctIndex + 1}, but there are ${fields.options.length} options`,
        );
      }
    }
    const unknownCountry = issues.some((i) => i.code === 'unknown-country');
    for (const p of submissionProblems(fields)) {
      if (outOfRange && p.path === 'correctIndex') continue;
      if (unknownCountry && p.path === 'country') continue; // already reported as an unknown name
      const field = p.path.split('.')[0]!;
      r.add(p.path, p.code, p.message, r.columnFor(field));
    }
    if (issues.length > 0) return { ok: false, issues };
    return { ok: true, value: { row, line, externalId: externalIdText, fields } };
  }

  /**
   * The row's language: a tag as written (the item schema checks it), or the tag of a language name
   * ("Korean" → ko). Undefined when the name is unknown (reported), null when there is none.
   */
  private language(r: RowReader): string | null | undefined {
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
  private country(r: RowReader): string | null {
    const value = r.textOf('country');
    if (value === null || value === '' || CODE_LIKE.test(value) || !NAME_LIKE.test(value))
      return value || null;
    const code = countryFromName(value);
    if (code) return code;
    r.add(
      'country',
      'unknown-country',
      `${quote(value)} is neither an ISO 3166 country code (e.g. KR) nor a country name`,
    );
    return null;
  }

  /**
   * The item's metadata object: a column mapped to `metadata` (a release's own, as an object or JSON text),
   * then the mapping's metadata columns as they are, then (keepOtherColumns) every column nothing names.
   */
  private metadata(record: Record<string, unknown>, r: RowReader): Record<string, unknown> | null {
    const out: Record<string, unknown> = {};
    for (const { column, value } of r.cellsOf('metadata')) {
      const v = parsedJson(value);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) Object.assign(out, v);
      else r.add('metadata', 'invalid-value', 'metadata must be a JSON object', column);
    }
    for (const column of this.mapping.metadata) {
      const v = lookup(record, column);
      if (v !== undefined) out[column] = v;
    }
    if (this.mapping.keepOtherColumns) {
      for (const [column, v] of Object.entries(record)) {
        if (!this.named.has(column) && v !== undefined && !Object.hasOwn(out, column)) out[column] = v;
      }
    }
    return Object.keys(out).length > 0 ? out : null;
  }

  /**
   * Where the item comes from: a column mapped to `origin` (a release's own), or, for a file of a named
   * benchmark, the benchmark, this file, the row and the id there.
   */
  private origin(r: RowReader, row: number, externalId: string | null): unknown {
    const [cell] = r.cellsOf('origin');
    if (cell) return parsedJson(cell.value);
    if (this.mapping.benchmark === null) return null;
    return { benchmark: this.mapping.benchmark, file: this.source.file, row, id: externalId };
  }

  private checkNode(r: RowReader, field: ImportField, id: string | null, path: string = field): void {
    const taxonomy = TAXONOMY_OF[field];
    if (id === null || !taxonomy || this.node(taxonomy, id)) return;
    r.add(
      path,
      'unknown-taxonomy-node',
      `${quote(id)} is not a node of the ${taxonomy} taxonomy`,
      r.columnFor(field),
    );
  }

  private correctIndex(cells: Cell[], options: readonly string[], r: RowReader): number | null {
    const [cell] = cells;
    if (!cell) return null;
    const raw = typeof cell.value === 'string' ? cell.value.trim() : cell.value;
    const bad = (why: string) => {
      r.add('correctIndex', 'invalid-answer', why, cell.column);
      return null;
    };
    let index: number | null;
    switch (this.mapping.answer) {
      case 'index0':
      case 'index1': {
        const n = integer(raw);
        if (n === null) return bad(`The answer ${quote(raw)} is not a whole number`);
        index = this.mapping.answer === 'index1' ? n - 1 : n;
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

  private trueFalse(cells: Cell[], r: RowReader): boolean | null {
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

  private sources(cells: Cell[], r: RowReader): unknown[] {
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
      const entries = Array.isArray(v) ? v : String(v).split(this.mapping.listSeparator);
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
}

/**
 * The cells of one record as item fields, and the problems found reading them. Methods rather than
 * closures made per row: a row is read tens of thousands of times a second.
 */
class RowReader {
  readonly issues: ImportIssue[] = [];

  constructor(
    private readonly columnsOf: ReadonlyMap<ImportField, string[]>,
    private readonly mapping: ImportMapping,
    private readonly record: Record<string, unknown>,
    private readonly row: number,
    private readonly line: number,
  ) {}

  /** Records a problem in `column` (by default the field's column in this record). */
  add(field: string, code: string, message: string, column = this.columnFor(field)): void {
    this.issues.push({ row: this.row, line: this.line, column, field, code, message });
  }

  columnFor(field: string): string | null {
    const columns = this.columnsOf.get(field as ImportField) ?? [];
    for (const c of columns) if (!blank(lookup(this.record, c))) return c;
    return columns[0] ?? null;
  }

  cellsOf(field: ImportField): Cell[] {
    const cells: Cell[] = [];
    for (const column of this.columnsOf.get(field) ?? []) {
      const value = lookup(this.record, column);
      if (!blank(value)) cells.push({ column, value });
    }
    if (cells.length === 0 && !blank(this.mapping.defaults[field])) {
      cells.push({ column: null, value: this.mapping.defaults[field] });
    }
    const rewrite = this.mapping.values[field];
    if (rewrite) {
      const fallback = this.mapping.unlistedValues === 'default' ? this.mapping.defaults[field] : undefined;
      for (const c of cells) {
        if (typeof c.value !== 'string') continue;
        if (Object.hasOwn(rewrite, c.value.trim())) c.value = rewrite[c.value.trim()];
        else if (!blank(fallback)) c.value = fallback;
      }
    }
    return cells;
  }

  textOf(field: ImportField): string | null {
    const [cell] = this.cellsOf(field);
    if (!cell) return null;
    const v = cell.value;
    if (typeof v === 'string') return TRIMMED.has(field) ? v.trim() : v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.add(
      field,
      'not-text',
      `${field} must be text, not ${Array.isArray(v) ? 'a list' : typeof v}`,
      cell.column,
    );
    return null;
  }

  listOf(field: ImportField): string[] {
    const cells = this.cellsOf(field);
    const out: string[] = [];
    for (const { column, value } of cells) {
      if (Array.isArray(value) && column?.includes('[].')) {
        // Gathered from groups (BLEnD's annotations): a variant two groups share is one variant.
        const seen = new Set(out.map((o) => o.trim().toLowerCase()));
        for (const v of value) {
          const k = typeof v === 'string' ? v.trim().toLowerCase() : null;
          if (k !== null && seen.has(k)) continue;
          if (k !== null) seen.add(k);
          this.listEntry(out, field, v, column);
        }
      } else if (Array.isArray(value)) {
        for (const v of value) this.listEntry(out, field, v, column);
      } else if (typeof value === 'string' && value.trim().startsWith('[')) {
        try {
          const parsed = JSON.parse(value) as unknown;
          if (Array.isArray(parsed)) for (const v of parsed) this.listEntry(out, field, v, column);
          else this.add(field, 'invalid-list', `${field} is not a JSON list`, column);
        } catch {
          this.add(field, 'invalid-list', `${field} starts with [ but is not a JSON list`, column);
        }
      } else if (typeof value === 'string' && cells.length === 1) {
        for (const v of value.split(this.mapping.listSeparator)) this.listEntry(out, field, v, column);
      } else {
        this.listEntry(out, field, value, column);
      }
    }
    return out;
  }

  private listEntry(out: string[], field: ImportField, v: unknown, column: string | null): void {
    if (typeof v === 'string' || typeof v === 'number') {
      const s = String(v);
      if (s.trim() !== '') out.push(TRIMMED.has(field) ? s.trim() : s);
    } else if (v !== null && v !== undefined) {
      this.add(field, 'not-text', `Every ${field} entry must be text`, column);
    }
  }
}

function codeOf(issue: z.ZodError['issues'][number]): string {
  if (issue.path[0] === 'language') return 'invalid-language';
  if (issue.code === 'too_big') return 'too-long';
  if (issue.code === 'invalid_type') return 'invalid-type';
  return 'invalid-value';
}
