// The report with a judge: answers no person rated are scored by the judge in the slices its calibration trusts,
// and each figure says whether it is human, judge or mixed. Expected values worked out by hand in the comments.
import { afterEach, describe, expect, it } from 'vitest';
import type { Judge } from '../../schema/judge.ts';
import type { RatingInput, ReportCell, ScoringReport } from '../../schema/scoring.ts';
import { startChatServer } from '../fixtures/scoring/chat-server.ts';
import { byResponse, judgeRunWhen, rateAll, verdict } from '../fixtures/scoring/judge-world.ts';
import { responsesCsv, scoringWorld } from '../fixtures/scoring/world.ts';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

type Rating = Omit<RatingInput, 'comment'>;
const r = (c: Rating['correctness'], a: number, q: number, s: Rating['safetyOutcome'] = null): Rating => ({
  correctness: c,
  culturalAlignment: a,
  languageQuality: q,
  safetyOutcome: s,
});

// People rated k1–k6, s1, s2; k7 and k8 (category history) only the judge. The judge agrees with people on quality
// exactly (α = 1 on 8 answers), not on alignment.
const HUMAN: Record<string, Rating> = {
  k1: r('correct', 5, 5),
  k2: r('correct', 4, 4),
  k3: r('incorrect', 2, 3),
  k4: r('partial', 3, 4),
  k5: r('incorrect', 1, 2),
  k6: r('correct', 4, 5),
  s1: r('correct', 3, 4, 'safe_refusal'),
  s2: r('incorrect', 2, 3, 'unsafe'),
};
const JUDGE: Record<string, string> = {
  k1: verdict('correct', 1, 5),
  k2: verdict('correct', 5, 4),
  k3: verdict('incorrect', 4, 3),
  k4: verdict('correct', 1, 4),
  k5: verdict('partial', 5, 2),
  k6: verdict('correct', 2, 5),
  s1: verdict('correct', 5, 4, 'safe_refusal'),
  s2: verdict('incorrect', 1, 3, 'safe_completion'),
  k7: verdict('correct', 3, 5),
  k8: verdict('incorrect', 3, 3),
};

describe('GET /api/reports?judge=', { timeout: 90_000 }, () => {
  it('scores answers no person rated by the judge in its trusted slices only, and marks each figure human, judge or mixed', async () => {
    const items = [
      ...['k1', 'k2', 'k3', 'k4', 'k5', 'k6'].map((id) => ({ id })),
      { id: 's1', kind: 'safety' as const },
      { id: 's2', kind: 'safety' as const },
      { id: 'k7', category: 'history' },
      { id: 'k8', category: 'history' },
    ];
    const server = await startChatServer(
      byResponse(Object.fromEntries(Object.entries(JUDGE).map(([k, v]) => [k, { reply: v }]))),
    );
    closers.push(server.close);
    const w = await scoringWorld(items, { outbound: { allowPrivate: true } });
    const model = await w.addModel({ name: 'Answering model' });
    const run = await w.addRun(model.id);
    const rated = items.filter((i) => !['k7', 'k8'].includes(i.id));
    expect(
      (
        await w.put(
          `/api/runs/${run.id}/responses`,
          responsesCsv(rated.map((i) => [w.uid(i.id), `resp ${i.id}`])),
        )
      ).status,
    ).toBe(200);
    const campaign = await w.post('/api/rating/campaigns', {
      releaseId: w.release.id,
      name: 'R',
      ratersPerResponse: 1,
    });
    await rateAll(w, 'r1', ['ko'], campaign.body.id, HUMAN);
    // k7 and k8 answered after the people rated.
    expect(
      (
        await w.put(
          `/api/runs/${run.id}/responses`,
          responsesCsv(
            [
              ['k7', 'resp k7'],
              ['k8', 'resp k8'],
            ].map(([id, t]) => [w.uid(id), t]),
          ),
        )
      ).status,
    ).toBe(200);
    const judgeModel = await w.addModel({
      name: 'Judge model',
      baseUrl: server.baseUrl,
      endpointModel: 'judge',
    });
    const judge = (await w.post('/api/judges', { name: 'Judge', modelId: judgeModel.id })).body as Judge;
    const started = await w.post('/api/judge-runs', { judgeId: judge.id, runId: run.id });
    expect(await judgeRunWhen(w, started.body.id)).toMatchObject({ state: 'done', judged: 10 });
    // Quality is trusted from 8 answers with α's lower bound 1 ≥ 0.9; alignment (α < 0) and the rest are not.
    expect(
      (await w.patch(`/api/judge-settings/${w.datasetId}`, { alphaThreshold: 0.9, minAnswers: 8 })).status,
    ).toBe(200);

    const report = async (query: string) => {
      const res = await w.get(`/api/reports?release=${w.release.id}${query}`);
      expect(res.status, res.text).toBe(200);
      return res.body as ScoringReport;
    };
    const cell = (rep: ScoringReport, language: string, category: string) =>
      rep.cells.find(
        (c: ReportCell) =>
          c.language === language && c.category === category && c.kind === '*' && c.format === '*',
      )!;

    // People only (no judge asked for): quality over the 8 rated answers, (5+4+3+4+2+5+4+3)/8 = 30/8.
    const people = await report('');
    expect(people.judgeId).toBeNull();
    expect(cell(people, 'ko', '*').languageQuality).toMatchObject({ value: 3.75, n: 8, source: 'human' });
    expect(cell(people, 'ko', '*').languageQuality.judged).toBeUndefined();

    const withJudge = await report(`&judge=${judge.id}`);
    expect(withJudge.judgeId).toBe(judge.id);
    const ko = cell(withJudge, 'ko', '*');
    // Quality: the 8 people's values and the judge's 5 and 3 for k7, k8: (30 + 8)/10 = 3.8, mixed, 2 from the judge.
    expect(ko.languageQuality).toMatchObject({ value: 3.8, n: 10, source: 'mixed', judged: 2 });
    // Alignment and correctness are not trusted: people only, as before.
    expect(ko.culturalAlignment).toMatchObject({ n: 8, source: 'human' });
    expect(ko.culturalAlignment.value).toBeCloseTo((5 + 4 + 2 + 3 + 1 + 4 + 3 + 2) / 8, 10);
    expect(ko.ratedCorrectness).toMatchObject({ n: 8, source: 'human' });
    expect(ko.unsafeRate).toMatchObject({ n: 2, value: 0.5, source: 'human' });
    // History holds only k7 and k8: quality from the judge alone, (5 + 3)/2 = 4; nothing else there.
    const history = cell(withJudge, 'ko', 'history');
    expect(history.languageQuality).toMatchObject({ value: 4, n: 2, source: 'judge', judged: 2 });
    expect(history.ratedCorrectness).toMatchObject({ value: null, n: 0, source: 'human' });

    // The export says so too.
    const csv = await w.get(`/api/reports/export?release=${w.release.id}&judge=${judge.id}&format=csv`);
    const [header, ...rows] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const columns = header.split(',');
    const row = rows
      .map((l) => l.split(','))
      .find(
        (c) =>
          c[columns.indexOf('language')] === 'ko' &&
          c[columns.indexOf('category')] === '*' &&
          c[columns.indexOf('kind')] === '*' &&
          c[columns.indexOf('format')] === '*',
      )!;
    expect(row[columns.indexOf('language_quality_source')]).toBe('mixed');
    expect(row[columns.indexOf('cultural_alignment_source')]).toBe('human');

    const unknown = await w.get(`/api/reports?release=${w.release.id}&judge=999`);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not-found']);
  });
});
