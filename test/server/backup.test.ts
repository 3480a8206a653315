import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { itemListQuerySchema, type ItemListPage } from '../../schema/item.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { runCli } from '../../server/cli/run-cli.ts';
import { openDatabase, type Db } from '../../server/db/connection.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createRepositories } from '../../server/db/repositories.ts';
import { createItemService } from '../../server/domain/items.ts';
import { demoItems } from '../../server/demo/items.ts';
import { DEMO_PASSWORD } from '../../server/demo/users.ts';
import { createTestContext } from '../helpers/app.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-backup-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every row of every table (the full-text index is checked separately, through a search). */
function rows(db: Db) {
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'items_fts%' ORDER BY name",
    )
    .all()
    .map((t) => t.name);
  return Object.fromEntries(
    tables.map((name) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all()]),
  );
}

describe('cli backup', () => {
  it('takes an online backup of a live database; restoring it brings back every user, item and revision', async () => {
    const dbPath = join(dir, 'live.sqlite');
    // The "server": an open WAL connection holding users, datasets and demo items.
    const live = openDatabase(dbPath);
    migrate(live);
    await bootstrap(live, { adminUsername: 'admin', demo: true });
    expect(
      (
        await cli([
          'user',
          'add',
          '--db',
          dbPath,
          '--username',
          'kwame',
          '--role',
          'annotator',
          '--password',
          'kwame-password',
        ])
      ).code,
    ).toBe(0);
    // An edit after the CLI's write, still only in the WAL when the backup starts.
    const repos = createRepositories(live);
    const minji = (await repos.users.getByUsername('minji'))!;
    const items = createItemService(repos);
    const draft = (await items.list(minji, itemListQuerySchema.parse({ language: 'ko', status: 'draft' })))
      .items[0];
    await items.update(minji, draft.id, {
      version: draft.version,
      changes: { notes: '백업 전에 저장한 메모' },
    });

    const backupPath = join(dir, 'backups', 'cs-backup.sqlite');
    const r = await cli(['backup', '--db', dbPath, '--out', backupPath]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(backupPath);

    // Restore = stop the server, copy the backup over the database path.
    const restoredPath = join(dir, 'restored.sqlite');
    copyFileSync(backupPath, restoredPath);
    const restored = openDatabase(restoredPath);
    expect(migrate(restored)).toBe(live.pragma('user_version', { simple: true }));
    expect(rows(restored)).toEqual(rows(live));
    const itemCount = restored.prepare('SELECT count(*) AS n FROM items').get() as { n: number };
    expect(itemCount.n).toBe(demoItems.length);
    expect(
      restored.prepare("SELECT count(*) AS n FROM items_fts WHERE items_fts MATCH 'Songkran'").get(),
    ).toEqual({ n: 1 });

    // And the application works on it: the CLI-made user logs in and the edit is there.
    const t = await createTestContext({ db: restored });
    const login = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 'kwame', password: 'kwame-password' });
    expect(login.status).toBe(200);
    const agent = request.agent(t.app);
    await agent.post('/api/auth/login').send({ username: 'minji', password: DEMO_PASSWORD });
    const item = await agent.get(`/api/items/${draft.id}`);
    expect(item.body.notes).toBe('백업 전에 저장한 메모');
    const page = (await agent.get('/api/items?pageSize=200')).body as ItemListPage;
    expect(page.total).toBe(demoItems.filter((i) => i.fields.language === 'ko').length);
    restored.close();
    live.close();
  });

  it('refuses to overwrite an existing file', async () => {
    const dbPath = join(dir, 'live.sqlite');
    migrate(openDatabase(dbPath));
    const target = join(dir, 'exists.sqlite');
    writeFileSync(target, 'precious');
    const r = await cli(['backup', '--db', dbPath, '--out', target]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/already exists/);
  });

  it('when there is no database at the path, then exit code 1 and no file is created', async () => {
    const missing = join(dir, 'missing.sqlite');
    const r = await cli(['backup', '--db', missing, '--out', join(dir, 'b.sqlite')]);
    expect(r).toMatchObject({ code: 1, err: `error: no database at ${missing}` });
    expect(existsSync(missing)).toBe(false);
    const dbPath = join(dir, 'live.sqlite');
    migrate(openDatabase(dbPath));
    expect((await cli(['backup', '--db', dbPath])).err).toBe('error: missing --out');
  });
});
