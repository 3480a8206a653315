import { DEFAULT_DB_PATH, DEFAULT_RELEASES_DIR } from '../default-paths.ts';
import type { CommandDefinition } from './command.ts';

const WIDTH = 100;
const PROGRAM = 'npm run cli --';

/** Words laid out in lines of at most WIDTH characters: the first after `first`, the rest after `rest`. */
function wrap(words: readonly string[], first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** `--username U`, `[--languages ko,ar]`, `[--commit]`: how an option is written, in brackets when optional. */
function optionSynopsis([name, option]: [string, CommandDefinition['options'][string]]): string {
  const text = option.type === 'string' ? `--${name} ${option.value ?? 'VALUE'}` : `--${name}`;
  return option.required ? text : `[${text}]`;
}

/** A command's synopsis after `before` (its words and options) and its one-line help below it, after `helpIndent`. */
function commandLines(command: CommandDefinition, before: string, helpIndent: string): string[] {
  const options = Object.entries(command.options).map(optionSynopsis);
  const head = `${before}${command.name} `;
  return [
    ...wrap(options, head, ' '.repeat(head.length)).map((line) => line.trimEnd()),
    ...wrap(command.help.split(' '), helpIndent, helpIndent),
  ];
}

const FOOTER = wrap(
  [
    `Every command takes --db PATH|URL, a SQLite file or a postgres:// URL (default: $CS_DATABASE_URL,`,
    `then $CS_DB_PATH, then ${DEFAULT_DB_PATH});`,
    `--releases-dir DIR defaults to $CS_RELEASES_DIR, then ${DEFAULT_RELEASES_DIR}.`,
    'Exit code 0 on success, 1 with an "error: …" line otherwise.',
  ]
    .join(' ')
    .split(' '),
  '',
  '',
);

/** The usage of every command, generated from their definitions. */
export function usage(commands: readonly CommandDefinition[]): string {
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    `       ${PROGRAM} <command> --help      (that command only)`,
    '',
    'Commands:',
    ...commands.flatMap((c) => commandLines(c, '  ', '      ')),
    '',
    ...FOOTER,
  ].join('\n');
}

/** The usage of one command. */
export function commandUsage(command: CommandDefinition): string {
  return [...commandLines(command, `Usage: ${PROGRAM} `, '  '), '', ...FOOTER].join('\n');
}
