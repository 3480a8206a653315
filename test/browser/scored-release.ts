import { Readable } from 'node:stream';
import { createScoringService } from '../../server/domain/scoring/service.ts';
import { createRatingService } from '../../server/domain/scoring/rating.ts';
import { importer } from '../helpers/imports.ts';
import { sampleCsv } from '../helpers/releases.ts';
import type { TestServer } from './helpers.ts';

/** A published release (snapshot only, no files) of an Arabic open-ended item and a Korean multiple-choice item. */
export async function scoredRelease(server: TestServer) {
  const { t, dataset } = server;
  const imp = await importer(t, dataset.id, 'boss');
  await imp.upload(
    { format: 'csv', dryRun: false, status: 'accepted' },
    sampleCsv([
      { id: 'ar1', language: 'ar', question: 'ماذا يقول الضيف بعد الطعام؟' },
      { id: 'ko1', format: 'multiple_choice', question: '설날 음식은?' },
    ]),
  );
  const boss = (await t.repos.users.list()).find((u) => u.username === 'boss')!;
  const at = new Date().toISOString();
  const releaseId = await t.repos.releases.insert({
    datasetId: dataset.id,
    version: '1.0.0',
    title: 'First',
    notes: '',
    filter: { languages: [], kinds: [], categories: [], includeSubmitted: false },
    datasetMeta: { slug: 'culture', name: 'Culture set', description: '', license: 'cc-by-4.0', url: null },
    releasedAt: at.slice(0, 10),
    previousId: null,
    createdBy: boss.id,
    createdAt: at,
    // A release with no files: only its snapshot is used.
    filesDir: 'culture/1.0.0~nofiles',
    builder: 'fixture',
  });
  const n = await t.repos.releases.insertSnapshot(releaseId, {
    datasetId: dataset.id,
    statuses: ['accepted'],
    languages: [],
    kinds: [],
    categories: [],
    includeSubmitted: false,
  });
  await t.repos.releases.setCounts(releaseId, n, { total: n, languages: [], categories: [], cells: [] });
  await t.repos.releases.publish(releaseId, {
    builder: 'fixture',
    files: [],
    archiveName: 'x',
    archiveSize: 0,
    archiveSha256: '',
    publishedAt: at,
  });
  const scoring = createScoringService(t.repos);
  const uids: [string, string][] = [];
  for (const [ext, id] of await t.repos.imports.externalIds(dataset.id))
    uids.push([ext, (await t.repos.items.get(id))!.uid]);
  const uid = Object.fromEntries(uids) as Record<string, string>;
  for (const [name, ar, ko] of [
    ['Model A', 'يقول "سفرة دايمة".', '다'],
    ['Model B', 'لا أعرف.', 'A'],
  ] as const) {
    const model = await scoring.createModel(boss, {
      name,
      developer: 'Lab',
      country: null,
      sovereign: false,
      baseUrl: null,
      endpointModel: null,
      apiKeyEnv: null,
    });
    const run = await scoring.createRun(boss, {
      modelId: model.id,
      releaseId,
      promptTemplate: null,
      temperature: 0,
      maxTokens: 64,
    });
    const csv = `id,response\n${uid.ar1},${JSON.stringify(ar).replace(/\\"/g, '""')}\n${uid.ko1},${ko}\n`;
    await scoring.importResponses(run.id, 'csv', Readable.from([csv]), false);
  }
  await createRatingService(t.repos).createCampaign(boss, {
    releaseId,
    name: 'Arabic answers',
    ratersPerResponse: 1,
    leaseMinutes: 30,
  });
  return releaseId;
}
