import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run-cli.ts';
import { openDatabase } from '../../server/db/connection.ts';
import { loadMigrations } from '../../server/db/migrate.ts';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app.ts';

const PASSWORD = 'cli-password-123';

/**
 * Runs the CLI in-process and collects its output: on the test context's database when given (SQLite's open
 * connection, or PostgreSQL's location via --db: PGlite's is shared on this thread), else as argv and env say.
 */
async function cli(argv: string[], options: { t?: TestContext; env?: Record<string, string> } = {}) {
  const { t } = options;
  const out: string[] = [];
  const err: string[] = [];
  const onPostgres = t?.engine === 'postgres';
  const code = await runCli(onPostgres ? [...argv, '--db', t.location ?? t.repos.location] : argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    ...(t && !onPostgres ? { db: t.db } : {}),
    env: options.env ?? {},
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const userCount = async (t: TestContext) =>
  (await t.sql<{ n: number }>('SELECT count(*) AS n FROM users'))[0].n;

const login = (app: Parameters<typeof request>[0], username: string, password: string) =>
  request(app).post('/api/auth/login').send({ username, password });

describe('cli user add', () => {
  it('creates a user who can then log in over HTTP', async () => {
    const t = await createTestContext();
    const r = await cli(
      [
        'user',
        'add',
        '--username',
        'layla',
        '--role',
        'reviewer',
        '--languages',
        'ar, ko',
        '--password',
        PASSWORD,
        '--display-name',
        'ليلى',
      ],
      { t },
    );
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('layla (reviewer; ar, ko)');
    expect(r.out).not.toContain(PASSWORD);
    const res = await login(t.app, 'layla', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ displayName: 'ليلى', role: 'reviewer', languages: ['ar', 'ko'] });
  });

  it('when no password is given, then it generates one, prints it once, and it works', async () => {
    const t = await createTestContext();
    const r = await cli(['user', 'add', '--username', 'tunde', '--role', 'annotator', '--languages', 'yo'], {
      t,
    });
    expect(r.code).toBe(0);
    const password = /password \(shown only now\): (\S+)/.exec(r.out)?.[1];
    expect(password).toBeDefined();
    expect((await login(t.app, 'tunde', password!)).status).toBe(200);
  });

  it('when the username is taken, then exit code 1 with a clear message and no stack trace', async () => {
    const t = await createTestContext();
    await cli(['user', 'add', '--username', 'amani', '--role', 'annotator', '--password', PASSWORD], { t });
    const r = await cli(
      ['user', 'add', '--username', 'AMANI', '--role', 'maintainer', '--password', PASSWORD],
      { t },
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: .*already taken/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(await userCount(t)).toBe(1);
  });

  it('when options are invalid or missing, then exit code 1 naming each bad option', async () => {
    const t = await createTestContext();
    const bad = await cli(
      ['user', 'add', '--username', 'x y', '--role', 'owner', '--languages', 'ko,!!', '--password', 'short'],
      { t },
    );
    expect(bad.code).toBe(1);
    for (const flag of ['--username', '--role', '--languages', '--password']) expect(bad.err).toContain(flag);
    const missing = await cli(['user', 'add', '--role', 'annotator'], { t });
    expect(missing).toMatchObject({ code: 1, err: 'error: missing --username' });
    const unknown = await cli(['user', 'add', '--username', 'x1', '--role', 'annotator', '--admin'], { t });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/Unknown option '--admin'/);
    expect(await userCount(t)).toBe(0);
  });
});

describe('cli user list and set-password', () => {
  it('lists users with role, languages and status', async () => {
    const t = await createTestContext();
    await t.addUser('minji', 'annotator', ['ko']);
    await t.addUser('admin', 'maintainer');
    const r = await cli(['user', 'list'], { t });
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^USERNAME\s+ROLE\s+LANGUAGES\s+STATUS\s+NAME$/);
    expect(lines[1]).toMatch(/^admin\s+maintainer\s+-\s+active\s+admin$/);
    expect(lines[2]).toMatch(/^minji\s+annotator\s+ko\s+active\s+minji$/);
  });

  it('sets a new password: the old one stops working, sessions end, the new one works', async () => {
    const t = await createTestContext();
    await t.addUser('priya', 'annotator', ['hi']);
    const session = await t.login('priya');
    const r = await cli(['user', 'set-password', '--username', 'priya', '--password', PASSWORD], {
      t,
    });
    expect(r.code).toBe(0);
    expect((await session.get('/api/auth/session')).status).toBe(401);
    expect((await login(t.app, 'priya', TEST_PASSWORD)).status).toBe(401);
    expect((await login(t.app, 'priya', PASSWORD)).status).toBe(200);
  });

  it('revokes the API tokens of the user whose password it sets', async () => {
    const t = await createTestContext();
    await t.addUser('priya', 'annotator', ['hi']);
    const token = (await cli(['token', 'create', '--username', 'priya', '--name', 'nightly'], { t })).out
      .split('\n')
      .at(-1)!;
    const bearer = () => request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`);
    expect((await bearer()).status).toBe(200);
    const r = await cli(['user', 'set-password', '--username', 'priya', '--password', PASSWORD], {
      t,
    });
    expect(r.out).toBe(
      'Password of priya changed; their sessions have ended and their API tokens are revoked.',
    );
    const after = await bearer();
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('invalid-token');
  });

  it('generates a password when none is given, and refuses unknown users', async () => {
    const t = await createTestContext();
    await t.addUser('priya', 'annotator', ['hi']);
    const r = await cli(['user', 'set-password', '--username', 'priya'], { t });
    const password = /password \(shown only now\): (\S+)/.exec(r.out)?.[1];
    expect((await login(t.app, 'priya', password!)).status).toBe(200);
    const ghost = await cli(['user', 'set-password', '--username', 'ghost'], { t });
    expect(ghost).toMatchObject({ code: 1, err: 'error: no user named ghost' });
  });
});

describe('cli token create', () => {
  it('prints a token once that authenticates as the user', async () => {
    const t = await createTestContext();
    await t.addUser('somchai', 'annotator', ['th']);
    const r = await cli(['token', 'create', '--username', 'somchai', '--name', 'nightly import'], {
      t,
    });
    expect(r.code).toBe(0);
    const token = r.out.split('\n').at(-1)!;
    expect(token).toMatch(/^cst_/);
    const res = await request(t.app).get('/api/auth/session').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe('somchai');
    const listed = await request(t.app).get('/api/me/tokens').set('Authorization', `Bearer ${token}`);
    expect(listed.body[0].name).toBe('nightly import');
  });

  it('when the user does not exist or the name is missing, then exit code 1', async () => {
    const t = await createTestContext();
    expect((await cli(['token', 'create', '--username', 'ghost', '--name', 'x'], { t })).code).toBe(1);
    await t.addUser('somchai', 'annotator', ['th']);
    const r = await cli(['token', 'create', '--username', 'somchai'], { t });
    expect(r).toMatchObject({ code: 1, err: 'error: missing --name' });
  });
});

describe('cli database selection and migrate', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'cs-cli-'));
    dirs.push(d);
    return d;
  };

  it('migrates the database named by --db, and says so when it is already up to date', async () => {
    const path = join(tempDir(), 'nested', 'cs.sqlite');
    const latest = loadMigrations().length;
    const first = await cli(['migrate', '--db', path]);
    expect(first).toMatchObject({ code: 0, out: `Migrated ${path} from schema version 0 to ${latest}.` });
    const again = await cli(['migrate', '--db', path]);
    expect(again.out).toBe(`${path} is up to date (schema version ${latest}).`);
  });

  it('uses CS_DB_PATH when there is no --db', async () => {
    const path = join(tempDir(), 'env.sqlite');
    const r = await cli(
      ['user', 'add', '--username', 'admin', '--role', 'maintainer', '--password', PASSWORD],
      {
        env: { CS_DB_PATH: path },
      },
    );
    expect(r.code).toBe(0);
    const db = openDatabase(path);
    expect(db.prepare('SELECT username FROM users').all()).toEqual([{ username: 'admin' }]);
    db.close();
  });

  it('when the database is newer than the code, then exit code 1 with the reason', async () => {
    const path = join(tempDir(), 'future.sqlite');
    const db = openDatabase(path);
    db.pragma('user_version = 999');
    db.close();
    const r = await cli(['user', 'list', '--db', path]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/newer than this code supports/);
  });

  it('when the command is unknown or missing, then exit code 1 with the usage', async () => {
    const unknown = await cli(['user', 'remove']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('unknown command "user remove"');
    expect(unknown.err).toContain('Usage:');
    expect((await cli([])).code).toBe(1);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('backup --out FILE');
  });
});

describe('cli usage', () => {
  it('lists every command with its options, required ones bare and optional ones in brackets, and its help', async () => {
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    const lines = help.out.split('\n');
    expect(lines).toContain(
      '  release download --username U --dataset ID|SLUG --version V --out FILE [--releases-dir DIR]',
    );
    expect(lines).toContain('      Saves the release archive (.tar.gz) as U may read it.');
    expect(lines).toContain('  responses import --run ID --file F [--format csv|jsonl] [--commit]');
    expect(lines).toContain('  migrate');
    const commands = lines.flatMap((l) => /^ {2}([a-z][a-z-]*(?: [a-z][a-z-]*)?)(?: |$)/.exec(l)?.[1] ?? []);
    expect(commands).toEqual([
      'user add',
      'user list',
      'user set-password',
      'token create',
      'import',
      'release create',
      'release list',
      'release download',
      'release push',
      'runs list',
      'responses import',
      'report',
      'report compare',
      'backup',
      'migrate',
      'copy-database',
    ]);
    expect(lines.every((l) => l.length <= 100)).toBe(true);
  });

  it("prints one command's usage for <command> --help, with exit code 0 and nothing run", async () => {
    const t = await createTestContext();
    const r = await cli(['user', 'add', '--username', 'nobody', '--help'], { t });
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out.split('\n').slice(0, 3)).toEqual([
      'Usage: npm run cli -- user add --username U --role annotator|reviewer|maintainer [--languages ko,ar]',
      '                               [--display-name N] [--password P]',
      '  Creates a user; without --password one is generated and printed once.',
    ]);
    expect(r.out).not.toContain('release push');
    expect((await cli(['user', 'list'], { t })).out).toBe('No users yet.');
  });
});
