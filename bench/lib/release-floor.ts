// The release benchmark's floor (bench/release.ts): the rows a release reads, each a JSON line into one file and,
// optionally, into one Parquet file straight through hyparquet-writer — from SQLite or from PostgreSQL.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { fileWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import { connectPostgres, type PgDatabase } from '../../server/db/postgres/database.ts';

const OUT = 'bench/out';
/** Writes back every dirty page before a phase is timed (see bench/release.ts). */
const settleDisk = () => spawnSync('sync');

export /** A Parquet column for each column of the items table, typed by SQLite's declared type, all optional. */
function parquetColumnsOf(db: Database.Database, table: string): SchemaElement[] {
  const columns = db
    .prepare<[string], { name: string; type: string }>('SELECT name, type FROM pragma_table_info(?)')
    .all(table);
  return columns.map(({ name, type }) =>
    type === 'INTEGER'
      ? { name, type: 'INT64', repetition_type: 'OPTIONAL' }
      : type === 'REAL'
        ? { name, type: 'DOUBLE', repetition_type: 'OPTIONAL' }
        : { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  );
}

/** A Parquet column for each column of the items table on PostgreSQL, typed by its data type, all optional. */
async function parquetColumnsOfPg(db: PgDatabase): Promise<SchemaElement[]> {
  const columns = await db.query<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'items' ORDER BY ordinal_position`,
  );
  return columns.map(({ name, type }): SchemaElement =>
    ['bigint', 'integer', 'smallint'].includes(type)
      ? { name, type: 'INT64', repetition_type: 'OPTIONAL' }
      : ['double precision', 'real', 'numeric'].includes(type)
        ? { name, type: 'DOUBLE', repetition_type: 'OPTIONAL' }
        : type === 'boolean'
          ? { name, type: 'BOOLEAN', repetition_type: 'OPTIONAL' }
          : { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  );
}

/** The floor on PostgreSQL: the same rows (bytewise uid order) through a server-side cursor, into the same files. */
export async function floorPostgres(withParquet: boolean, url: string) {
  const db = await connectPostgres(url, { max: 1 });
  settleDisk();
  const started = performance.now();
  const sink = floorSink(await parquetColumnsOfPg(db), withParquet);
  for await (const rows of db.cursor(
    `SELECT * FROM items WHERE status = 'accepted' ORDER BY uid COLLATE "C"`,
    [],
    1_000,
  ))
    for (const row of rows) sink.add(row);
  const bytes = sink.finish();
  const ms = performance.now() - started;
  await db.close();
  return { ms, bytes };
}

/** Where the floor's rows go: each a JSON line into one file and, with `withParquet`, into one Parquet file. */
export function floorSink(schema: SchemaElement[], withParquet: boolean) {
  const fd = openSync(`${OUT}/release-floor.jsonl`, 'w');
  let pending: string[] = [];
  let size = 0;
  let bytes = 0;
  const parquet = withParquet
    ? new ParquetWriter({
        writer: fileWriter(`${OUT}/release-floor.parquet`),
        schema: [{ name: 'schema', num_children: schema.length }, ...schema],
        codec: 'SNAPPY',
        statistics: false,
      })
    : null;
  let group: unknown[][] = schema.map(() => []);
  let rows = 0;
  const flushGroup = () => {
    if (rows === 0 || !parquet) return;
    void parquet.write({
      columnData: schema.map((c, i) => ({ name: c.name, data: group[i] })),
      rowGroupSize: rows,
    });
    group = schema.map(() => []);
    rows = 0;
  };
  const add = (row: Record<string, unknown>) => {
    const line = JSON.stringify(row) + '\n';
    pending.push(line);
    size += line.length;
    if (size > 1 << 20) {
      bytes += writeSync(fd, pending.join(''));
      pending = [];
      size = 0;
    }
    if (parquet) {
      for (let i = 0; i < schema.length; i++) {
        const v = row[schema[i].name];
        // Parquet's INT64 takes bigints; PostgreSQL's json columns come parsed and are written as their text.
        group[i].push(
          schema[i].type === 'INT64' && typeof v === 'number'
            ? BigInt(v)
            : v !== null && typeof v === 'object'
              ? JSON.stringify(v)
              : v,
        );
      }
      if (++rows === 5_000) flushGroup();
    }
  };
  const finish = () => {
    bytes += writeSync(fd, pending.join(''));
    closeSync(fd);
    if (parquet) {
      flushGroup();
      void parquet.finish();
      bytes += statSync(`${OUT}/release-floor.parquet`).size;
    }
    return bytes;
  };
  return { add, finish };
}
