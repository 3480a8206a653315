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
import { NUL_CHARACTER } from '../../../schema/common.ts';
import type { TaxonomyId } from '../../../schema/taxonomy.ts';
import { correctIndexOf, countryOf, languageOf, sourcesOf, trueFalseOf } from './field-values.ts';
import { baseColumn, blank, lookup, parsedJson, quote, RowReader } from './row-reader.ts';

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

const TAXONOMY_OF: Partial<Record<ImportField, TaxonomyId>> = {
  primaryCategory: 'socio-cultural',
  secondaryTags: 'socio-cultural',
  hazard: 'safety-hazards',
  attackStyle: 'attack-styles',
};
const MAX_EXTERNAL_ID = 200;

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
    if (externalIdText?.includes('\u0000')) r.add('externalId', NUL_CHARACTER.code, NUL_CHARACTER.message);

    const options = r.listOf('options');
    const language = languageOf(r);
    const candidate: Record<ItemFieldName, unknown> = {
      language: language ?? '',
      country: countryOf(r),
      region: r.textOf('region'),
      kind: r.textOf('kind') ?? '',
      format: r.textOf('format') ?? '',
      question: r.textOf('question') ?? '',
      questionEn: r.textOf('questionEn'),
      referenceAnswer: r.textOf('referenceAnswer'),
      answerEn: r.textOf('answerEn'),
      acceptedAnswers: r.listOf('acceptedAnswers'),
      options,
      correctIndex: correctIndexOf(this.mapping.answer, r.cellsOf('correctIndex'), options, r),
      trueFalseAnswer: trueFalseOf(r.cellsOf('trueFalseAnswer'), r),
      rationale: r.textOf('rationale'),
      sources: sourcesOf(r.cellsOf('sources'), this.mapping.listSeparator, r),
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
      const field = p.path.split('.')[0];
      r.add(p.path, p.code, p.message, r.columnFor(field));
    }
    if (issues.length > 0) return { ok: false, issues };
    return { ok: true, value: { row, line, externalId: externalIdText, fields } };
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
}

function codeOf(issue: z.ZodError['issues'][number]): string {
  if (issue.code === 'custom' && issue.params?.code === NUL_CHARACTER.code) return NUL_CHARACTER.code;
  if (issue.path[0] === 'language') return 'invalid-language';
  if (issue.code === 'too_big') return 'too-long';
  if (issue.code === 'invalid_type') return 'invalid-type';
  return 'invalid-value';
}
