import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { createUserSchema, passwordSchema, type User } from '../../schema/user.ts';
import { openDatabase, type Db } from '../db/connection.ts';
import { DatabaseTooNewError, migrate } from '../db/migrate.ts';
import { createRepositories } from '../db/repositories.ts';
import { createAuthService } from '../domain/auth.ts';
import { generatePassword } from '../domain/passwords.ts';
import { createUser, setPassword } from '../domain/users.ts';
import { AppError } from '../http/errors.ts';
import { createImportService } from '../domain/import/service.ts';
import { runImportJob } from '../domain/import/job.ts';
import { canReadReleaseContents } from '../domain/releases/access.ts';
import { createReleaseService } from '../domain/releases/service.ts';
import { pushReleaseToHub, releaseHubFiles } from '../domain/hub-publish.ts';
import { hubPushSchema } from '../../schema/hub.ts';
import { pipeline } from 'node:stream/promises';
import { createImportSchema, type ImportJob } from '../../schema/import.ts';
import { createReleaseSchema } from '../../schema/release.ts';
import { reportQuerySchema, type ResponseImportReport } from '../../schema/scoring.ts';
import { buildReport, reportCsv } from '../domain/scoring/report.ts';
import { createScoringService } from '../domain/scoring/service.ts';

export const DEFAULT_DB_PATH = 'data/culture-studio.sqlite';
export const DEFAULT_RELEASES_DIR = 'data/releases';

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  user add --username U --role annotator|reviewer|maintainer [--languages ko,ar]
           [--display-name N] [--password P]     (a password is generated and printed if omitted)
  user list
  user set-password --username U [--password P] (generated if omitted; ends the user's sessions
                                                and revokes their API tokens)
  token create --username U --name N            (prints the API token once)
  backup --out FILE                             (online backup; safe while the server runs)
  import --username U --dataset ID|SLUG --file F [--format csv|jsonl|json] [--preset P | --mapping M.json]
         [--defaults JSON] [--status submitted|accepted] [--commit]
                                                (a dry run unless --commit; U is the importing maintainer)
  release create --username U --dataset ID|SLUG --version V --title T [--notes N] [--license L]
                 [--languages ko,ar] [--kinds culture,safety] [--categories a,b] [--include-submitted]
                 [--confirm-license]                (publish share-alike items under another licence anyway)
  release list [--dataset ID|SLUG]
  release download --username U --dataset ID|SLUG --version V --out FILE
                                                (the release archive, .tar.gz, as U may read it)
  release push --username U --dataset ID|SLUG --version V --repo NAMESPACE/NAME [--private]
                                                (to a Hugging Face Hub dataset repo: one commit, tag V;
                                                token from $CS_HF_TOKEN, Hub from $CS_HF_ENDPOINT)
  runs list [--release ID]                      (model runs, with their progress)
  responses import --run ID --file F [--format csv|jsonl] [--commit]
                                                (columns id,response; a dry run unless --commit)
  report --release ID --out FILE [--format csv|json] [--seed N] [--resamples N]
                                                (per model × language × category, with 95% intervals)
  migrate                                       (bring the database schema up to date)

Every command takes --db PATH (default: $CS_DB_PATH or ${DEFAULT_DB_PATH}); release commands take
--releases-dir DIR (default: $CS_RELEASES_DIR or ${DEFAULT_RELEASES_DIR}).`;

export interface CliIo {
  /** Where normal output goes, one line per call. */
  out: (line: string) => void;
  /** Where errors go, one line per call. */
  err: (line: string) => void;
  /** An already open database; otherwise it is opened from --db, CS_DB_PATH or the default path. */
  db?: Db;
  env?: Record<string, string | undefined>;
}

/** A mistake by the person at the terminal: printed as one line, exit code 1, no stack trace. */
class CliError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  options: Options;
  /** Whether the command needs the schema at the current version (it migrates if so). */
  migrates: boolean;
  run(ctx: {
    db: Db;
    dbPath: string;
    values: Values;
    out: CliIo['out'];
    env: Record<string, string | undefined>;
  }): Promise<void> | void;
}

const str = (values: Values, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};
const required = (values: Values, name: string): string => {
  const v = str(values, name);
  if (v === undefined || v.trim() === '') throw new CliError(`missing --${name}`);
  return v;
};

const FLAG_FOR_FIELD: Record<string, string> = { displayName: 'display-name' };

/** zod issues as "--flag: message" lines. */
function invalidOptions(error: z.ZodError): CliError {
  const lines = error.issues.map((i) => {
    const field = String(i.path[0] ?? '');
    return `--${FLAG_FOR_FIELD[field] ?? field}: ${i.message}`;
  });
  return new CliError(lines.join('\n'));
}

const describeUser = (u: User) =>
  `${u.username} (${u.role}${u.languages.length ? `; ${u.languages.join(', ')}` : ''})`;

function maintainer(repos: ReturnType<typeof createRepositories>, username: string): User {
  const user = repos.users.getByUsername(username);
  if (!user) throw new CliError(`no user named ${username}`);
  if (user.role !== 'maintainer' || user.disabled)
    throw new CliError(`${username} is not an active maintainer`);
  return user;
}

/** A dataset by numeric id or slug. */
function datasetIdOf(repos: ReturnType<typeof createRepositories>, idOrSlug: string): number {
  const dataset = repos.datasets.list().find((d) => String(d.id) === idOrSlug || d.slug === idOrSlug);
  if (!dataset) throw new CliError(`no dataset ${idOrSlug}`);
  return dataset.id;
}

function positiveId(text: string, flag: string): number {
  if (!/^[1-9]\d{0,15}$/.test(text)) throw new CliError(`${flag} must be a positive whole number`);
  return Number(text);
}

/** Writes a file whole or not at all: a temporary file next to it, fsynced, then renamed into place. */
function writeFileAtomically(target: string, text: string) {
  if (existsSync(target)) throw new CliError(`${target} already exists; choose a new file`);
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.partial-${process.pid}`;
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

function printResponseImport(report: ResponseImportReport, file: string, out: CliIo['out']) {
  out(
    `${report.dryRun ? 'Dry run' : 'Import'} of ${basename(file)}: ${report.rows} rows, ${report.valid} valid, ${report.errorCount} problem(s).`,
  );
  printIssues(report.errors, report.errorCount, out);
  if (report.dryRun && report.errorCount === 0)
    out('Nothing was written; run again with --commit to import.');
  if (!report.dryRun) out(`Imported and scored ${report.imported} responses.`);
}

function jsonOption(text: string, flag: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError(`${flag}: not valid JSON`);
  }
}

const releasesDirOf = (values: Values, env: Record<string, string | undefined>) =>
  str(values, 'releases-dir') ?? env.CS_RELEASES_DIR ?? DEFAULT_RELEASES_DIR;

function printImport(job: ImportJob, out: CliIo['out']) {
  const what = job.dryRun ? 'Dry run' : 'Import';
  out(`${what} of ${job.fileName}: ${job.state}; ${job.rowsTotal ?? job.rowsProcessed} rows.`);
  if (job.state !== 'failed') {
    out(
      `${job.dryRun ? 'Would create' : 'Created'} ${job.created}, ${job.dryRun ? 'update' : 'updated'} ${job.updated}, unchanged ${job.unchanged}.`,
    );
    if (job.dryRun) out('Nothing was written; run again with --commit to import.');
    return;
  }
  printIssues(job.errors, job.errorCount, out);
}

/** The first 50 problems of an import, one line each: where (row, line, column; or the file), id, code, message. */
function printIssues(
  issues: readonly {
    row: number | null;
    line: number | null;
    column?: string | null;
    id?: string | null;
    code: string;
    message: string;
  }[],
  count: number,
  out: CliIo['out'],
) {
  for (const e of issues.slice(0, 50)) {
    const where = [
      e.row === null ? null : `row ${e.row}`,
      e.line === null ? null : `line ${e.line}`,
      e.column && `column ${e.column}`,
    ]
      .filter(Boolean)
      .join(', ');
    out(`  ${where || 'file'}${e.id ? ` (${e.id})` : ''}: ${e.code}: ${e.message}`);
  }
  if (count > 50) out(`  … and ${count - 50} more`);
}

const commands: Record<string, Command> = {
  'user add': {
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      languages: { type: 'string' },
      password: { type: 'string' },
      'display-name': { type: 'string' },
    },
    migrates: true,
    async run({ db, values, out }) {
      const given = str(values, 'password');
      const password = given ?? generatePassword();
      const parsed = createUserSchema.safeParse({
        username: required(values, 'username'),
        role: required(values, 'role'),
        languages: (str(values, 'languages') ?? '')
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
        password,
        ...(str(values, 'display-name') === undefined ? {} : { displayName: str(values, 'display-name') }),
      });
      if (!parsed.success) throw invalidOptions(parsed.error);
      const user = await createUser(createRepositories(db).users, parsed.data);
      out(`Created ${describeUser(user)}.`);
      if (given === undefined) out(`One-time password (shown only now): ${password}`);
    },
  },

  'user list': {
    options: {},
    migrates: true,
    run({ db, out }) {
      const users = createRepositories(db).users.list();
      if (users.length === 0) {
        out('No users yet.');
        return;
      }
      const rows = [
        ['USERNAME', 'ROLE', 'LANGUAGES', 'STATUS', 'NAME'],
        ...users.map((u) => [
          u.username,
          u.role,
          u.languages.join(',') || '-',
          u.disabled ? 'disabled' : 'active',
          u.displayName,
        ]),
      ];
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...r[c]!].length)));
      for (const r of rows) {
        out(
          r
            .map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c]! - [...cell].length)))
            .join('  '),
        );
      }
    },
  },

  'user set-password': {
    options: { username: { type: 'string' }, password: { type: 'string' } },
    migrates: true,
    async run({ db, values, out }) {
      const username = required(values, 'username');
      const given = str(values, 'password');
      const password = given ?? generatePassword();
      const parsed = z.object({ password: passwordSchema }).safeParse({ password });
      if (!parsed.success) throw invalidOptions(parsed.error);
      const users = createRepositories(db).users;
      if (!users.getByUsername(username)) throw new CliError(`no user named ${username}`);
      await setPassword(users, username, parsed.data.password);
      out(`Password of ${username} changed; their sessions have ended and their API tokens are revoked.`);
      if (given === undefined) out(`One-time password (shown only now): ${password}`);
    },
  },

  'token create': {
    options: { username: { type: 'string' }, name: { type: 'string' } },
    migrates: true,
    run({ db, values, out }) {
      const username = required(values, 'username');
      const name = required(values, 'name').normalize('NFC');
      if (name.length > 100) throw new CliError('--name: At most 100 characters');
      const repos = createRepositories(db);
      const user = repos.users.getByUsername(username);
      if (!user) throw new CliError(`no user named ${username}`);
      if (user.disabled) throw new CliError(`${username} is disabled`);
      const token = createAuthService(repos.users).createToken(user.id, name);
      out(`Created API token "${name}" for ${username}; copy it now, it is not shown again:`);
      out(token.token);
    },
  },

  import: {
    options: {
      username: { type: 'string' },
      dataset: { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
      preset: { type: 'string' },
      mapping: { type: 'string' },
      defaults: { type: 'string' },
      status: { type: 'string' },
      commit: { type: 'boolean' },
    },
    migrates: true,
    async run({ db, values, out }) {
      const repos = createRepositories(db);
      const user = maintainer(repos, required(values, 'username'));
      const datasetId = datasetIdOf(repos, required(values, 'dataset'));
      const file = resolve(required(values, 'file'));
      if (!existsSync(file)) throw new CliError(`no file ${file}`);
      const format =
        str(values, 'format') ??
        (/\.json$/i.test(file) ? 'json' : /\.jsonl$|\.ndjson$/i.test(file) ? 'jsonl' : 'csv');
      const mappingFile = str(values, 'mapping');
      const parsed = createImportSchema.safeParse({
        datasetId,
        format,
        fileName: basename(file),
        dryRun: values.commit !== true,
        ...(str(values, 'preset') === undefined ? {} : { preset: str(values, 'preset') }),
        ...(mappingFile === undefined
          ? {}
          : { mapping: jsonOption(readFileSync(mappingFile, 'utf8'), '--mapping') }),
        ...(str(values, 'defaults') === undefined
          ? {}
          : { defaults: jsonOption(str(values, 'defaults')!, '--defaults') }),
        ...(str(values, 'status') === undefined ? {} : { status: str(values, 'status') }),
      });
      if (!parsed.success) throw invalidOptions(parsed.error);
      const imports = createImportService(repos);
      const job = imports.create(user, parsed.data);
      imports.claim(job.id, statSync(file).size);
      // The same job as the server's, on a job thread; the CLI waits for it.
      const done = await runImportJob(repos, user.id, job.id, file);
      printImport(done, out);
      if (done.state === 'failed') throw new CliError(`${done.errorCount} problem(s); nothing was imported`);
    },
  },

  'release create': {
    options: {
      username: { type: 'string' },
      dataset: { type: 'string' },
      version: { type: 'string' },
      title: { type: 'string' },
      notes: { type: 'string' },
      license: { type: 'string' },
      languages: { type: 'string' },
      kinds: { type: 'string' },
      categories: { type: 'string' },
      'include-submitted': { type: 'boolean' },
      'confirm-license': { type: 'boolean' },
      'releases-dir': { type: 'string' },
    },
    migrates: true,
    async run({ db, values, out, env }) {
      const repos = createRepositories(db);
      const user = maintainer(repos, required(values, 'username'));
      const list = (name: string) =>
        (str(values, name) ?? '')
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
      const parsed = createReleaseSchema.safeParse({
        datasetId: datasetIdOf(repos, required(values, 'dataset')),
        version: required(values, 'version'),
        title: required(values, 'title'),
        ...(str(values, 'notes') === undefined ? {} : { notes: str(values, 'notes') }),
        ...(str(values, 'license') === undefined ? {} : { license: str(values, 'license') }),
        ...(values['confirm-license'] === true ? { confirmLicense: true } : {}),
        filter: {
          languages: list('languages'),
          kinds: list('kinds'),
          categories: list('categories'),
          includeSubmitted: values['include-submitted'] === true,
        },
      });
      if (!parsed.success) throw invalidOptions(parsed.error);
      const releases = createReleaseService(repos, { releasesDir: releasesDirOf(values, env) });
      const release = await releases.createAndWait(user, parsed.data);
      out(
        `Published release ${release.version} of dataset ${parsed.data.datasetId}: ${release.itemCount} items.`,
      );
      out(
        `Archive: ${release.archive?.name} (${release.archive?.size} bytes, sha256 ${release.archive?.sha256})`,
      );
    },
  },

  'release list': {
    options: { dataset: { type: 'string' } },
    migrates: true,
    run({ db, values, out }) {
      const repos = createRepositories(db);
      const dataset = str(values, 'dataset');
      const releases = createReleaseService(repos, { releasesDir: DEFAULT_RELEASES_DIR }).list(
        dataset === undefined ? undefined : datasetIdOf(repos, dataset),
      );
      if (releases.length === 0) {
        out('No releases yet.');
        return;
      }
      for (const r of releases) {
        out(
          `${r.version}  ${r.state}  ${r.itemCount} items  ${r.releasedAt}  dataset ${r.datasetId}  ${r.title}`,
        );
      }
    },
  },

  'release download': {
    options: {
      username: { type: 'string' },
      dataset: { type: 'string' },
      version: { type: 'string' },
      out: { type: 'string' },
      'releases-dir': { type: 'string' },
    },
    migrates: true,
    async run({ db, values, out, env }) {
      const repos = createRepositories(db);
      const username = required(values, 'username');
      // Read as that user: the same rule as the API (a release they may not read is "no release").
      const user = repos.users.getByUsername(username);
      if (!user || user.disabled) throw new CliError(`no active user named ${username}`);
      const datasetId = datasetIdOf(repos, required(values, 'dataset'));
      const version = required(values, 'version');
      const release = repos.releases.byVersion(datasetId, version);
      if (!release || !canReadReleaseContents(repos, user, release))
        throw new CliError(`no release ${version} of dataset ${datasetId} that ${username} may read`);
      const target = resolve(required(values, 'out'));
      if (existsSync(target)) throw new CliError(`${target} already exists; choose a new file`);
      const archive = await createReleaseService(repos, {
        releasesDir: releasesDirOf(values, env),
        // A damaged release: the path and both hashes, for the operator (the error line follows).
        log: (message) => console.error(message),
      }).archive(user, release.id);
      mkdirSync(dirname(target), { recursive: true });
      try {
        await pipeline(archive.stream, createWriteStream(target, { flags: 'wx' }));
      } catch (e) {
        // Only a file this command created (wx never opens one that exists).
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(target, { force: true });
        throw e;
      }
      out(`Saved ${archive.name} to ${target}.`);
    },
  },

  'release push': {
    options: {
      username: { type: 'string' },
      dataset: { type: 'string' },
      version: { type: 'string' },
      repo: { type: 'string' },
      private: { type: 'boolean' },
      'releases-dir': { type: 'string' },
    },
    migrates: true,
    async run({ db, values, out, env }) {
      const repos = createRepositories(db);
      const username = required(values, 'username');
      const user = repos.users.getByUsername(username);
      if (!user || user.disabled || user.role !== 'maintainer')
        throw new CliError(`no active maintainer named ${username}`);
      const datasetId = datasetIdOf(repos, required(values, 'dataset'));
      const version = required(values, 'version');
      const release = repos.releases.byVersion(datasetId, version);
      if (!release) throw new CliError(`no release ${version} of dataset ${datasetId}`);
      const input = hubPushSchema.safeParse({
        repo: required(values, 'repo'),
        private: values.private === true,
      });
      if (!input.success) throw new CliError(`--repo: ${input.error.issues[0]?.message ?? 'invalid'}`);
      const releases = createReleaseService(repos, {
        releasesDir: releasesDirOf(values, env),
        log: (message) => console.error(message),
      });
      const endpoint = env.CS_HF_ENDPOINT ?? 'https://huggingface.co';
      const files = releaseHubFiles(releases, user, release);
      const pushed = await pushReleaseToHub(
        { endpoint, token: env.CS_HF_TOKEN ?? null },
        release,
        files,
        input.data,
      );
      out(`Pushed release ${version} to ${pushed.url}${pushed.created ? ' (new repository)' : ''}:`);
      out(
        `  commit ${pushed.commit.oid}, tag ${pushed.tag}; ${pushed.uploaded} files, ${pushed.deleted.length} deleted.`,
      );
    },
  },

  'runs list': {
    options: { release: { type: 'string' } },
    migrates: true,
    run({ db, values, out }) {
      const release = str(values, 'release');
      const runs = createScoringService(createRepositories(db)).listRuns(
        release === undefined ? {} : { release: positiveId(release, '--release') },
      );
      if (runs.length === 0) {
        out('No runs yet.');
        return;
      }
      for (const r of runs) {
        const p = r.progress;
        out(
          `${r.id}  ${r.modelName}  release ${r.releaseVersion} (${r.releaseId})  ${r.status}  ${p.responses}/${p.items} answered, ${p.correct}/${p.autoScored} correct, ${p.toRate} to rate`,
        );
      }
    },
  },

  'responses import': {
    options: {
      run: { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
      commit: { type: 'boolean' },
    },
    migrates: true,
    async run({ db, values, out }) {
      const runId = positiveId(required(values, 'run'), '--run');
      const file = resolve(required(values, 'file'));
      if (!existsSync(file)) throw new CliError(`no file ${file}`);
      const format = str(values, 'format') ?? (/\.jsonl?$|\.ndjson$/i.test(file) ? 'jsonl' : 'csv');
      if (format !== 'csv' && format !== 'jsonl') throw new CliError('--format must be csv or jsonl');
      const scoring = createScoringService(createRepositories(db));
      let report: ResponseImportReport;
      try {
        report = await scoring.importResponses(runId, format, createReadStream(file), values.commit !== true);
      } catch (e) {
        // A file with problems is refused with its report: printed like a dry run's.
        const refused =
          e instanceof AppError ? (e.details as { report?: ResponseImportReport })?.report : null;
        if (!refused) throw e;
        report = refused;
      }
      printResponseImport(report, file, out);
      if (report.errorCount > 0) throw new CliError(`${report.errorCount} problem(s); nothing was imported`);
    },
  },

  report: {
    options: {
      release: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      seed: { type: 'string' },
      resamples: { type: 'string' },
    },
    migrates: true,
    run({ db, values, out }) {
      const target = resolve(required(values, 'out'));
      const format = str(values, 'format') ?? (target.toLowerCase().endsWith('.json') ? 'json' : 'csv');
      if (format !== 'csv' && format !== 'json') throw new CliError('--format must be csv or json');
      const parsed = reportQuerySchema.safeParse({
        release: required(values, 'release'),
        ...(str(values, 'seed') === undefined ? {} : { seed: str(values, 'seed') }),
        ...(str(values, 'resamples') === undefined ? {} : { resamples: str(values, 'resamples') }),
      });
      if (!parsed.success) throw invalidOptions(parsed.error);
      const report = buildReport(createRepositories(db), parsed.data);
      writeFileAtomically(
        target,
        format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportCsv(report),
      );
      out(`Saved the report of release ${parsed.data.release} (${format}) to ${target}.`);
    },
  },

  backup: {
    options: { out: { type: 'string' } },
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

  migrate: {
    options: {},
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
};

/** Splits argv into the command (one or two words) and the rest. */
function findCommand(argv: string[]): { name: string; command: Command; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands[name];
    if (command) return { name, command, rest: argv.slice(words) };
  }
  return undefined;
}

/**
 * Runs one CLI command and returns the process exit code: 0 on success, 1 on any error (printed as
 * a message, never a stack trace). server/cli.ts wires it to process.argv; tests call it directly.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0]!)) {
    (argv.length === 0 ? io.err : io.out)(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`error: unknown command "${argv.slice(0, 2).join(' ')}"`);
    io.err(USAGE);
    return 1;
  }
  let opened: Db | undefined;
  try {
    let values: Values;
    try {
      ({ values } = parseArgs({
        args: found.rest,
        options: { ...found.command.options, db: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (e) {
      throw new CliError(`${found.name}: ${(e as Error).message}`);
    }
    const env = io.env ?? process.env;
    const dbPath = str(values, 'db') ?? env.CS_DB_PATH ?? DEFAULT_DB_PATH;
    let db = io.db;
    if (!db) {
      if (found.name === 'backup' && !existsSync(dbPath)) throw new CliError(`no database at ${dbPath}`);
      db = opened = openDatabase(dbPath);
    }
    if (found.command.migrates) migrate(db);
    await found.command.run({ db, dbPath, values, out: io.out, env });
    return 0;
  } catch (e) {
    if (e instanceof CliError || e instanceof AppError || e instanceof DatabaseTooNewError) {
      for (const line of e.message.split('\n')) io.err(`error: ${line}`);
    } else {
      io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
    }
    return 1;
  } finally {
    opened?.close();
  }
}
