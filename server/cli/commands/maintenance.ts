import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { migrate } from '../../db/migrate.ts';
import { CliError, required, type CommandDefinition } from '../command.ts';

/** The database file itself: an online backup, the schema brought up to date. */
export const maintenanceCommands: CommandDefinition[] = [
  {
    name: 'backup',
    options: { out: { type: 'string', value: 'FILE', required: true } },
    help: "Copies the database with SQLite's online backup; safe while the server runs.",
    migrates: false,
    async run({ db, dbPath, values, out }) {
      const target = resolve(required(values, 'out'));
      if (existsSync(target)) throw new CliError(`${target} already exists; choose a new file`);
      mkdirSync(dirname(target), { recursive: true });
      // SQLite's online backup API: a consistent snapshot even while the server keeps writing.
      const { totalPages } = await db.backup(target);
      out(`Backed up ${dbPath} to ${target} (${totalPages} pages).`);
    },
  },

  {
    name: 'migrate',
    options: {},
    help: 'Brings the database schema up to date.',
    migrates: false,
    run({ db, dbPath, out }) {
      const before = db.pragma('user_version', { simple: true }) as number;
      const after = migrate(db);
      out(
        after === before
          ? `${dbPath} is up to date (schema version ${after}).`
          : `Migrated ${dbPath} from schema version ${before} to ${after}.`,
      );
    },
  },
];
