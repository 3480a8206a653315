import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Judge } from '../../schema/judge.ts';
import type { RatingInput } from '../../schema/scoring.ts';
import { createRatingService } from '../../server/domain/scoring/rating.ts';
import { importer } from '../helpers/imports.ts';
import { sampleCsv, settled, type SampleRow } from '../helpers/releases.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';
import { SHOTS } from './viewports.ts';

const direction = (el: unknown) =>
  (el as { matches(selector: string): boolean }).matches(':dir(rtl)') ? 'rtl' : 'ltr';

const ITEMS: SampleRow[] = [
  { id: 'ar1', language: 'ar', question: 'ماذا يقول الضيف بعد الطعام؟' },
  { id: 'ar2', language: 'ar', question: 'ما هو طبق العيد؟' },
  { id: 'ar3', language: 'ar', question: 'ماذا تقول للعروس؟' },
  { id: 'ar4', language: 'ar', question: 'متى يُقدَّم الفسيخ؟' },
  { id: 'ar5', language: 'ar', question: 'ماذا يُقال في العيد؟' },
  { id: 'ar6', language: 'ar', question: 'ما هي حلوى رمضان؟' },
  { id: 'ko1', question: '설날에 먹는 음식은?' },
  { id: 'ko2', question: '추석에 하는 일은?' },
];

type Rating = Omit<RatingInput, 'comment'>;
const r = (correctness: Rating['correctness'], a: number, q: number): Rating => ({
  correctness,
  culturalAlignment: a,
  languageQuality: q,
  safetyOutcome: null,
});

/**
 * A published release of four Arabic and two Korean open-ended items, a model run answering them, one rating
 * each, and a finished judge run whose outputs are stored as the job stores them (one unreadable, in Arabic).
 */
async function judgedRelease(server: TestServer) {
  const { t, dataset } = server;
  const imp = await importer(t, dataset.id, 'boss');
  await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv(ITEMS));
  const auth = { Authorization: `Bearer ${imp.token}` };
  const cut = await settled(
    t.app,
    auth,
    request(t.app)
      .post('/api/releases')
      .set(auth)
      .send({ datasetId: dataset.id, version: '1.0.0', title: 'First' }),
  );
  const releaseId = (cut.body as { id: number }).id;
  const api = (method: 'post' | 'put', url: string, body: string | object, type = 'application/json') =>
    request(t.app)[method](url).set(auth).set('Content-Type', type).send(body);
  const model = (await api('post', '/api/models', { name: 'Model A', developer: 'Lab' })).body as {
    id: number;
  };
  const judgeModel = (await api('post', '/api/models', { name: 'Judge model', developer: 'Lab' })).body as {
    id: number;
  };
  const run = (await api('post', '/api/runs', { modelId: model.id, releaseId })).body as { id: number };
  const uids = new Map<string, string>();
  for (const [ext, id] of await t.repos.imports.externalIds(dataset.id))
    uids.set(ext, (await t.repos.items.get(id))!.uid);
  const uid = (id: string) => uids.get(id)!;
  // ar5 and ar6 are answered after the people rated: only the judge scores them.
  const late = ['ar5', 'ar6'];
  const importResponses = (ids: string[]) =>
    api(
      'put',
      `/api/runs/${run.id}/responses`,
      `id,response\n${ids.map((id) => `${uid(id)},resp ${id}`).join('\n')}\n`,
      'text/csv',
    );
  await importResponses(ITEMS.map((i) => i.id).filter((id) => !late.includes(id)));
  const judge = (await api('post', '/api/judges', { name: 'Strict judge', modelId: judgeModel.id }))
    .body as Judge;

  // One rater per answer (the maintainer), then the judge's outputs.
  const boss = (await t.repos.users.list()).find((u) => u.username === 'boss')!;
  const rating = createRatingService(t.repos);
  const campaign = await rating.createCampaign(boss, {
    releaseId,
    name: 'R',
    ratersPerResponse: 1,
    leaseMinutes: 30,
  });
  const human: Record<string, Rating> = {
    ar1: r('correct', 5, 5),
    ar2: r('incorrect', 2, 3),
    ar3: r('partial', 3, 4),
    ar4: r('correct', 4, 4),
    ko1: r('correct', 4, 5),
    ko2: r('incorrect', 1, 2),
  };
  for (let task = await rating.next(boss, campaign.id); task; task = await rating.next(boss, campaign.id))
    await rating.submit(boss, task.id, { ...human[task.response.replace('resp ', '')], comment: null });
  await importResponses(late);
  const s = t.repos.scoring;
  const judgeRunId = await s.ensureJudgeRun({
    judgeId: judge.id,
    runId: run.id,
    createdBy: boss.id,
    createdAt: '2026-01-01T00:00:00Z',
  });
  const judged: Record<string, Rating | string> = {
    ar1: r('correct', 5, 5),
    ar2: r('incorrect', 2, 3),
    ar3: r('correct', 3, 4),
    ar4: 'الإجابة صحيحة في رأيي',
    ar5: r('correct', 3, 2),
    ar6: r('partial', 3, 4),
    ko1: r('correct', 4, 5),
    ko2: r('incorrect', 2, 2),
  };
  for (const x of await s.responsesToJudge(judgeRunId, run.id)) {
    const id = x.response.replace('resp ', '');
    const v = judged[id];
    await s.markJudgmentSent({
      judgeRunId,
      responseId: x.responseId,
      prompt: `prompt ${id}`,
      at: '2026-01-01T00:00:00Z',
    });
    await s.storeJudgment(judgeRunId, x.responseId, {
      rawOutput: typeof v === 'string' ? v : JSON.stringify(v),
      parseError: typeof v === 'string' ? 'not-json: the output is not one JSON object' : null,
      correctness: typeof v === 'string' ? null : v.correctness,
      culturalAlignment: typeof v === 'string' ? null : v.culturalAlignment,
      languageQuality: typeof v === 'string' ? null : v.languageQuality,
      safetyOutcome: null,
      comment: null,
      requests: 1,
      at: '2026-01-01T00:00:01Z',
    });
  }
  await s.finishJudgeRun(
    judgeRunId,
    { total: 8, asked: 8, judged: 7, unparseable: 1, failed: 0, skipped: 0, resent: 0, requests: 8 },
    { state: 'done', error: null, at: '2026-01-01T00:00:02Z' },
  );
  return { judgeRunId };
}

/** The threshold line's label in the chart. */
const thresholdText = (page: Page) =>
  page
    .locator('cs-calibration-chart .threshold-label')
    .textContent()
    .then((t) => t?.trim());

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('judge page', { timeout: 120_000 }, () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await judgedRelease(server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a maintainer registers a judge and, with the keyboard, opens a judge run’s calibration: α per slice with intervals, the labelled threshold, the unreadable Arabic output right to left', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    await page.goto('/scoring/judges');
    await expect
      .poll(() => page.getByRole('heading', { name: 'Judges and calibration' }).count(), { timeout: 30_000 })
      .toBe(1);

    await page.getByLabel('Name', { exact: true }).fill('Second judge');
    await page.getByLabel('Judge model').selectOption({ label: 'Judge model' });
    await page.getByLabel('Criteria (filled in where a template asks for the criteria)').fill('Be strict.');
    await page.getByRole('button', { name: 'Create judge' }).click();
    await expect
      .poll(() => page.locator('#run-judge option').allTextContents(), { timeout: 30_000 })
      .toEqual(['Strict judge', 'Second judge']);

    // The judge run's row, then its calibration, by keyboard alone.
    const row = page.locator('cs-judge-page tbody tr');
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('done');
    await expect(row.textContent()).resolves.toContain('8 / 8');
    await page.getByRole('button', { name: 'Calibration' }).focus();
    await page.keyboard.press('Enter');
    const chart = page.locator('cs-calibration-chart svg');
    await expect.poll(() => chart.count(), { timeout: 30_000 }).toBe(1);
    await expect(chart.getAttribute('aria-label')).resolves.toContain('Trusted from 0.667');
    await expect(thresholdText(page)).resolves.toBe('Trusted from 0.667');
    const table = page.locator('cs-judge-calibration table').first();
    await expect.poll(() => table.textContent(), { timeout: 30_000 }).toContain('All languages');
    const text = (await table.textContent())!;
    expect(text).toContain('Arabic');
    expect(text).toContain('Korean');
    expect(text).toContain('Cultural alignment');
    await expect(
      page.getByText('1 judge output could not be read: shown below, never guessed.').count(),
    ).resolves.toBe(1);
    const raw = page.locator('cs-judge-calibration pre');
    await expect(raw.textContent()).resolves.toBe('الإجابة صحيحة في رأيي');
    await expect(raw.getAttribute('lang')).resolves.toBe('ar');
    await expect(raw.evaluate(direction)).resolves.toBe('rtl');

    // The threshold is a dataset setting; the line follows it.
    await page.getByLabel('Trust threshold (α lower bound)').fill('0.5');
    await page.getByLabel('Trust threshold (α lower bound)').press('Enter');
    await expect.poll(() => thresholdText(page), { timeout: 30_000 }).toBe('Trusted from 0.5');
    await page.setViewportSize({ width: 1366, height: 900 });
    await shot(page, 'judge-page-en-1366');
    // No serious or critical axe violation with the calibration open, on a desktop and on a phone.
    for (const size of [
      { width: 1366, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      const result = await new AxeBuilder({ page }).analyze();
      expect(
        result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`),
      ).toEqual([]);
    }
    await context.close();
  });

  it('in Korean, on a phone: the page, its chart and tables in Korean, nothing wider than the screen', async () => {
    const agent = await server.t.login('boss');
    expect((await agent.patch('/api/me', { uiLocale: 'ko' })).status).toBe(200);
    const { context, page } = await signIn(browser, server, 'boss', { locale: 'ko-KR' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/scoring/judges');
    await expect
      .poll(() => page.getByRole('heading', { name: '심사 모델과 보정' }).count(), { timeout: 30_000 })
      .toBe(1);
    await page.getByRole('button', { name: '보정 보기' }).click();
    await expect.poll(() => thresholdText(page), { timeout: 30_000 }).toMatch(/부터 신뢰$/);
    expect(await page.locator('cs-judge-calibration table').first().textContent()).toContain('문화적 적합성');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    await shot(page, 'judge-page-ko-390');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1366, height: 900 });
    await shot(page, 'judge-page-ko-1366');
    await context.close();
  });

  it('the report, with the judge picked, scores the answers no person rated in the trusted slice and says so', async () => {
    // Arabic quality: the judge gave the people's values on ar1–ar3 (α = 1 over 3 answers): trusted here.
    const agent = await server.t.login('boss');
    expect((await agent.patch('/api/me', { uiLocale: 'en' })).status).toBe(200);
    const datasetId = server.dataset.id;
    expect(
      (await agent.patch(`/api/judge-settings/${datasetId}`, { alphaThreshold: 0.9, minAnswers: 3 })).status,
    ).toBe(200);
    const { context, page } = await signIn(browser, server, 'boss');
    await page.goto('/scoring/report');
    await expect.poll(() => page.locator('#scores tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.locator('#scores .source').count()).toBe(0);
    await page.getByLabel('Answers no person rated').selectOption({ label: 'Strict judge' });
    // People rated ar1–ar4 (quality 5, 3, 4, 4); the judge adds ar5 and ar6 (2 and 4): 22 / 6 = 3.67, mixed.
    await expect
      .poll(() => page.locator('#scores .source').allTextContents(), { timeout: 30_000 })
      .toContain('people + judge (2 of 6)');
    const cells = page.locator('#scores tbody tr td');
    expect((await cells.allTextContents()).join(' ')).toContain('3.67');
    await expect(page.locator('a', { hasText: 'CSV' }).first().getAttribute('href')).resolves.toContain(
      'judge=',
    );
    await shot(page, 'report-with-judge-en-1366');
    await context.close();
  });
});
