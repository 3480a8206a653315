import { itemFieldNames, type ItemFieldName, type ItemFields } from '../../../schema/item.ts';
import type { MappedRow } from './mapping.ts';

/** Rows are packed into buffers of this size (a row larger than this gets a buffer of its own). */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The checked rows of a file, held from the check until the write. Each row is kept as one line of
 * UTF-8 JSON — `[row, line, externalId, ...fields in itemFieldNames order]` — packed into large buffers
 * outside the JS heap, rather than as an object graph on it: about the size of the file itself instead
 * of ≈ 2 KB of objects per row. A small live heap during the long synchronous write keeps V8's heap
 * limit (a multiple of the live heap) low, so garbage is collected early and peak memory stays low.
 */
export class CheckedRows {
  private chunks: (Buffer | null)[] = [];
  private chunk = Buffer.alloc(0);
  private used = 0;
  /** How many rows each chunk holds. */
  private rowsIn: number[] = [];
  /** Per row, where it ends in its chunk (it starts where the previous row of the chunk ended). */
  private ends: number[] = [];

  get size(): number {
    return this.ends.length;
  }

  add(row: MappedRow): void {
    const values: unknown[] = [row.row, row.line, row.externalId];
    for (const f of itemFieldNames) values.push(row.fields[f]);
    const json = JSON.stringify(values);
    const bytes = Buffer.byteLength(json);
    if (this.used + bytes > this.chunk.length) {
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
      this.chunks.push(this.chunk);
      this.rowsIn.push(0);
      this.used = 0;
    }
    this.used += this.chunk.write(json, this.used);
    this.ends.push(this.used);
    this.rowsIn[this.rowsIn.length - 1]!++;
  }

  /**
   * Hands out the rows in file order, once: each buffer is let go as soon as its rows are read, and
   * nothing is kept of a row after the caller is done with it. The store is empty afterwards.
   */
  *take(): Generator<MappedRow> {
    const { chunks, rowsIn, ends } = this;
    this.chunks = [];
    this.rowsIn = [];
    this.ends = [];
    this.chunk = Buffer.alloc(0);
    this.used = 0;
    let i = 0;
    for (let k = 0; k < chunks.length; k++) {
      const chunk = chunks[k]!;
      chunks[k] = null;
      let start = 0;
      for (let n = rowsIn[k]!; n > 0; n--, i++) {
        const end = ends[i]!;
        yield decode(chunk.toString('utf8', start, end));
        start = end;
      }
    }
  }
}

function decode(json: string): MappedRow {
  const values = JSON.parse(json) as unknown[];
  const fields = {} as Record<ItemFieldName, unknown>;
  for (let j = 0; j < itemFieldNames.length; j++) fields[itemFieldNames[j]!] = values[j + 3];
  return {
    row: values[0] as number,
    line: values[1] as number,
    externalId: values[2] as string | null,
    fields: fields as ItemFields,
  };
}
