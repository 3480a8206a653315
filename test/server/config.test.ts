import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { tempDir } from '../helpers/releases.ts';

const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));

describe('CS_TRUST_PROXY', () => {
  it('when unset, empty, false or 0, then no proxy is trusted', () => {
    expect(loadConfig({}).CS_TRUST_PROXY).toBe(false);
    expect(loadConfig({ CS_TRUST_PROXY: '' }).CS_TRUST_PROXY).toBe(false);
    expect(loadConfig({ CS_TRUST_PROXY: 'false' }).CS_TRUST_PROXY).toBe(false);
    expect(loadConfig({ CS_TRUST_PROXY: '0' }).CS_TRUST_PROXY).toBe(false);
  });

  it('takes a hop count, a range name, or a comma list of names, addresses and CIDR ranges', () => {
    expect(loadConfig({ CS_TRUST_PROXY: '2' }).CS_TRUST_PROXY).toBe(2);
    expect(loadConfig({ CS_TRUST_PROXY: 'loopback' }).CS_TRUST_PROXY).toEqual(['loopback']);
    expect(
      loadConfig({ CS_TRUST_PROXY: 'loopback, uniquelocal,10.1.2.3,192.168.0.0/16, fd00::/8 ,::1' })
        .CS_TRUST_PROXY,
    ).toEqual(['loopback', 'uniquelocal', '10.1.2.3', '192.168.0.0/16', 'fd00::/8', '::1']);
  });

  it.each([
    'true',
    'yes',
    'localhost',
    '-1',
    '1.5',
    '10.0.0.0/33',
    '10.0.0.0/0',
    'fd00::/129',
    '10.0.0',
    '0x7f000001',
    '2130706433.1',
    'loopback,,10.0.0.1',
    'loopback;10.0.0.1',
  ])('when it is %j, then the configuration is refused and names the setting', (value) => {
    expect(() => loadConfig({ CS_TRUST_PROXY: value })).toThrow(
      /^Invalid configuration:\n {2}CS_TRUST_PROXY: /,
    );
  });

  it('when the server starts with CS_TRUST_PROXY=2, then each client seen by the outer of two proxies has its own login budget', async () => {
    const work = tempDir('cs-config-');
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        CS_TRUST_PROXY: '2',
        CS_DB_PATH: join(work, 'db.sqlite'),
        CS_RELEASES_DIR: join(work, 'releases'),
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /Culture Studio on (http:\/\/\S+?)\/\s/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
      });
      const statuses: number[] = [];
      // Twelve clients, each with a different username, reach an outer proxy (10.0.0.1), which forwards to
      // one on loopback: none reaches the limit of 10 failures per address.
      for (let i = 1; i <= 12; i++) {
        const res = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${i}, 10.0.0.1` },
          body: JSON.stringify({ username: `ghost${i}`, password: 'wrong-wrong-wrong' }),
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual(Array<number>(12).fill(401));
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(work, { recursive: true, force: true });
    }
  }, 30_000);

  it('when the server starts with a bad value, then it stops with a clear message before opening anything', async () => {
    const work = tempDir('cs-config-');
    const dbPath = join(work, 'db.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, CS_TRUST_PROXY: 'proxy.example', CS_DB_PATH: dbPath, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // A server that wrongly starts would listen forever; it is stopped so the test fails rather than hangs.
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(guard);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'Invalid configuration:\n' +
        '  CS_TRUST_PROXY: "proxy.example" is not a hop count, loopback, linklocal, uniquelocal, ' +
        'an IP address or a CIDR range (e.g. 1, or loopback, or 10.0.0.0/8,192.168.1.7)\n',
    );
    expect(existsSync(dbPath)).toBe(false);
    rmSync(work, { recursive: true, force: true });
  }, 30_000);
});
