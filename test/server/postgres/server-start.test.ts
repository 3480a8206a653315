import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emptyPostgres, withDatabase } from '../../helpers/postgres.ts';
import { tempDir } from '../../helpers/releases.ts';

const MAIN = fileURLToPath(new URL('../../../server/main.ts', import.meta.url));

/** The server started as a child with `env`; its exit code and what it wrote, once it exits. */
async function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // A server that wrongly starts would listen forever; it is stopped so the test fails rather than hangs.
  const guard = setTimeout(() => child.kill('SIGKILL'), 40_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(guard);
  return { code, stdout, stderr };
}

describe('server start with CS_DATABASE_URL', () => {
  it('when the PostgreSQL server cannot be reached, then it stops at start naming host, port, database, user and reason, never the password, and touches no SQLite file', async () => {
    const work = tempDir('cs-start-');
    const dbPath = join(work, 'db.sqlite');
    const { code, stdout, stderr } = await start({
      // Port 1 on loopback: nothing listens there.
      CS_DATABASE_URL: 'postgres://annotator:s3cret-Pa55@127.0.0.1:1/culture',
      CS_DB_PATH: dbPath,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'Cannot connect to PostgreSQL (host 127.0.0.1, port 1, database "culture", user "annotator"): ' +
        'connection refused (ECONNREFUSED): no server listens there.\n',
    );
    expect(stderr).not.toContain('s3cret');
    expect(existsSync(dbPath)).toBe(false);
  }, 60_000);

  const server = process.env.CS_TEST_POSTGRES_URL;
  it.runIf(server)(
    'when it names a reachable server, then the server migrates that database, serves logins from it and says where it is without the password',
    async () => {
      const empty = await emptyPostgres();
      const url = withDatabase(server!, new URL(empty.location).pathname.slice(1));
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        env: {
          ...process.env,
          PORT: '0',
          CS_DATABASE_URL: url,
          CS_ADMIN_PASSWORD: 'first-admin-password',
          CS_RELEASES_DIR: tempDir('cs-start-'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let out = '';
        const base = await new Promise<string>((resolve, reject) => {
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString();
            const m = /Culture Studio on (http:\/\/\S+?)\/\s[\s\S]*schema version/.exec(out);
            if (m) resolve(m[1]);
          });
          child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
        });
        expect(out).toContain(`  database ${empty.location} (schema version `);
        const [user] = await empty.query<{ username: string }>('SELECT username FROM users');
        expect(user).toEqual({ username: 'admin' });
        const login = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: 'first-admin-password' }),
        });
        expect(login.status).toBe(200);
      } finally {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
    60_000,
  );
});
