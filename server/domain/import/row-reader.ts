// One record read through a mapping: cells by column path (into objects, JSON text and lists), defaults, value
// rewrites and text or lists, with the problems found; and the small helpers the mapper shares.
import type { ImportField, ImportIssue, ImportMapping } from '../../../schema/import.ts';

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

/** A value quoted in a message, never the whole of a 10 MB cell. */
export const quote = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}…` : s);
};

export const blank = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The top-level column a column path starts from (`annotations[].answers` → `annotations`). */
export const baseColumn = (column: string) => column.split(/\.|\[\]/)[0];

/** A JSON value held as text (a CSV cell of a release) parsed, if it is an object or a list; else as it is. */
export function parsedJson(value: unknown): unknown {
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
export function lookup(record: Record<string, unknown>, column: string): unknown {
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

export interface Cell {
  column: string | null;
  value: unknown;
}

/**
 * The cells of one record as item fields, and the problems found reading them. Methods rather than
 * closures made per row: a row is read tens of thousands of times a second.
 */
export class RowReader {
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
