import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase, type Db } from '../../db/connection.ts';
import {
  copyDatabase,
  CopyRefusedError,
  matches,
  sourceVersion,
  type CopyReport,
} from '../../db/copy/copy-database.ts';
import { connectPostgres, openPglite, type PgDatabase } from '../../db/postgres/database.ts';
import { DEFAULT_DB_PATH } from '../../default-paths.ts';
import { CliError, str, type CommandDefinition, type Values } from '../command.ts';

/** The target: a PostgreSQL URL, or a PGlite folder (trying PostgreSQL without a server). Never echoed: it may hold a password. */
async function openTarget(to: string): Promise<PgDatabase> {
  if (/^postgres(?:ql)?:\/\/\S+$/.test(to)) return connectPostgres(to);
  if (to.startsWith('pglite:') && to.length > 'pglite:'.length)
    return openPglite(resolve(to.slice('pglite:'.length)));
  throw new CliError('--to must be a PostgreSQL URL (postgres://… or postgresql://…) or pglite:DIR');
}

/**
 * The SQLite file to copy: --from sqlite:PATH, else --db, else CS_DB_PATH, else the default path. Opened here, not
 * taken from the runner: the runner's database may be the PostgreSQL target (CS_DATABASE_URL).
 */
function openSource(values: Values, env: Record<string, string | undefined>): { db: Db; path: string } {
  const from = str(values, 'from');
  if (from !== undefined && (!from.startsWith('sqlite:') || from.length === 'sqlite:'.length)) {
    throw new CliError('--from must be sqlite:PATH (a SQLite database file)');
  }
  const given = from === undefined ? (str(values, 'db') ?? env.CS_DB_PATH ?? DEFAULT_DB_PATH) : from.slice(7);
  if (/^(?:postgres(?:ql)?:\/\/|pglite:)/i.test(given)) {
    throw new CliError('the source is a SQLite file: give it with --from sqlite:PATH');
  }
  const path = resolve(given);
  if (!existsSync(path)) throw new CliError(`no database at ${path}`);
  return { db: openDatabase(path), path };
}

const short = (hash: string) => hash.slice(0, 16);

/** The verification as a table: rows and content hash (first 16 hex digits of SHA-256) on each side. */
function reportLines(report: CopyReport): string[] {
  const rows = [
    ['TABLE', 'SQLITE ROWS', 'POSTGRES ROWS', 'SQLITE HASH', 'POSTGRES HASH', ''],
    ...report.checks.map((c) => [
      c.table,
      String(c.sqliteRows),
      String(c.postgresRows),
      short(c.sqliteHash),
      short(c.postgresHash),
      matches(c) ? 'ok' : 'MISMATCH',
    ]),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) =>
    r
      .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col])))
      .join('  ')
      .trimEnd(),
  );
}

/** Moving a SQLite deployment to PostgreSQL. */
export const copyDatabaseCommands: CommandDefinition[] = [
  {
    name: 'copy-database',
    options: {
      from: { type: 'string', value: 'sqlite:PATH' },
      to: { type: 'string', value: 'postgres://…' },
    },
    help: 'Copies the SQLite database into an empty PostgreSQL one (ids kept), then verifies every table.',
    // The source must already be at the code's schema version: copying is no reason to migrate it.
    migrates: false,
    async run({ values, out, env }) {
      const to = str(values, 'to') ?? env.CS_DATABASE_URL;
      if (to === undefined || to === '')
        throw new CliError('missing --to (a PostgreSQL URL), and CS_DATABASE_URL is not set');
      const source = openSource(values, env);
      try {
        // Before the target is opened (a new PGlite folder would be created for nothing).
        try {
          sourceVersion(source.db);
        } catch (error) {
          if (error instanceof CopyRefusedError) throw new CliError(error.message);
          throw error;
        }
        const target = await openTarget(to);
        try {
          out(`Copying ${source.path} to ${target.location}.`);
          let report: CopyReport;
          try {
            report = await copyDatabase(source.db, target, out);
          } catch (error) {
            if (error instanceof CopyRefusedError) throw new CliError(error.message);
            throw error;
          }
          for (const line of reportLines(report)) out(line);
          for (const s of report.skipped) out(`Not copied (${s.engine} only): ${s.table}: ${s.reason}.`);
          const differing = report.checks.filter((c) => !matches(c)).map((c) => c.table);
          if (!report.ok) {
            throw new CliError(
              `${differing.join(', ')} differ between SQLite and PostgreSQL: the copy was rolled back, nothing was written.`,
            );
          }
          out(
            `Copied ${report.checks.length} tables (schema version ${report.schemaVersion}); every row count and content hash matches.`,
          );
        } finally {
          await target.close();
        }
      } finally {
        source.db.close();
      }
    },
  },
];
