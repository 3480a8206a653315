import type { ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import type { Db } from '../db/connection.ts';
import type { Engine } from '../db/open-repositories.ts';
import type { Repositories } from '../db/repositories.ts';
import type { AppInstance } from '../domain/instances.ts';

export interface CliIo {
  /** Where normal output goes, one line per call. */
  out: (line: string) => void;
  /** Where errors go, one line per call. */
  err: (line: string) => void;
  /** An already open database; otherwise it is opened from --db, CS_DATABASE_URL, CS_DB_PATH or the default path. */
  db?: Db;
  env?: Record<string, string | undefined>;
}

/** A mistake by the person at the terminal: printed as one line, exit code 1, no stack trace. */
export class CliError extends Error {}

export type Values = Record<string, string | boolean | undefined>;

/** One option of a command: how parseArgs reads it and how the usage shows it. */
export interface OptionDefinition {
  type: 'string' | 'boolean';
  /** The value's placeholder in the usage (`U`, `ID|SLUG`, `csv|jsonl`); string options only. */
  value?: string;
  /** Shown without brackets in the usage (the command itself refuses it missing). */
  required?: boolean;
}

export interface CommandContext {
  engine: Engine;
  /** The database's repositories, either engine: opened for the commands that migrate (reading it otherwise throws). */
  repos: Repositories;
  /** SQLite's connection, for SQLite-only work (backup, migrate, copy-database's source); reading it on PostgreSQL throws. */
  db: Db;
  /** Where the database is: the --db value, CS_DATABASE_URL or the SQLite path (may carry a password: never print it). */
  location: string;
  /** Where the database is, as it may be printed (a URL without its password). */
  dbPath: string;
  values: Values;
  out: CliIo['out'];
  env: Record<string, string | undefined>;
  /**
   * This CLI process as an app instance, registered on first call and removed when the command ends: commands
   * that run jobs (an import, a release build) make it their owner, so that a server starting meanwhile leaves
   * them alone (server/domain/instances.ts).
   */
  instance: () => Promise<AppInstance>;
}

/** One command: its words, options and one-line help (the usage is generated from them) and what it does. */
export interface CommandDefinition {
  /** One or two words: `backup`, `user add`. */
  name: string;
  options: Record<string, OptionDefinition>;
  /** What the command does, one line, shown under it in the usage. */
  help: string;
  /** Whether the command needs the schema at the current version (it migrates if so). */
  migrates: boolean;
  run(ctx: CommandContext): Promise<void> | void;
}

/** The options as parseArgs takes them (placeholders and required marks are for the usage only). */
export const parseOptions = (
  options: CommandDefinition['options'],
): NonNullable<ParseArgsConfig['options']> =>
  Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type }]));

export const str = (values: Values, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

export const required = (values: Values, name: string): string => {
  const v = str(values, name);
  if (v === undefined || v.trim() === '') throw new CliError(`missing --${name}`);
  return v;
};

const FLAG_FOR_FIELD: Record<string, string> = { displayName: 'display-name' };

/** zod issues as "--flag: message" lines. */
export function invalidOptions(error: z.ZodError): CliError {
  const lines = error.issues.map((i) => {
    const field = String(i.path[0] ?? '');
    return `--${FLAG_FOR_FIELD[field] ?? field}: ${i.message}`;
  });
  return new CliError(lines.join('\n'));
}

export function positiveId(text: string, flag: string): number {
  if (!/^[1-9]\d{0,15}$/.test(text)) throw new CliError(`${flag} must be a positive whole number`);
  return Number(text);
}

export function jsonOption(text: string, flag: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError(`${flag}: not valid JSON`);
  }
}
