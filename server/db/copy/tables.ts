import type { Db } from '../connection.ts';
import type { PgDatabase } from '../postgres/database.ts';

/**
 * Tables that exist on one engine only and are not copied, each with the reason. Every other table must exist
 * on both sides with the same columns: a table added to one engine's schema and not the other fails the copy
 * instead of being left behind silently.
 */
export const SQLITE_ONLY: Readonly<Record<string, string>> = {
  items_fts:
    "SQLite's FTS5 index of the items' folded text (PostgreSQL searches items_search_text with pg_trgm)",
  items_fts_config: 'FTS5 shadow table of items_fts',
  items_fts_data: 'FTS5 shadow table of items_fts',
  items_fts_docsize: 'FTS5 shadow table of items_fts',
  items_fts_idx: 'FTS5 shadow table of items_fts',
  items_fts_short:
    "SQLite's FTS5 index of one- and two-character terms (PostgreSQL: items_search_text's keys)",
  items_fts_short_config: 'FTS5 shadow table of items_fts_short',
  items_fts_short_data: 'FTS5 shadow table of items_fts_short',
  items_fts_short_docsize: 'FTS5 shadow table of items_fts_short',
  items_fts_short_idx: 'FTS5 shadow table of items_fts_short',
  items_search_pending:
    "the FTS5 catch-up queue (PostgreSQL's search text is current when an item's write commits)",
};

export const POSTGRES_ONLY: Readonly<Record<string, string>> = {
  cs_schema_version: "the migration runner's version row (SQLite keeps it in PRAGMA user_version)",
  import_stage:
    "a running import's staged rows (SQLite stages them in a temporary table): never carried over",
};

/**
 * Derived tables on both sides that are rebuilt on PostgreSQL from the copied rows rather than copied, then
 * verified like the others over the columns both engines have (the PostgreSQL-only ones are derived too).
 */
export const REBUILT: Readonly<Record<string, { from: string; reason: string }>> = {
  items_search_text: {
    from: 'items',
    reason:
      "the items' folded search text, computed again from each item as the PostgreSQL repository writes it",
  },
};

/** One column as PostgreSQL declares it. */
export interface PgColumn {
  name: string;
  /** format_type: 'boolean', 'timestamp with time zone', 'json', 'bigint', 'text[]', … */
  type: string;
  identity: boolean;
}

export interface TablePlan {
  name: string;
  /** The columns copied and compared (both engines'), in PostgreSQL's order. */
  columns: PgColumn[];
  /** The primary key's columns: the order rows are copied and hashed in. */
  key: string[];
  /** Foreign keys of the table to itself (a node's parent): checked when the table is complete. */
  selfReferences: string[];
  rebuilt: boolean;
}

export interface CopyPlan {
  /** Copied and rebuilt tables, every table after those it references. */
  tables: TablePlan[];
  skipped: { table: string; engine: 'sqlite' | 'postgres'; reason: string }[];
}

/** A refusal that says what is wrong with the two schemas or databases (printed as it is). */
export class CopyRefusedError extends Error {
  override readonly name = 'CopyRefusedError';
}

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The application tables of the PostgreSQL database's schema (current_schema()). */
export async function postgresTables(pg: PgDatabase): Promise<string[]> {
  const rows = await pg.query<{ name: string }>(
    `SELECT relname AS name FROM pg_catalog.pg_class
     WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p') ORDER BY relname`,
  );
  return rows.map((r) => r.name);
}

/**
 * Which tables are copied, in which order, with which columns: found by introspection of both databases
 * (sqlite_master, pg_catalog), so that a table or column the two schemas do not share stops the copy.
 */
export async function planCopy(source: Db, pg: PgDatabase): Promise<CopyPlan> {
  // sqlite_% tables are SQLite's own bookkeeping (sqlite_sequence, sqlite_stat1): never application data.
  const sqliteTables = (
    source
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
  const pgTables = await postgresTables(pg);

  const skipped: CopyPlan['skipped'] = [];
  const problems: string[] = [];
  for (const t of sqliteTables.filter((t) => !pgTables.includes(t)).sort()) {
    if (SQLITE_ONLY[t]) skipped.push({ table: t, engine: 'sqlite', reason: SQLITE_ONLY[t] });
    else problems.push(`table ${t} is in the SQLite database but not in PostgreSQL's schema`);
  }
  for (const t of pgTables.filter((t) => !sqliteTables.includes(t))) {
    if (POSTGRES_ONLY[t]) skipped.push({ table: t, engine: 'postgres', reason: POSTGRES_ONLY[t] });
    else problems.push(`table ${t} is in PostgreSQL's schema but not in the SQLite database`);
  }
  for (const t of sqliteTables.filter((t) => pgTables.includes(t))) {
    if (SQLITE_ONLY[t] || POSTGRES_ONLY[t])
      problems.push(`table ${t}, expected on one engine only, is on both`);
  }

  const columnRows = await pg.query<{ table: string; name: string; type: string; identity: boolean }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attidentity <> '' AS identity
     FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
       AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`,
  );
  const keyRows = await pg.query<{ table: string; name: string }>(
    `SELECT c.relname AS table, a.attname AS name
     FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
     CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, n)
     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.attnum
     WHERE k.contype = 'p' AND c.relnamespace = current_schema()::regnamespace
     ORDER BY c.relname, u.n`,
  );
  const foreignKeys = await pg.query<{ name: string; table: string; references: string }>(
    `SELECT k.conname AS name, c.relname AS table, r.relname AS references
     FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
     JOIN pg_catalog.pg_class r ON r.oid = k.confrelid
     WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace
     ORDER BY k.conname`,
  );

  const plans = new Map<string, TablePlan>();
  for (const t of sqliteTables.filter((t) => pgTables.includes(t)).sort()) {
    const sqliteColumns = (
      source.prepare(`SELECT name FROM pragma_table_info(?)`).all(t) as { name: string }[]
    ).map((c) => c.name);
    const pgColumns = columnRows.filter((c) => c.table === t);
    const rebuilt = REBUILT[t] !== undefined;
    for (const c of sqliteColumns.filter((c) => !pgColumns.some((p) => p.name === c))) {
      problems.push(`column ${t}.${c} is in the SQLite database but not in PostgreSQL's schema`);
    }
    // A rebuilt table's PostgreSQL-only columns are derived with it; any other table's must exist on both.
    if (!rebuilt) {
      for (const c of pgColumns.filter((p) => !sqliteColumns.includes(p.name))) {
        problems.push(`column ${t}.${c.name} is in PostgreSQL's schema but not in the SQLite database`);
      }
    }
    const columns = pgColumns
      .filter((p) => sqliteColumns.includes(p.name))
      .map(({ name, type, identity }) => ({ name, type, identity }));
    const key = keyRows.filter((k) => k.table === t).map((k) => k.name);
    // Rows are copied and hashed in primary key order, the one order both engines give alike.
    if (key.length === 0) problems.push(`table ${t} has no primary key in PostgreSQL's schema`);
    plans.set(t, {
      name: t,
      columns,
      key,
      selfReferences: foreignKeys.filter((f) => f.table === t && f.references === t).map((f) => f.name),
      rebuilt,
    });
  }
  if (problems.length > 0) {
    throw new CopyRefusedError(
      `The SQLite database and PostgreSQL's schema do not match; nothing was copied:\n  ${problems.join('\n  ')}`,
    );
  }

  // Every table after the tables it references (and a rebuilt table after its source), by name among equals.
  const dependsOn = new Map<string, Set<string>>();
  for (const t of plans.keys()) {
    const deps = new Set(
      foreignKeys
        .filter((f) => f.table === t && f.references !== t && plans.has(f.references))
        .map((f) => f.references),
    );
    if (REBUILT[t]) deps.add(REBUILT[t].from);
    dependsOn.set(t, deps);
  }
  const ordered: TablePlan[] = [];
  const done = new Set<string>();
  while (done.size < plans.size) {
    const next = [...plans.keys()].find(
      (t) => !done.has(t) && [...dependsOn.get(t)!].every((d) => done.has(d)),
    );
    if (next === undefined) throw new CopyRefusedError('The foreign keys between the tables form a cycle.');
    done.add(next);
    ordered.push(plans.get(next)!);
  }
  return { tables: ordered, skipped };
}
