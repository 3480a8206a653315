import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { migrate } from '../../db/migrate.ts';
import { openMigratedRepositories } from '../../db/open-repositories.ts';
import { CliError, required, type CommandDefinition } from '../command.ts';

/** The database file itself: an online backup, the schema brought up to date. */
export const maintenanceCommands: CommandDefinition[] = [
  {
    name: 'backup',
    options: { out: { type: 'string', value: 'FILE', required: true } },
    help: "Copies the database with SQLite's online backup; safe while the server runs.",
    migrates: false,
    async run(ctx) {
      const { engine, dbPath, values, out } = ctx;
      // PostgreSQL keeps its own backups: pg_dump (or the managed service's point-in-time recovery).
      if (engine === 'postgres') throw new CliError('backup copies a SQLite file; on PostgreSQL use pg_dump');
      const target = resolve(required(values, 'out'));
      if (existsSync(target)) throw new CliError(`${target} already exists; choose a new file`);
      mkdirSync(dirname(target), { recursive: true });
      // SQLite's online backup API: a consistent snapshot even while the server keeps writing.
      const { totalPages } = await ctx.db.backup(target);
      out(`Backed up ${dbPath} to ${target} (${totalPages} pages).`);
    },
  },

  {
    name: 'migrate',
    options: {},
    help: 'Brings the database schema up to date.',
    migrates: false,
    async run(ctx) {
      const { dbPath, out } = ctx;
      let before: number;
      let after: number;
      if (ctx.engine === 'sqlite') {
        before = ctx.db.pragma('user_version', { simple: true }) as number;
        after = migrate(ctx.db);
      } else {
        const migrated = await openMigratedRepositories(ctx.location);
        await migrated.repos.close();
        ({ before, after } = migrated);
      }
      out(
        after === before
          ? `${dbPath} is up to date (schema version ${after}).`
          : `Migrated ${dbPath} from schema version ${before} to ${after}.`,
      );
    },
  },
];
