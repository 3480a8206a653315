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

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** `a.b` reaches into an object, or into a JSON object held as text (a CSV cell of a release). */
function lookup(record: Record<string, unknown>, column: string): unknown {
  if (column in record) return record[column];
  const dot = column.indexOf('.');
  if (dot < 0) return undefined;
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

/**
 * Turns the rows of a file into item fields with a mapping, and checks each row exactly as the editor
 * checks an item on submit: the zod item schema, taxonomy ids, and the submission checks.
 */
export class RowMapper {
  private readonly columnsOf = new Map<ImportField, string[]>();
  private readonly nodeCache = new Map<string, boolean>();

  constructor(
    private readonly mapping: ImportMapping,
    private readonly hasNode: HasNode,
    /** Presets name more columns than any one file has; a custom mapping's columns must all exist. */
    private readonly strictColumns: boolean,
  ) {
    for (const [column, field] of Object.entries(mapping.columns)) {
      this.columnsOf.set(field, [...(this.columnsOf.get(field) ?? []), column]);
    }
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
    const has = (column: string) => present.has(column) || present.has(column.split('.')[0]!);
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
    const issues: ImportIssue[] = [];
    const cellsOf = (field: ImportField): Cell[] => {
      const cells: Cell[] = [];
      for (const column of this.columnsOf.get(field) ?? []) {
        const value = lookup(record, column);
        if (!blank(value)) cells.push({ column, value });
      }
      if (cells.length === 0 && !blank(this.mapping.defaults[field])) {
        cells.push({ column: null, value: this.mapping.defaults[field] });
      }
      const rewrite = this.mapping.values[field];
      if (rewrite) {
        for (const c of cells) {
          if (typeof c.value === 'string' && Object.hasOwn(rewrite, c.value.trim()))
            c.value = rewrite[c.value.trim()];
        }
      }
      return cells;
    };
    const columnFor = (field: string): string | null => {
      const columns = this.columnsOf.get(field as ImportField) ?? [];
      return columns.find((c) => !blank(lookup(record, c))) ?? columns[0] ?? null;
    };
    const add = (field: string, code: string, message: string, column = columnFor(field)) =>
      issues.push({ row, line, column, field, code, message });

    const textOf = (field: ImportField): string | null => {
      const [cell] = cellsOf(field);
      if (!cell) return null;
      const v = cell.value;
      if (typeof v === 'string') return TRIMMED.has(field) ? v.trim() : v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      add(
        field,
        'not-text',
        `${field} must be text, not ${Array.isArray(v) ? 'a list' : typeof v}`,
        cell.column,
      );
      return null;
    };

    const listOf = (field: ImportField): string[] => {
      const cells = cellsOf(field);
      const out: string[] = [];
      const push = (v: unknown, column: string | null) => {
        if (typeof v === 'string' || typeof v === 'number') {
          const s = String(v);
          if (s.trim() !== '') out.push(TRIMMED.has(field) ? s.trim() : s);
        } else if (v !== null && v !== undefined) {
          add(field, 'not-text', `Every ${field} entry must be text`, column);
        }
      };
      for (const { column, value } of cells) {
        if (Array.isArray(value)) {
          value.forEach((v) => push(v, column));
        } else if (typeof value === 'string' && value.trim().startsWith('[')) {
          try {
            const parsed = JSON.parse(value) as unknown;
            if (Array.isArray(parsed)) parsed.forEach((v) => push(v, column));
            else add(field, 'invalid-list', `${field} is not a JSON list`, column);
          } catch {
            add(field, 'invalid-list', `${field} starts with [ but is not a JSON list`, column);
          }
        } else if (typeof value === 'string' && cells.length === 1) {
          value.split(this.mapping.listSeparator).forEach((v) => push(v, column));
        } else {
          push(value, column);
        }
      }
      return out;
    };

    const externalIdText = textOf('externalId');
    if (externalIdText !== null && externalIdText.length > MAX_EXTERNAL_ID) {
      add('externalId', 'too-long', `The id has more than ${MAX_EXTERNAL_ID} characters`);
    }

    const options = listOf('options');
    const candidate: Record<ItemFieldName, unknown> = {
      language: textOf('language') ?? '',
      country: textOf('country'),
      region: textOf('region'),
      kind: textOf('kind') ?? '',
      format: textOf('format') ?? '',
      question: textOf('question') ?? '',
      questionEn: textOf('questionEn'),
      referenceAnswer: textOf('referenceAnswer'),
      answerEn: textOf('answerEn'),
      acceptedAnswers: listOf('acceptedAnswers'),
      options,
      correctIndex: this.correctIndex(cellsOf('correctIndex'), options, add),
      trueFalseAnswer: this.trueFalse(cellsOf('trueFalseAnswer'), add),
      rationale: textOf('rationale'),
      sources: this.sources(cellsOf('sources'), add),
      primaryCategory: textOf('primaryCategory'),
      secondaryTags: listOf('secondaryTags'),
      difficulty: textOf('difficulty')?.toLowerCase() ?? null,
      hazard: textOf('hazard'),
      attackStyle: textOf('attackStyle'),
      expectedBehavior: textOf('expectedBehavior'),
      notes: textOf('notes'),
    };
    for (const field of ['language', 'kind', 'format'] as const) {
      if (candidate[field] === '') add(field, 'required', `${field} is missing`);
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
        add(field, codeOf(issue), issue.message + shown);
      }
      return { ok: false, issues };
    }
    const fields = parsed.data;

    const checkNode = (field: ImportField, id: string | null, path = field as string) => {
      const taxonomy = TAXONOMY_OF[field];
      if (id === null || !taxonomy || this.node(taxonomy, id)) return;
      add(
        path,
        'unknown-taxonomy-node',
        `${quote(id)} is not a node of the ${taxonomy} taxonomy`,
        columnFor(field),
      );
    };
    checkNode('primaryCategory', fields.primaryCategory);
    fields.secondaryTags.forEach((t, i) => checkNode('secondaryTags', t, `secondaryTags.${i}`));
    checkNode('hazard', fields.hazard);
    checkNode('attackStyle', fields.attackStyle);

    let outOfRange = false;
    if (fields.format === 'multiple_choice' && fields.correctIndex !== null && fields.options.length > 0) {
      if (fields.correctIndex >= fields.options.length) {
        outOfRange = true;
        add(
          'correctIndex',
          'answer-out-of-range',
          `The answer points to option ${fields.correctIndex + 1}, but there are ${fields.options.length} options`,
        );
      }
    }
    for (const p of submissionProblems(fields)) {
      if (outOfRange && p.path === 'correctIndex') continue;
      const field = p.path.split('.')[0]!;
      add(p.path, p.code, p.message, columnFor(field));
    }
    if (issues.length > 0) return { ok: false, issues };
    return { ok: true, value: { row, line, externalId: externalIdText, fields } };
  }

  private correctIndex(
    cells: Cell[],
    options: readonly string[],
    add: (field: string, code: string, message: string, column?: string | null) => void,
  ): number | null {
    const [cell] = cells;
    if (!cell) return null;
    const raw = typeof cell.value === 'string' ? cell.value.trim() : cell.value;
    const bad = (why: string) => {
      add('correctIndex', 'invalid-answer', why, cell.column);
      return null;
    };
    const integer = (v: unknown): number | null =>
      typeof v === 'number' && Number.isInteger(v)
        ? v
        : typeof v === 'string' && /^-?\d{1,6}$/.test(v)
          ? Number(v)
          : null;
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
      add(
        'correctIndex',
        'answer-out-of-range',
        `The answer ${quote(raw)} is not an option number`,
        cell.column,
      );
      return null;
    }
    return index;
  }

  private trueFalse(
    cells: Cell[],
    add: (field: string, code: string, message: string, column?: string | null) => void,
  ): boolean | null {
    const [cell] = cells;
    if (!cell) return null;
    const v = cell.value;
    if (typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (['true', 't', 'yes', 'y', '1'].includes(s)) return true;
    if (['false', 'f', 'no', 'n', '0'].includes(s)) return false;
    add('trueFalseAnswer', 'invalid-value', `${quote(v)} is not true or false`, cell.column);
    return null;
  }

  private sources(
    cells: Cell[],
    add: (field: string, code: string, message: string, column?: string | null) => void,
  ): unknown[] {
    const out: unknown[] = [];
    for (const { column, value } of cells) {
      let v = value;
      if (typeof v === 'string' && v.trim().startsWith('[')) {
        try {
          v = JSON.parse(v) as unknown;
        } catch {
          add('sources', 'invalid-list', 'sources starts with [ but is not a JSON list', column);
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
          add('sources', 'invalid-value', 'A source is a URL or { url, title }', column);
        }
      }
    }
    return out;
  }
}

function codeOf(issue: z.ZodError['issues'][number]): string {
  if (issue.path[0] === 'language') return 'invalid-language';
  if (issue.code === 'too_big') return 'too-long';
  if (issue.code === 'invalid_type') return 'invalid-type';
  return 'invalid-value';
}
