// Who may read a release's contents (docs/releases.md): maintainers every release; reviewers and
// annotators only a final release all of whose languages they hold and none of whose items is gold now.
// Every path follows one rule: the archive, the card, the changelog, the report drill-down and the CLI.
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Release } from '../../schema/release.ts';
import type { RatingTask } from '../../schema/scoring.ts';
import type { User } from '../../schema/user.ts';
import { runCli } from '../../server/cli/run-cli.ts';
import { createAuthService } from '../../server/domain/auth.ts';
import { createRatingService } from '../../server/domain/scoring/rating.ts';
import { createScoringService, releaseItems, responseRow } from '../../server/domain/scoring/service.ts';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { sampleCsv, settled, tempDir } from '../helpers/releases.ts';

const ROLES = ['annotator', 'reviewer', 'maintainer', 'otherLanguage'] as const;
type Role = (typeof ROLES)[number];
const KINDS = ['final', 'preRelease', 'preReleaseTagOnly', 'finalWithGold'] as const;
type Kind = (typeof KINDS)[number];

/** Allowed (200) or hidden (404), by hand: the rule of docs/releases.md. */
const CAN_READ: Record<Role, Record<Kind, boolean>> = {
  annotator: { final: true, preRelease: false, preReleaseTagOnly: false, finalWithGold: false },
  reviewer: { final: true, preRelease: false, preReleaseTagOnly: false, finalWithGold: false },
  maintainer: { final: true, preRelease: true, preReleaseTagOnly: true, finalWithGold: true },
  otherLanguage: { final: false, preRelease: false, preReleaseTagOnly: false, finalWithGold: false },
};

const USERNAMES: Record<Role, string> = {
  annotator: 'ann',
  reviewer: 'rev',
  maintainer: 'boss',
  otherLanguage: 'arab',
};

describe('reading release contents', () => {
  let t: TestContext;
  let releasesDir: string;
  let datasetId: number;
  let tokens: Record<Role, string>;
  let releases: Record<Kind, Release>;
  let maintainerToken: string;
  let goldItemId: number;
  let boss: User;
  const get = (role: Role, path: string) =>
    request(t.app).get(path).set('Authorization', `Bearer ${tokens[role]}`);

  beforeAll(async () => {
    releasesDir = tempDir();
    t = await createTestContext({ releasesDir });
    const users = {
      annotator: await t.addUser('ann', 'annotator', ['ko']),
      reviewer: await t.addUser('rev', 'reviewer', ['ko']),
      maintainer: await t.addUser('boss', 'maintainer', []),
      otherLanguage: await t.addUser('arab', 'annotator', ['ar']),
    };
    const auth = createAuthService(t.repos.users);
    tokens = {} as Record<Role, string>;
    for (const r of ROLES) tokens[r] = (await auth.createToken(users[r].id, 'read')).token;
    boss = users.maintainer;
    datasetId = (await addDataset(t)).id;
    const imp = await importer(t, datasetId);
    maintainerToken = imp.token;
    await imp.upload(
      { format: 'csv', dryRun: false, status: 'accepted' },
      sampleCsv([
        { id: 'k1', category: 'tradition/food' },
        { id: 'k2', category: 'history' },
      ]),
    );
    await imp.upload({ format: 'csv', dryRun: false, status: 'submitted' }, sampleCsv([{ id: 's1' }]));
    const cut = async (body: object) => {
      const auth = { Authorization: `Bearer ${imp.token}` };
      const res = await settled(
        t.app,
        auth,
        request(t.app)
          .post('/api/releases')
          .set(auth)
          .send({ datasetId, title: 'Release', ...body }),
      );
      expect(res.body.state, res.text).toBe('published');
      return res.body as Release;
    };
    releases = {
      // k2 only: accepted, not gold.
      final: await cut({ version: '1.0.0', filter: { categories: ['history'] } }),
      // k1 and k2; k1 becomes a gold item below.
      finalWithGold: await cut({ version: '2.0.0' }),
      // k1, k2 and the submitted s1.
      preRelease: await cut({ version: '2.1.0-rc.1', filter: { includeSubmitted: true } }),
      // Accepted items only, but a pre-release version.
      preReleaseTagOnly: await cut({ version: '3.0.0-beta.1', filter: { categories: ['history'] } }),
    };
    goldItemId = (await t.repos.imports.externalIds(datasetId)).get('k1')!;
    const gold = await request(t.app)
      .put(`/api/gold/${goldItemId}`)
      .set('Authorization', `Bearer ${imp.token}`)
      .send({ grounded: 'yes', correct: 'yes' });
    expect(gold.status, gold.text).toBe(200);
  });

  for (const file of ['archive', 'card', 'changelog'] as const) {
    for (const kind of KINDS) {
      for (const role of ROLES) {
        const allowed = CAN_READ[role][kind];
        it(`${role} × ${kind} release: GET /api/releases/:id/${file} is ${allowed ? '200' : '404'}`, async () => {
          const res = await get(role, `/api/releases/${releases[kind].id}/${file}`);
          expect(res.status).toBe(allowed ? 200 : 404);
          if (!allowed) {
            // Exactly what an unknown release answers: hidden contents tell nothing.
            const unknown = await get(role, `/api/releases/999999/${file}`);
            expect(res.body).toEqual(unknown.body);
            expect(res.body).toEqual({ error: { code: 'not-found', message: 'Release not found' } });
          }
          // The metadata stays visible to everyone signed in.
          expect((await get(role, `/api/releases/${releases[kind].id}`)).status).toBe(200);
        });
      }
    }
  }

  for (const kind of KINDS) {
    for (const role of ROLES) {
      const allowed = CAN_READ[role][kind];
      it(`${role} × ${kind} release: the CLI download as that user ${allowed ? 'saves the archive' : 'finds no release'}`, async () => {
        const out: string[] = [];
        const err: string[] = [];
        const target = `${tempDir()}/release.tar.gz`;
        const code = await runCli(
          [
            'release',
            'download',
            '--username',
            USERNAMES[role],
            '--dataset',
            String(datasetId),
            '--version',
            releases[kind].version,
            '--out',
            target,
            '--db',
            t.location ?? t.repos.location,
          ],
          {
            out: (l) => out.push(l),
            err: (l) => err.push(l),
            env: { CS_RELEASES_DIR: releasesDir },
          },
        );
        expect(code, err.join('\n')).toBe(allowed ? 0 : 1);
        if (!allowed)
          expect(err).toEqual([
            `error: no release ${releases[kind].version} of dataset ${datasetId} that ${USERNAMES[role]} may read`,
          ]);
      });
    }
  }

  // The drill-down shows reference answers; only maintainers reach the reports at all.
  for (const kind of KINDS) {
    for (const role of ROLES) {
      const expected = role === 'maintainer' ? 200 : 403;
      it(`${role} × ${kind} release: GET /api/reports/items is ${expected}`, async () => {
        expect((await get(role, `/api/reports/items?release=${releases[kind].id}`)).status).toBe(expected);
      });
    }
  }

  it('when an item stops being gold, then the releases holding it are readable again (the rule is about now)', async () => {
    const id = releases.finalWithGold.id;
    expect((await get('annotator', `/api/releases/${id}/card`)).status).toBe(404);
    const markGold = () =>
      request(t.app)
        .put(`/api/gold/${goldItemId}`)
        .set('Authorization', `Bearer ${maintainerToken}`)
        .send({ grounded: 'yes', correct: 'yes' });
    try {
      const removed = await request(t.app)
        .delete(`/api/gold/${goldItemId}`)
        .set('Authorization', `Bearer ${maintainerToken}`);
      expect(removed.status).toBe(204);
      expect((await get('annotator', `/api/releases/${id}/card`)).status).toBe(200);
      expect((await get('reviewer', `/api/releases/${id}/archive`)).status).toBe(200);
    } finally {
      // And back, whatever failed above: the world is shared with the other tests of this file.
      expect((await markGold()).status).toBe(200);
    }
    expect((await get('annotator', `/api/releases/${id}/card`)).status).toBe(404);
  });

  it('when a rater may not read the release, then their rating task comes without its reference answer', async () => {
    const scoring = createScoringService(t.repos);
    const rating = createRatingService(t.repos);
    const model = await scoring.createModel(boss, {
      name: 'Rated model',
      developer: 'Lab',
      country: null,
      sovereign: false,
      baseUrl: null,
      endpointModel: null,
      apiKeyEnv: null,
    });
    /** A campaign on the release with one response, to k2 (reference answer "answer k2"), for one rater each. */
    const campaignOn = async (kind: Kind) => {
      const run = await scoring.createRun(boss, {
        modelId: model.id,
        releaseId: releases[kind].id,
        promptTemplate: null,
        temperature: 0,
        maxTokens: 64,
      });
      const k2 = [...(await releaseItems(t.repos, releases[kind].id)).values()].find(
        (i) => i.referenceAnswer === 'answer k2',
      )!;
      await t.repos.scoring.insertResponses([
        responseRow(run.id, k2, 'a reply', 'import', new Date().toISOString()),
      ]);
      return (
        await rating.createCampaign(boss, {
          releaseId: releases[kind].id,
          name: `Campaign on ${kind}`,
          ratersPerResponse: 4,
          leaseMinutes: 30,
        })
      ).id;
    };
    const next = async (role: Role, campaign: number) =>
      (
        await request(t.app)
          .post(`/api/rating/campaigns/${campaign}/next`)
          .set('Authorization', `Bearer ${tokens[role]}`)
          .send({})
      ).body.task as RatingTask;
    const final = await campaignOn('final');
    const pre = await campaignOn('preRelease');
    expect((await next('annotator', final)).item.referenceAnswer).toBe('answer k2');
    expect((await next('annotator', pre)).item).toMatchObject({
      question: 'ko question k2',
      referenceAnswer: null,
    });
    expect((await next('reviewer', pre)).item.referenceAnswer).toBeNull();
    expect((await next('maintainer', pre)).item.referenceAnswer).toBe('answer k2');
  });
});
