// Every route × every kind of caller, with the exact expected outcome. The last test reads the
// route definitions and fails when a route exists that this table does not cover.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Item } from '../../schema/item.ts';
import { openDatabase } from '../../server/db/connection.ts';
import { createAuthService } from '../../server/domain/auth.ts';
import { createItemService } from '../../server/domain/items.ts';
import { createImportService } from '../../server/domain/import/service.ts';
import { createReleaseService } from '../../server/domain/releases/service.ts';
import { createValidationService } from '../../server/domain/validation.ts';
import { createRatingService } from '../../server/domain/scoring/rating.ts';
import { createScoringService, releaseItems, responseRow } from '../../server/domain/scoring/service.ts';
import { createTestContext, freshDbPath, TEST_PASSWORD } from '../helpers/app.ts';
import { addDataset, completeItemBody } from '../helpers/items.ts';
import { finishedImport } from '../helpers/imports.ts';
import { settled, tempDir } from '../helpers/releases.ts';

/** Whether the cells run on PostgreSQL (the server-postgres project): each on a copy of the SQLite world. */
const onPostgres = process.env.CS_TEST_ENGINE === 'postgres';

const ACTORS = ['anonymous', 'annotator', 'reviewer', 'maintainer', 'otherLanguage'] as const;
type Actor = (typeof ACTORS)[number];
type Expected = Record<Actor, number>;

/** The world the cells run in: five callers, a dataset, Korean items, a pre-release, tasks, a run, a campaign. */
async function world() {
  const releasesDir = tempDir();
  // Built on SQLite whichever engine the cells run on: on PostgreSQL each cell's world is a copy of it
  // (copy-database's, ids kept).
  const t = await createTestContext({ releasesDir, engine: 'sqlite' });
  const users = {
    annotator: await t.addUser('ann', 'annotator', ['ko']),
    author2: await t.addUser('ann2', 'annotator', ['ko']),
    reviewer: await t.addUser('rev', 'reviewer', ['ko']),
    maintainer: await t.addUser('boss', 'maintainer', []),
    otherLanguage: await t.addUser('arab', 'annotator', ['ar']),
  };
  const auth = createAuthService(t.repos.users);
  const tokens = {} as Record<Exclude<Actor, 'anonymous'>, string>;
  for (const a of ['annotator', 'reviewer', 'maintainer', 'otherLanguage'] as const)
    tokens[a] = (await auth.createToken(users[a].id, 'authz')).token;
  const annotatorToken = (await t.repos.users.listTokens(users.annotator.id))[0];
  const dataset = await addDataset(t);
  const items = createItemService(t.repos);
  const body = (language = 'ko') => {
    const { datasetId: _d, ...rest } = completeItemBody(dataset.id, { language });
    return { datasetId: dataset.id, ...rest } as Parameters<typeof items.create>[1];
  };
  const draft: Item = await items.create(users.annotator, body());
  const other: Item = await items.create(users.author2, body());
  const submitted = await items.submit(users.author2, other.id, other.version);
  const importJob = await createImportService(t.repos).create(users.maintainer, {
    datasetId: dataset.id,
    format: 'csv',
    preset: 'native',
    dryRun: true,
    status: 'submitted',
    fileName: 'items.csv',
  });
  // A pre-release of the submitted Korean item, so it exists on disk for the download routes.
  const release = await createReleaseService(t.repos, { releasesDir }).createAndWait(users.maintainer, {
    datasetId: dataset.id,
    version: '0.1.0-rc.1',
    title: 'Preview',
    notes: '',
    filter: { languages: [], kinds: [], categories: [], includeSubmitted: true },
    license: 'cc-by-4.0',
  } as unknown as Parameters<ReturnType<typeof createReleaseService>['create']>[1]);
  // The Korean annotator holds a validation task on the submitted item (the culture item is
  // open-ended, so their own answer comes first).
  const validation = createValidationService(t.repos);
  const task = (await validation.next(users.annotator, dataset.id))!;
  // A gold item, marked after the task was handed out so that it cannot be the task.
  const third = await items.create(users.author2, body());
  const gold = await items.submit(users.author2, third.id, third.version);
  await validation.setGold(users.maintainer, gold.id, { grounded: 'yes', correct: 'yes' });
  // Scoring: a model (no endpoint), a run on the pre-release with a response to the submitted item, a rating
  // campaign, and the Korean annotator holding a rating task on that response.
  const scoring = createScoringService(t.repos);
  const model = await scoring.createModel(users.maintainer, {
    name: 'Authz model',
    developer: 'Lab',
    country: null,
    sovereign: false,
    baseUrl: null,
    endpointModel: null,
    apiKeyEnv: null,
  });
  const run = await scoring.createRun(users.maintainer, {
    modelId: model.id,
    releaseId: release.id,
    promptTemplate: null,
    temperature: 0,
    maxTokens: 512,
  });
  const releaseItem = (await releaseItems(t.repos, release.id)).get(submitted.uid)!;
  await t.repos.scoring.insertResponses([
    responseRow(run.id, releaseItem, 'an answer', 'import', new Date().toISOString()),
  ]);
  const rating = createRatingService(t.repos);
  const campaign = await rating.createCampaign(users.maintainer, {
    releaseId: release.id,
    name: 'Authz campaign',
    ratersPerResponse: 1,
    leaseMinutes: 30,
  });
  const ratingTask = (await rating.next(users.annotator, campaign.id))!;
  const responseId = (await t.repos.scoring.getRatingTask(ratingTask.id))!.responseId;
  return {
    t,
    releasesDir,
    users,
    tokens,
    annotatorToken,
    dataset,
    draft,
    submitted,
    importJob,
    release,
    task,
    gold,
    model,
    run,
    campaign,
    ratingTask,
    responseId,
  };
}
type World = Awaited<ReturnType<typeof world>>;

// The world is built once (a release build and scrypt-hashed users take most of a second); each cell runs on a
// copy of its database (SQLite: of its file; PostgreSQL: a fresh database the world is copied into), with its own
// app, so what one cell writes no other cell sees. The GET cells share one copy (an app takes ~20 ms to build) in
// which writing fails (500), so no GET cell changes what a later one sees. Only release builds write into the
// releases folder: the cells of the release routes that write get their own copy of the folder, the others read
// the world's.
let template: { world: World; image: Buffer };
let readOnly: World;
beforeAll(async () => {
  const w = await world();
  template = { world: w, image: w.t.db.serialize() };
  readOnly = await copyOfWorld();
  await refuseWrites(readOnly.t);
}, 120_000);

/** A copy of the world on its own database (and releases folder if asked), served by its own app. */
async function copyOfWorld({ ownReleasesDir = false } = {}): Promise<World> {
  let releasesDir = template.world.releasesDir;
  if (ownReleasesDir) {
    releasesDir = tempDir();
    cpSync(template.world.releasesDir, releasesDir, { recursive: true });
  }
  if (onPostgres) {
    const t = await createTestContext({ copyOf: template.world.t.db, releasesDir });
    return { ...template.world, t, releasesDir };
  }
  const path = freshDbPath();
  writeFileSync(path, template.image);
  const t = await createTestContext({ db: openDatabase(path), releasesDir });
  return { ...template.world, t, releasesDir };
}

/**
 * The world a cell runs in: the shared one for a GET, else its own copy, closed when the cell ends. On PostgreSQL a
 * copy is a database of its own (far dearer than a file's copy), so a write cell expected to be refused shares the
 * read-only world too: a refused request writes nothing, and one that wrongly went ahead is caught all the same —
 * its write fails there (500) instead of being answered 2xx.
 */
async function worldFor(c: Case, expected: number): Promise<World> {
  if (c.method === 'get' || (onPostgres && expected >= 400)) return readOnly;
  const w = await copyOfWorld({ ownReleasesDir: c.route.startsWith('/api/releases') });
  onTestFinished(() => {
    // PostgreSQL's test databases are dropped after the file.
    if (w.t.engine === 'sqlite') w.t.db.close();
  });
  return w;
}

/**
 * Makes every write to the world's database fail, but one: a bearer token's last-used time, which authentication
 * records (at most once a minute) on any request. Row triggers on both engines, so a statement that changes no row
 * (a lease already expired, a token not the caller's) is let through. SQLite: full-text tables are left out, only
 * triggers on tables write them.
 */
async function refuseWrites(t: World['t']) {
  if (t.engine === 'postgres') {
    await t.sql(
      `CREATE FUNCTION refuse_get_cell_write() RETURNS trigger LANGUAGE plpgsql AS
       $$ BEGIN RAISE EXCEPTION 'a GET cell wrote to %', TG_TABLE_NAME; END $$`,
    );
    const tables = await t.sql<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    for (const { name } of tables) {
      const ops = name === 'api_tokens' ? 'INSERT OR DELETE' : 'INSERT OR UPDATE OR DELETE';
      await t.sql(
        `CREATE TRIGGER no_get_cell_write BEFORE ${ops} ON "${name}"
         FOR EACH ROW EXECUTE FUNCTION refuse_get_cell_write()`,
      );
    }
    return;
  }
  const db = t.db;
  const tables = db
    .prepare<[], string>(
      `SELECT t.name FROM sqlite_schema t
       WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite%' AND t.sql NOT LIKE 'CREATE VIRTUAL%'
         AND NOT EXISTS (SELECT 1 FROM sqlite_schema v
                         WHERE v.sql LIKE 'CREATE VIRTUAL%' AND substr(t.name, 1, length(v.name) + 1) = v.name || '_')`,
    )
    .pluck()
    .all();
  for (const table of tables) {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      if (table === 'api_tokens' && op === 'UPDATE') continue;
      db.exec(
        `CREATE TEMP TRIGGER "no_${op}_${table}" BEFORE ${op} ON main."${table}"
         BEGIN SELECT RAISE(ABORT, 'a GET cell wrote to ${table}'); END`,
      );
    }
  }
}

interface Case {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** The route as written in server/routes (used for the coverage check). */
  route: string;
  path: (w: World) => string;
  body?: (w: World) => unknown;
  expected: Expected;
  /**
   * Waits for the job a 202 started. Jobs of this process are known by id, and every copy of the world has the
   * same ids: a job still running would be met by a later cell.
   */
  finish?: (w: World, res: request.Response) => Promise<unknown>;
}

const all = (status: number): Expected => ({
  anonymous: status,
  annotator: status,
  reviewer: status,
  maintainer: status,
  otherLanguage: status,
});
const signedIn = (status: number): Expected => ({ ...all(status), anonymous: 401 });
const maintainerOnly = (status: number): Expected => ({
  anonymous: 401,
  annotator: 403,
  reviewer: 403,
  maintainer: status,
  otherLanguage: 403,
});

const CASES: Case[] = [
  { method: 'get', route: '/api/health', path: () => '/api/health', expected: all(200) },
  {
    method: 'post',
    route: '/api/auth/login',
    path: () => '/api/auth/login',
    body: () => ({ username: 'ann', password: TEST_PASSWORD }),
    expected: all(200),
  },
  { method: 'post', route: '/api/auth/logout', path: () => '/api/auth/logout', expected: signedIn(204) },
  { method: 'get', route: '/api/auth/session', path: () => '/api/auth/session', expected: signedIn(200) },
  { method: 'get', route: '/api/auth/state', path: () => '/api/auth/state', expected: all(200) },
  { method: 'get', route: '/api/me', path: () => '/api/me', expected: signedIn(200) },
  {
    method: 'patch',
    route: '/api/me',
    path: () => '/api/me',
    body: () => ({ uiLocale: 'ko' }),
    expected: signedIn(200),
  },
  {
    method: 'post',
    route: '/api/me/password',
    path: () => '/api/me/password',
    body: () => ({ currentPassword: TEST_PASSWORD, newPassword: 'another long password' }),
    expected: signedIn(204),
  },
  { method: 'get', route: '/api/me/tokens', path: () => '/api/me/tokens', expected: signedIn(200) },
  {
    method: 'post',
    route: '/api/me/tokens',
    path: () => '/api/me/tokens',
    body: () => ({ name: 'laptop' }),
    expected: signedIn(201),
  },
  {
    method: 'delete',
    route: '/api/me/tokens/:id',
    path: (w) => `/api/me/tokens/${w.annotatorToken.id}`,
    // Only the owner can revoke; for anyone else the token does not exist.
    expected: { anonymous: 401, annotator: 204, reviewer: 404, maintainer: 404, otherLanguage: 404 },
  },
  { method: 'get', route: '/api/users', path: () => '/api/users', expected: maintainerOnly(200) },
  {
    method: 'post',
    route: '/api/users',
    path: () => '/api/users',
    body: () => ({
      username: 'newbie',
      role: 'annotator',
      languages: ['sw'],
      password: 'long enough password',
    }),
    expected: maintainerOnly(201),
  },
  {
    method: 'get',
    route: '/api/users/:id',
    path: (w) => `/api/users/${w.users.annotator.id}`,
    expected: maintainerOnly(200),
  },
  {
    method: 'patch',
    route: '/api/users/:id',
    path: (w) => `/api/users/${w.users.annotator.id}`,
    body: () => ({ languages: ['ko', 'ja'] }),
    expected: maintainerOnly(200),
  },
  { method: 'get', route: '/api/datasets', path: () => '/api/datasets', expected: signedIn(200) },
  {
    method: 'post',
    route: '/api/datasets',
    path: () => '/api/datasets',
    body: () => ({ slug: 'new-set', name: 'New set' }),
    expected: maintainerOnly(201),
  },
  {
    method: 'patch',
    route: '/api/datasets/:id',
    path: (w) => `/api/datasets/${w.dataset.id}`,
    body: () => ({ name: 'Renamed' }),
    expected: maintainerOnly(200),
  },
  { method: 'get', route: '/api/taxonomies', path: () => '/api/taxonomies', expected: signedIn(200) },
  {
    method: 'get',
    route: '/api/taxonomies/:id',
    path: () => '/api/taxonomies/socio-cultural',
    expected: signedIn(200),
  },
  {
    method: 'post',
    route: '/api/taxonomies/:id/nodes',
    path: () => '/api/taxonomies/socio-cultural/nodes',
    body: () => ({ parentId: 'tradition', slug: 'games', labels: { en: 'Games', ko: '놀이' } }),
    expected: maintainerOnly(201),
  },
  {
    method: 'patch',
    route: '/api/taxonomies/:id/nodes/*nodeId',
    path: () => '/api/taxonomies/socio-cultural/nodes/society%2Ffamily',
    body: () => ({ labels: { ko: '가정' } }),
    expected: maintainerOnly(200),
  },
  { method: 'get', route: '/api/items', path: () => '/api/items', expected: signedIn(200) },
  {
    method: 'get',
    route: '/api/items/similar',
    path: (w) =>
      `/api/items/similar?dataset=${w.dataset.id}&language=ko&q=${encodeURIComponent('추석에 무엇')}`,
    expected: signedIn(200),
  },
  {
    method: 'post',
    route: '/api/items',
    path: () => '/api/items',
    body: (w) => ({ datasetId: w.dataset.id, language: 'ko', kind: 'culture', format: 'open_ended' }),
    expected: { anonymous: 401, annotator: 201, reviewer: 201, maintainer: 201, otherLanguage: 403 },
  },
  // A draft is private to its author (maintainers may look, but only the author edits).
  {
    method: 'get',
    route: '/api/items/:id',
    path: (w) => `/api/items/${w.draft.id}`,
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 200, otherLanguage: 404 },
  },
  {
    method: 'patch',
    route: '/api/items/:id',
    path: (w) => `/api/items/${w.draft.id}`,
    body: (w) => ({ version: w.draft.version, changes: { notes: 'edited' } }),
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 403, otherLanguage: 404 },
  },
  {
    method: 'post',
    route: '/api/items/:id/submit',
    path: (w) => `/api/items/${w.draft.id}/submit`,
    body: (w) => ({ version: w.draft.version }),
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 403, otherLanguage: 404 },
  },
  {
    method: 'get',
    route: '/api/items/:id/revisions',
    path: (w) => `/api/items/${w.draft.id}/revisions`,
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 200, otherLanguage: 404 },
  },
  {
    method: 'get',
    route: '/api/items/:id/revisions/:version',
    path: (w) => `/api/items/${w.draft.id}/revisions/1`,
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 200, otherLanguage: 404 },
  },
  {
    method: 'post',
    route: '/api/items/:id/revisions/:version/restore',
    path: (w) => `/api/items/${w.draft.id}/revisions/1/restore`,
    body: (w) => ({ version: w.draft.version }),
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 403, otherLanguage: 404 },
  },
  {
    method: 'get',
    route: '/api/imports/presets',
    path: () => '/api/imports/presets',
    expected: maintainerOnly(200),
  },
  { method: 'get', route: '/api/imports', path: () => '/api/imports', expected: maintainerOnly(200) },
  {
    method: 'post',
    route: '/api/imports',
    path: () => '/api/imports',
    body: (w) => ({ datasetId: w.dataset.id, format: 'jsonl', preset: 'native', dryRun: true }),
    expected: maintainerOnly(201),
  },
  {
    method: 'get',
    route: '/api/imports/:id',
    path: (w) => `/api/imports/${w.importJob.id}`,
    expected: maintainerOnly(200),
  },
  {
    method: 'get',
    route: '/api/imports/items/:itemId/provenance',
    path: (w) => `/api/imports/items/${w.submitted.id}/provenance`,
    expected: maintainerOnly(200),
  },
  {
    method: 'put',
    route: '/api/imports/:id/file',
    path: (w) => `/api/imports/${w.importJob.id}/file`,
    body: () => '',
    expected: maintainerOnly(202),
    finish: (w) => finishedImport(w.t, w.tokens.maintainer, w.importJob.id),
  },
  {
    method: 'post',
    route: '/api/imports/:id/cancel',
    path: (w) => `/api/imports/${w.importJob.id}/cancel`,
    expected: maintainerOnly(409),
  },
  { method: 'get', route: '/api/releases', path: () => '/api/releases', expected: signedIn(200) },
  {
    method: 'post',
    route: '/api/releases/preview',
    path: () => '/api/releases/preview',
    body: (w) => ({ datasetId: w.dataset.id, filter: { includeSubmitted: true } }),
    expected: maintainerOnly(200),
  },
  {
    method: 'post',
    route: '/api/releases/preview/changes',
    path: () => '/api/releases/preview/changes',
    body: (w) => ({ datasetId: w.dataset.id, filter: { includeSubmitted: true }, version: '0.2.0-rc.1' }),
    expected: maintainerOnly(200),
  },
  {
    method: 'post',
    route: '/api/releases',
    path: () => '/api/releases',
    body: (w) => ({
      datasetId: w.dataset.id,
      version: '0.2.0-rc.1',
      title: 'Second preview',
      filter: { includeSubmitted: true },
    }),
    // The build runs as a job: accepted at once.
    expected: maintainerOnly(202),
    finish: (w, res) => settled(w.t.app, { Authorization: `Bearer ${w.tokens.maintainer}` }, res),
  },
  {
    method: 'get',
    route: '/api/releases/:id',
    path: (w) => `/api/releases/${w.release.id}`,
    expected: signedIn(200),
  },
  {
    method: 'post',
    route: '/api/releases/:id/build',
    path: (w) => `/api/releases/${w.release.id}/build`,
    // Published releases never change: the maintainer is let through and told so.
    expected: maintainerOnly(409),
  },
  {
    method: 'post',
    route: '/api/releases/:id/hub',
    path: (w) => `/api/releases/${w.release.id}/hub`,
    body: () => ({ repo: 'culture-lab/ds' }),
    // This app has no Hub token: the maintainer is let through and told so (no request leaves).
    expected: maintainerOnly(409),
  },
  // Release contents (docs/releases.md): this one is a pre-release with a submitted item, so only maintainers
  // read it; for the others it is not found, like an unknown release. test/server/release-access.test.ts has
  // the whole table (final, pre-release, holding a gold item).
  ...(['archive', 'changelog', 'card'] as const).map((file): Case => ({
    method: 'get',
    route: `/api/releases/:id/${file}`,
    path: (w) => `/api/releases/${w.release.id}/${file}`,
    expected: { anonymous: 401, annotator: 404, reviewer: 404, maintainer: 200, otherLanguage: 404 },
  })),

  // Validation: tasks are the holder's own; nobody else can tell they exist.
  {
    method: 'post',
    route: '/api/tasks/next',
    path: () => '/api/tasks/next',
    expected: signedIn(200),
  },
  { method: 'get', route: '/api/tasks/stats', path: () => '/api/tasks/stats', expected: signedIn(200) },
  {
    method: 'get',
    route: '/api/tasks/:id',
    path: (w) => `/api/tasks/${w.task.id}`,
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 404, otherLanguage: 404 },
  },
  {
    method: 'post',
    route: '/api/tasks/:id/answer',
    path: (w) => `/api/tasks/${w.task.id}/answer`,
    body: () => ({ ownAnswer: { variants: ['송편'] } }),
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 404, otherLanguage: 404 },
  },
  {
    method: 'post',
    route: '/api/tasks/:id/submit',
    path: (w) => `/api/tasks/${w.task.id}/submit`,
    body: () => ({ grounded: 'yes', correct: 'yes', category: 'keep', quality: 4 }),
    // The holder is told to give their own answer first; everyone else finds no task.
    expected: { anonymous: 401, annotator: 409, reviewer: 404, maintainer: 404, otherLanguage: 404 },
  },
  {
    method: 'delete',
    route: '/api/tasks/:id',
    path: (w) => `/api/tasks/${w.task.id}`,
    expected: { anonymous: 401, annotator: 204, reviewer: 404, maintainer: 404, otherLanguage: 404 },
  },
  {
    method: 'get',
    route: '/api/items/:id/decisions',
    path: (w) => `/api/items/${w.draft.id}/decisions`,
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 200, otherLanguage: 404 },
  },
  // Review: reviewers in the item's language and maintainers.
  {
    method: 'get',
    route: '/api/review/queue',
    path: () => '/api/review/queue',
    expected: { anonymous: 401, annotator: 403, reviewer: 200, maintainer: 200, otherLanguage: 403 },
  },
  {
    method: 'get',
    route: '/api/review/items/:id',
    path: (w) => `/api/review/items/${w.submitted.id}`,
    // Validators stay blind: nobody sees the validations of an item until its round is complete.
    expected: { anonymous: 401, annotator: 403, reviewer: 409, maintainer: 409, otherLanguage: 403 },
  },
  {
    method: 'patch',
    route: '/api/review/items/:id',
    path: (w) => `/api/review/items/${w.submitted.id}`,
    body: (w) => ({ version: w.submitted.version, changes: { notes: 'reviewed' } }),
    // Only an item in review can be edited by a reviewer; this one is still being validated.
    expected: { anonymous: 401, annotator: 403, reviewer: 409, maintainer: 409, otherLanguage: 403 },
  },
  {
    method: 'post',
    route: '/api/review/items/:id/decision',
    path: (w) => `/api/review/items/${w.submitted.id}/decision`,
    body: (w) => ({ version: w.submitted.version, decision: 'reject', message: 'Not grounded' }),
    expected: { anonymous: 401, annotator: 403, reviewer: 409, maintainer: 409, otherLanguage: 403 },
  },
  {
    method: 'get',
    route: '/api/agreement',
    path: (w) => `/api/agreement?dataset=${w.dataset.id}&language=ko`,
    expected: { anonymous: 401, annotator: 403, reviewer: 200, maintainer: 200, otherLanguage: 403 },
  },
  {
    method: 'get',
    route: '/api/agreement/export',
    path: (w) => `/api/agreement/export?dataset=${w.dataset.id}&language=ko&table=questions`,
    expected: { anonymous: 401, annotator: 403, reviewer: 200, maintainer: 200, otherLanguage: 403 },
  },
  {
    method: 'get',
    route: '/api/gold',
    path: (w) => `/api/gold?dataset=${w.dataset.id}`,
    expected: maintainerOnly(200),
  },
  {
    method: 'put',
    route: '/api/gold/:itemId',
    path: (w) => `/api/gold/${w.submitted.id}`,
    body: () => ({ grounded: 'yes', correct: 'yes' }),
    expected: maintainerOnly(200),
  },
  {
    method: 'put',
    route: '/api/items/:id/split',
    path: (w) => `/api/items/${w.submitted.id}/split`,
    body: () => ({ split: 'test' }),
    expected: maintainerOnly(200),
  },
  {
    method: 'delete',
    route: '/api/gold/:itemId',
    path: (w) => `/api/gold/${w.gold.id}`,
    expected: maintainerOnly(204),
  },
  // "Try on models": the draft's author (and maintainers, who see every item); models the dataset offers only
  // (none here, hence 403 model-not-allowed for those who may try).
  {
    method: 'get',
    route: '/api/items/:id/trials',
    path: (w) => `/api/items/${w.draft.id}/trials`,
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 200, otherLanguage: 404 },
  },
  {
    method: 'post',
    route: '/api/items/:id/trials',
    path: (w) => `/api/items/${w.draft.id}/trials`,
    body: (w) => ({ version: w.draft.version, modelIds: [w.model.id] }),
    expected: { anonymous: 401, annotator: 403, reviewer: 404, maintainer: 403, otherLanguage: 404 },
  },
  {
    method: 'get',
    route: '/api/trial-settings/:datasetId',
    path: (w) => `/api/trial-settings/${w.dataset.id}`,
    expected: signedIn(200),
  },
  {
    method: 'put',
    route: '/api/trial-settings/:datasetId',
    path: (w) => `/api/trial-settings/${w.dataset.id}`,
    body: () => ({ requireTrial: false, models: [] }),
    expected: maintainerOnly(200),
  },
  {
    method: 'get',
    route: '/api/validation-settings/:datasetId',
    path: (w) => `/api/validation-settings/${w.dataset.id}`,
    expected: signedIn(200),
  },
  {
    method: 'patch',
    route: '/api/validation-settings/:datasetId',
    path: (w) => `/api/validation-settings/${w.dataset.id}`,
    body: () => ({ goldRate: 0.2 }),
    expected: maintainerOnly(200),
  },
  { method: 'get', route: '/api/models', path: () => '/api/models', expected: maintainerOnly(200) },
  {
    method: 'post',
    route: '/api/models',
    path: () => '/api/models',
    body: () => ({ name: 'New model', developer: 'Lab' }),
    expected: maintainerOnly(201),
  },
  {
    method: 'patch',
    route: '/api/models/:id',
    path: (w) => `/api/models/${w.model.id}`,
    body: () => ({ sovereign: true }),
    expected: maintainerOnly(200),
  },
  { method: 'get', route: '/api/runs', path: () => '/api/runs', expected: maintainerOnly(200) },
  {
    method: 'post',
    route: '/api/runs',
    path: () => '/api/runs',
    body: (w) => ({ modelId: w.model.id, releaseId: w.release.id }),
    expected: maintainerOnly(201),
  },
  {
    method: 'get',
    route: '/api/runs/:id',
    path: (w) => `/api/runs/${w.run.id}`,
    expected: maintainerOnly(200),
  },
  {
    method: 'get',
    route: '/api/runs/:id/responses',
    path: (w) => `/api/runs/${w.run.id}/responses`,
    expected: maintainerOnly(200),
  },
  {
    method: 'put',
    route: '/api/runs/:id/responses',
    path: (w) => `/api/runs/${w.run.id}/responses?dryRun=1`,
    body: (w) => `id,response\n${w.submitted.uid},again\n`,
    expected: maintainerOnly(200),
  },
  {
    method: 'post',
    route: '/api/runs/:id/collect',
    path: (w) => `/api/runs/${w.run.id}/collect`,
    body: () => ({}),
    // The model has no endpoint: the maintainer is let in and told so.
    expected: maintainerOnly(409),
  },
  {
    method: 'post',
    route: '/api/runs/:id/cancel',
    path: (w) => `/api/runs/${w.run.id}/cancel`,
    body: () => ({}),
    // The run is not collecting: the maintainer is let in and told so.
    expected: maintainerOnly(409),
  },
  {
    method: 'get',
    route: '/api/rating/campaigns',
    path: () => '/api/rating/campaigns',
    expected: signedIn(200),
  },
  {
    method: 'post',
    route: '/api/rating/campaigns',
    path: () => '/api/rating/campaigns',
    body: (w) => ({ releaseId: w.release.id, name: 'Another' }),
    expected: maintainerOnly(201),
  },
  {
    method: 'get',
    route: '/api/rating/campaigns/:id',
    path: (w) => `/api/rating/campaigns/${w.campaign.id}`,
    expected: signedIn(200),
  },
  {
    method: 'post',
    route: '/api/rating/campaigns/:id/next',
    path: (w) => `/api/rating/campaigns/${w.campaign.id}/next`,
    expected: signedIn(200),
  },
  {
    method: 'get',
    route: '/api/rating/campaigns/:id/disagreements',
    path: (w) => `/api/rating/campaigns/${w.campaign.id}/disagreements`,
    expected: { anonymous: 401, annotator: 403, reviewer: 200, maintainer: 200, otherLanguage: 403 },
  },
  {
    method: 'get',
    route: '/api/rating/tasks/:id',
    path: (w) => `/api/rating/tasks/${w.ratingTask.id}`,
    // Only the rater holding the task sees it; for anyone else it does not exist.
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 404, otherLanguage: 404 },
  },
  {
    method: 'post',
    route: '/api/rating/tasks/:id/submit',
    path: (w) => `/api/rating/tasks/${w.ratingTask.id}/submit`,
    body: () => ({ correctness: 'correct', culturalAlignment: 4, languageQuality: 5 }),
    expected: { anonymous: 401, annotator: 200, reviewer: 404, maintainer: 404, otherLanguage: 404 },
  },
  {
    method: 'delete',
    route: '/api/rating/tasks/:id',
    path: (w) => `/api/rating/tasks/${w.ratingTask.id}`,
    expected: { anonymous: 401, annotator: 204, reviewer: 404, maintainer: 404, otherLanguage: 404 },
  },
  {
    method: 'put',
    route: '/api/rating/responses/:id/reviewer-rating',
    path: (w) => `/api/rating/responses/${w.responseId}/reviewer-rating`,
    body: () => ({ correctness: 'partial' }),
    expected: { anonymous: 401, annotator: 403, reviewer: 204, maintainer: 204, otherLanguage: 403 },
  },
  {
    method: 'get',
    route: '/api/reports',
    path: (w) => `/api/reports?release=${w.release.id}`,
    expected: maintainerOnly(200),
  },
  {
    method: 'get',
    route: '/api/reports/items',
    path: (w) => `/api/reports/items?release=${w.release.id}`,
    expected: maintainerOnly(200),
  },
  {
    method: 'get',
    route: '/api/reports/export',
    path: (w) => `/api/reports/export?release=${w.release.id}`,
    expected: maintainerOnly(200),
  },
  // Paired comparisons (issue 15): runs that exist nowhere, so the maintainer is let in and told so (404).
  {
    method: 'get',
    route: '/api/reports/compare',
    path: (w) => `/api/reports/compare?release=${w.release.id}&a=998&b=999`,
    expected: maintainerOnly(404),
  },
  {
    method: 'get',
    route: '/api/reports/compare/export',
    path: (w) => `/api/reports/compare/export?release=${w.release.id}&a=998&b=999`,
    expected: maintainerOnly(404),
  },
  {
    method: 'get',
    route: '/api/reports/headline',
    path: (w) => `/api/reports/headline?release=${w.release.id}`,
    expected: maintainerOnly(200),
  },
  // Judges (issue 15): maintainers only. Ids that exist for no judge or judge run: the maintainer is let in
  // and told so (404), everyone else stopped before.
  { method: 'get', route: '/api/judges', path: () => '/api/judges', expected: maintainerOnly(200) },
  {
    method: 'post',
    route: '/api/judges',
    path: () => '/api/judges',
    body: (w) => ({ name: 'Judge', modelId: w.model.id }),
    expected: maintainerOnly(201),
  },
  { method: 'get', route: '/api/judges/:id', path: () => '/api/judges/999', expected: maintainerOnly(404) },
  {
    method: 'patch',
    route: '/api/judges/:id',
    path: () => '/api/judges/999',
    body: () => ({ temperature: 0.5 }),
    expected: maintainerOnly(404),
  },
  { method: 'get', route: '/api/judge-runs', path: () => '/api/judge-runs', expected: maintainerOnly(200) },
  {
    method: 'post',
    route: '/api/judge-runs',
    path: () => '/api/judge-runs',
    body: (w) => ({ judgeId: 999, runId: w.run.id }),
    expected: maintainerOnly(404),
  },
  {
    method: 'get',
    route: '/api/judge-runs/:id',
    path: () => '/api/judge-runs/999',
    expected: maintainerOnly(404),
  },
  {
    method: 'post',
    route: '/api/judge-runs/:id/cancel',
    path: () => '/api/judge-runs/999/cancel',
    body: () => ({}),
    expected: maintainerOnly(404),
  },
  {
    method: 'get',
    route: '/api/judge-runs/:id/judgments',
    path: () => '/api/judge-runs/999/judgments',
    expected: maintainerOnly(404),
  },
  {
    method: 'get',
    route: '/api/judge-runs/:id/calibration',
    path: () => '/api/judge-runs/999/calibration',
    expected: maintainerOnly(404),
  },
  {
    method: 'get',
    route: '/api/judge-settings/:datasetId',
    path: (w) => `/api/judge-settings/${w.dataset.id}`,
    expected: maintainerOnly(200),
  },
  {
    method: 'patch',
    route: '/api/judge-settings/:datasetId',
    path: (w) => `/api/judge-settings/${w.dataset.id}`,
    body: () => ({ minAnswers: 50 }),
    expected: maintainerOnly(200),
  },
];

// A submitted item in Korean by someone else: visible to Korean speakers, editable by nobody here.
const SUBMITTED_CASES: Case[] = [
  {
    method: 'get',
    route: '/api/items/:id',
    path: (w) => `/api/items/${w.submitted.id}`,
    expected: { anonymous: 401, annotator: 200, reviewer: 200, maintainer: 200, otherLanguage: 404 },
  },
  {
    method: 'patch',
    route: '/api/items/:id',
    path: (w) => `/api/items/${w.submitted.id}`,
    body: (w) => ({ version: w.submitted.version, changes: { notes: 'edited' } }),
    expected: { anonymous: 401, annotator: 403, reviewer: 403, maintainer: 403, otherLanguage: 404 },
  },
];

function send(w: World, c: Case, actor: Actor) {
  let req = request(w.t.app)[c.method](c.path(w));
  if (actor !== 'anonymous') req = req.set('Authorization', `Bearer ${w.tokens[actor]}`);
  if (c.method === 'put' && (c.route.startsWith('/api/imports') || c.route === '/api/runs/:id/responses'))
    return req.set('Content-Type', 'text/csv').send(c.body?.(w) as string);
  return c.body ? req.send(c.body(w) as object) : req;
}

describe('authorization: every route × every caller', () => {
  for (const c of [...CASES, ...SUBMITTED_CASES]) {
    for (const actor of ACTORS) {
      it(`${c.method.toUpperCase()} ${c.route} as ${actor} → ${c.expected[actor]}`, async () => {
        const w = await worldFor(c, c.expected[actor]);
        const res = await send(w, c, actor);
        expect(res.status, res.text).toBe(c.expected[actor]);
        if (res.status === 202) await c.finish?.(w, res);
        if (res.status >= 400) expect(res.body.error.code).toEqual(expect.any(String));
      });
    }
  }

  it('GET /api/items shows each caller only the items in their languages, and drafts only to their author', async () => {
    const w = readOnly;
    const seen = async (actor: Exclude<Actor, 'anonymous'>) => {
      const res = await request(w.t.app).get('/api/items').set('Authorization', `Bearer ${w.tokens[actor]}`);
      return (res.body.items as { id: number }[]).map((i) => i.id).sort((a, b) => a - b);
    };
    const byId = (a: number, b: number) => a - b;
    expect(await seen('annotator')).toEqual([w.draft.id, w.submitted.id, w.gold.id].sort(byId));
    expect(await seen('reviewer')).toEqual([w.submitted.id, w.gold.id].sort(byId));
    expect(await seen('maintainer')).toEqual([w.draft.id, w.submitted.id, w.gold.id].sort(byId));
    expect(await seen('otherLanguage')).toEqual([]);
  });

  it('covers every route the server defines', () => {
    const dir = new URL('../../server/routes/', import.meta.url);
    const index = readFileSync(new URL('index.ts', dir), 'utf8');
    const mounts = new Map<string, string>();
    for (const m of index.matchAll(/router\.use\('([^']+)',\s*(\w+)\(/g)) mounts.set(m[2], m[1]);
    const defined: string[] = [];
    for (const m of index.matchAll(/router\.(get|post|patch|put|delete)\('([^']+)'/g)) {
      defined.push(`${m[1]} /api${m[2]}`);
    }
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
      const src = readFileSync(new URL(file, dir), 'utf8');
      const factory = /export function (\w+Router)\(/.exec(src)?.[1];
      const prefix = factory ? mounts.get(factory) : undefined;
      if (!prefix) continue;
      for (const m of src.matchAll(/router\.(get|post|patch|put|delete)\(\s*'([^']+)'/g)) {
        defined.push(`${m[1]} /api${prefix}${m[2] === '/' ? '' : m[2]}`);
      }
    }
    const covered = new Set([...CASES, ...SUBMITTED_CASES].map((c) => `${c.method} ${c.route}`));
    expect(defined.length).toBeGreaterThan(20);
    expect(defined.filter((r) => !covered.has(r))).toEqual([]);
  });
});
