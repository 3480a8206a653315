// Benchmarks on PostgreSQL (issue 12): `--database-url=URL` (or `--database-url URL`), else CS_DATABASE_URL, names
// a PostgreSQL server. The database in the URL is only connected to: each benchmark works in databases of its own
// on that server, named cs_bench_<benchmark>…, dropped and created again on every run (never the URL's own).
// They are filled from the benchmark's SQLite seed through copy-database (server/db/copy), the way an operator
// moves a deployment, which is much faster than seeding through the repositories over the network.
import type { Db } from '../../server/db/connection.ts';
import { copyDatabase } from '../../server/db/copy/copy-database.ts';
import { connectPostgres, redactUrl, type PgDatabase } from '../../server/db/postgres/database.ts';

/** The PostgreSQL server to benchmark on, or undefined for SQLite. */
export function benchPostgresUrl(args: readonly string[] = process.argv.slice(2)): string | undefined {
  const at = args.findIndex((a) => a === '--database-url' || a.startsWith('--database-url='));
  const given = at < 0 ? undefined : args[at].includes('=') ? args[at].slice(15) : args[at + 1];
  const url = given ?? process.env.CS_DATABASE_URL;
  if (url === undefined || url === '') return undefined;
  if (!/^postgres(?:ql)?:\/\//i.test(url))
    throw new Error('--database-url / CS_DATABASE_URL: expected postgres://… or postgresql://…');
  return url;
}

/** The command-line arguments without `--database-url URL` (so that positional arguments stay what they were). */
export function withoutDatabaseUrl(args: readonly string[]): string[] {
  const at = args.indexOf('--database-url');
  return args.filter((a, i) => !a.startsWith('--database-url') && !(at >= 0 && i === at + 1));
}

/** `url` pointing at another database on the same server (user, host, port and query string kept). */
export function databaseUrl(url: string, database: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(\/[^?#]*)?/i, `$1/${database}`);
}

/** Runs `fn` on a connection to the server's own database (the URL's). */
async function onServer<T>(url: string, fn: (db: PgDatabase) => Promise<T>): Promise<T> {
  const db = await connectPostgres(url, { max: 1 });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const NAME = /^cs_bench_[a-z0-9_]+$/;

/**
 * A new empty database `name` (cs_bench_…) on the server, dropped first if it exists; with `template`, a copy of
 * that database (CREATE DATABASE … TEMPLATE: a file copy, seconds for 100k items). Returns its URL.
 */
export async function recreateDatabase(url: string, name: string, template?: string): Promise<string> {
  for (const n of [name, template ?? 'cs_bench_x'])
    if (!NAME.test(n)) throw new RangeError(`not a benchmark database name: ${n}`);
  await onServer(url, async (db) => {
    await db.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await db.exec(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  });
  return databaseUrl(url, name);
}

/**
 * The SQLite benchmark database copied into a new PostgreSQL database `name` with copy-database (every table, ids
 * kept, verified by counts and hashes), then ANALYZEd as a loaded database would be by autovacuum. Prints how long
 * the copy took; returns the new database's URL.
 */
export async function copyToPostgres(source: Db, url: string, name: string): Promise<string> {
  const target = await recreateDatabase(url, name);
  const started = performance.now();
  const db = await connectPostgres(target, { max: 1 });
  try {
    const report = await copyDatabase(source, db);
    if (!report.ok) throw new Error(`copy-database into ${redactUrl(target)} did not verify`);
    await db.exec('ANALYZE');
  } finally {
    await db.close();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`copied the SQLite seed to PostgreSQL (${redactUrl(target)}) in ${seconds.toFixed(1)} s`);
  return target;
}

/** The server's settings that decide write figures, for the benchmark's header. */
export async function serverSettings(url: string): Promise<string> {
  return onServer(url, async (db) => {
    const rows = await db.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM pg_settings
       WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_connections')
       ORDER BY name`,
    );
    return `PostgreSQL ${rows.map((r) => `${r.name}=${r.setting}`).join(' ')}`;
  });
}

/** The environment for a server child process: the SQLite file, or the PostgreSQL database (which then wins). */
export function serverEnv(location: { sqlite: string } | { postgres: string }): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CS_DATABASE_URL;
  if ('sqlite' in location) env.CS_DB_PATH = location.sqlite;
  else env.CS_DATABASE_URL = location.postgres;
  return env;
}
