import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../../helpers/app.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The CLI as its own process: exit code, stdout, stderr. */
const cli = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, CS_DB_PATH: join(scratchDir('cli-'), 'unused.sqlite'), ...env },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

describe('the CLI on PostgreSQL', () => {
  it('when --db names a PostgreSQL database (PGlite in a folder here), then commands migrate and use it', async () => {
    const db = `pglite:${scratchDir('pglite-')}`;
    const added = await cli([
      'user',
      'add',
      '--username',
      'hana',
      '--role',
      'reviewer',
      '--languages',
      'ko',
      '--password',
      'a-long-password-1',
      '--db',
      db,
    ]);
    expect(added, added.err).toMatchObject({ code: 0, err: '' });
    const listed = await cli(['user', 'list', '--db', db]);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toBe(
      'USERNAME  ROLE      LANGUAGES  STATUS  NAME\nhana      reviewer  ko         active  hana\n',
    );
    const migrated = await cli(['migrate', '--db', db]);
    // Whatever the newest version is: the first command migrated the database to it.
    expect(migrated.out).toMatch(/^pglite:\S+ is up to date \(schema version \d+\)\.\n$/);
    const backup = await cli(['backup', '--out', join(scratchDir('backup-'), 'b.sqlite'), '--db', db]);
    expect(backup).toMatchObject({
      code: 1,
      err: 'error: backup copies a SQLite file; on PostgreSQL use pg_dump\n',
    });
  }, 120_000);

  it('when CS_DATABASE_URL names a server that cannot be reached, then every command says where and why, never the password', async () => {
    const res = await cli(['user', 'list'], {
      CS_DATABASE_URL: 'postgresql://ops:pa55-w0rd-x@127.0.0.1:1/studio',
    });
    expect(res).toEqual({
      code: 1,
      out: '',
      err:
        'error: Cannot connect to PostgreSQL (host 127.0.0.1, port 1, database "studio", user "ops"): ' +
        'connection refused (ECONNREFUSED): no server listens there.\n',
    });
  }, 60_000);
});
