import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRatingService } from '../../server/domain/scoring/rating.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';
import { scoredRelease } from './scored-release.ts';

/** The element's resolved direction. */
const direction = (el: unknown) =>
  (el as { matches(selector: string): boolean }).matches(':dir(rtl)') ? 'rtl' : 'ltr';

describe('scoring pages', () => {
  let browser: Browser;
  let server: TestServer;
  let releaseId: number;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('layla', 'annotator', ['ar']);
    releaseId = await scoredRelease(server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a rater rates Arabic answers blind, right to left, with the keyboard', async () => {
    const { context, page } = await signIn(browser, server, 'layla');
    await page.goto('/rate');
    for (let k = 0; k < 2; k++) {
      await expect.poll(() => page.locator('#rating-response').count()).toBe(1);
      const response = page.locator('#rating-response');
      await expect(response.getAttribute('lang')).resolves.toBe('ar');
      await expect(response.getAttribute('dir')).resolves.toBe('auto');
      // dir="auto" resolves from the text: right to left inside the English interface.
      await expect(response.evaluate(direction)).resolves.toBe('rtl');
      expect(await page.locator('cs-rating-page').textContent()).not.toContain('Model');
      await page.keyboard.press('1');
      await page.getByRole('radio', { name: '4' }).first().check();
      await page.getByRole('radio', { name: '5' }).nth(1).check();
      await page.keyboard.press('Enter');
    }
    await expect.poll(() => page.locator('#no-rating-task').count()).toBe(1);
    await context.close();
  });

  it('the maintainer sees the report: models side by side, the chart and each answer next to the reference', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    await page.goto('/scoring/report');
    // The releases, then the report of the first, then the chart: more than the poll's default second on a busy machine.
    await expect.poll(() => page.locator('cs-report-chart svg').count(), { timeout: 10_000 }).toBe(1);
    const table = page.locator('cs-report-page table').first();
    await expect.poll(() => table.textContent()).toContain('Model B');
    expect(await table.textContent()).toContain('100.0%');
    await expect.poll(() => page.locator('cs-report-items article').count()).toBe(2);
    const arabic = page.locator('cs-report-items article', { hasText: 'سفرة دايمة' });
    await expect(arabic.count()).resolves.toBe(1);
    await expect(arabic.locator('th').allTextContents()).resolves.toEqual(['Model A', 'Model B']);
    await page.goto('/scoring');
    await expect.poll(() => page.locator('cs-run-card').count()).toBe(2);
    await context.close();
  });

  it('a reviewer settles what two raters disagreed on, right to left, and the campaign has nothing left', async () => {
    const { t } = server;
    const boss = (await t.repos.users.list()).find((u) => u.username === 'boss')!;
    const layla = (await t.repos.users.list()).find((u) => u.username === 'layla')!;
    const amina = await server.addUser('amina', 'annotator', ['ar']);
    await server.addUser('rania', 'reviewer', ['ar']);
    const rating = createRatingService(t.repos);
    const campaign = await rating.createCampaign(boss, {
      releaseId,
      name: 'Two raters',
      ratersPerResponse: 2,
      leaseMinutes: 30,
    });
    // Both Arabic answers (one per model): one rater says correct, the other incorrect.
    for (const [rater, correctness] of [
      [layla, 'correct'],
      [amina, 'incorrect'],
    ] as const) {
      for (
        let task = await rating.next(rater, campaign.id);
        task;
        task = await rating.next(rater, campaign.id)
      ) {
        await rating.submit(rater, task.id, {
          correctness,
          culturalAlignment: 3,
          languageQuality: 3,
          safetyOutcome: null,
          comment: null,
        });
      }
    }
    expect(await rating.disagreements(boss, campaign.id)).toHaveLength(2);

    const { context, page } = await signIn(browser, server, 'rania');
    await page.goto('/rate');
    await page.getByLabel('Campaign').selectOption({ label: 'Two raters (2/2)' });
    const cards = page.locator('cs-rating-disagreements article');
    await expect.poll(() => cards.count()).toBe(2);
    const answer = cards.first().locator('.disagreement-answer');
    await expect(answer.getAttribute('lang')).resolves.toBe('ar');
    await expect(answer.evaluate(direction)).resolves.toBe('rtl');
    await expect(cards.first().getByRole('list').textContent()).resolves.toMatch(/Correct.*Incorrect/s);
    expect(await page.locator('cs-rating-disagreements').textContent()).not.toContain('Model');
    if (process.env.CS_SCREENSHOTS === '1')
      await page.screenshot({ path: 'docs/screenshots/rating-disagreements-ar.png', fullPage: true });

    await cards.first().getByLabel('Correctness').selectOption({ label: 'Partly correct' });
    await cards.first().getByRole('button', { name: 'Save my rating' }).click();
    await expect.poll(() => cards.count()).toBe(1);
    await cards.first().getByRole('button', { name: 'Save my rating' }).click();
    await expect.poll(() => page.locator('#no-disagreements').count()).toBe(1);
    expect(await rating.disagreements(boss, campaign.id)).toEqual([]);
    const reviewerRatings = t.db
      .prepare('SELECT correctness FROM reviewer_ratings ORDER BY correctness')
      .pluck()
      .all() as string[];
    expect(reviewerRatings).toEqual(['correct', 'partial']);
    await context.close();
  });
});
