// The CLI's runner: finds the command, parses its options, opens and migrates the database, prints errors.
// The commands are in commands/ (one file per group); the usage is generated from their definitions (usage.ts).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase, type Db } from '../db/connection.ts';
import { DatabaseTooNewError, migrate } from '../db/migrate.ts';
import { isPostgresLocation, openMigratedRepositories } from '../db/open-repositories.ts';
import { DatabaseUnreachableError, redactUrl } from '../db/postgres/database.ts';
import { MigrationFailedError } from '../db/postgres/migrate.ts';
import { createRepositories, type Repositories } from '../db/repositories.ts';
import { DEFAULT_DB_PATH } from '../default-paths.ts';
import { startInstance, type AppInstance } from '../domain/instances.ts';
import { AppError } from '../errors.ts';
import { CliError, parseOptions, str, type CliIo, type CommandDefinition, type Values } from './command.ts';
import { commands } from './commands/index.ts';
import { commandUsage, usage } from './usage.ts';

export type { CliIo } from './command.ts';

export const USAGE = usage(commands);

/** Splits argv into the command (one or two words) and the rest. */
function findCommand(argv: string[]): { command: CommandDefinition; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

/**
 * Runs one CLI command and returns the process exit code: 0 on success, 1 on any error (printed as
 * a message, never a stack trace). server/cli.ts wires it to process.argv; tests call it directly.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0])) {
    (argv.length === 0 ? io.err : io.out)(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`error: unknown command "${argv.slice(0, 2).join(' ')}"`);
    io.err(USAGE);
    return 1;
  }
  const { command } = found;
  let opened: { close(): Promise<void> } | undefined;
  let instance: Promise<AppInstance> | undefined;
  try {
    let values: Values;
    try {
      ({ values } = parseArgs({
        args: found.rest,
        options: {
          ...parseOptions(command.options),
          db: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (e) {
      throw new CliError(`${command.name}: ${(e as Error).message}`);
    }
    if (values.help === true) {
      io.out(commandUsage(command));
      return 0;
    }
    const env = io.env ?? process.env;
    // A SQLite file, or PostgreSQL: --db takes either; CS_DATABASE_URL wins over CS_DB_PATH, as for the server.
    const location = str(values, 'db') ?? env.CS_DATABASE_URL ?? env.CS_DB_PATH ?? DEFAULT_DB_PATH;
    const engine = !io.db && isPostgresLocation(location) ? 'postgres' : 'sqlite';
    let db: Db | undefined = io.db;
    let repos: Repositories | undefined;
    if (engine === 'sqlite') {
      if (!db) {
        if (command.name === 'backup' && !existsSync(location))
          throw new CliError(`no database at ${location}`);
        const file = openDatabase(location);
        opened = {
          close: () => {
            file.close();
            return Promise.resolve();
          },
        };
        db = file;
      }
      if (command.migrates) {
        migrate(db);
        repos = createRepositories(db);
      }
    } else if (command.migrates) {
      const migrated = await openMigratedRepositories(location);
      opened = migrated.repos;
      repos = migrated.repos;
    }
    const dbPath = engine === 'sqlite' ? location : redactUrl(location);
    await command.run({
      engine,
      // Read only by the commands that use them (the getters say what is missing rather than give undefined).
      get repos(): Repositories {
        if (!repos) throw new Error(`${command.name} does not open the repositories`);
        return repos;
      },
      get db(): Db {
        if (!db) throw new Error(`${dbPath} is a PostgreSQL database: ${command.name} needs a SQLite file`);
        return db;
      },
      location,
      dbPath,
      values,
      out: io.out,
      env,
      instance: () => {
        if (!repos) throw new Error(`${command.name} does not open the repositories`);
        return (instance ??= startInstance(repos.instances));
      },
    });
    return 0;
  } catch (e) {
    if (
      e instanceof CliError ||
      e instanceof AppError ||
      e instanceof DatabaseTooNewError ||
      e instanceof DatabaseUnreachableError ||
      e instanceof MigrationFailedError
    ) {
      for (const line of e.message.split('\n')) io.err(`error: ${line}`);
    } else {
      io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
    }
    return 1;
  } finally {
    await instance?.then((i) => i.stop()).catch(() => {});
    await opened?.close();
  }
}
