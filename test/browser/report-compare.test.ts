import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoringService } from '../../server/domain/scoring/service.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';
import { scoredRelease } from './scored-release.ts';
import { poll, SHOTS, VIEWPORTS } from './viewports.ts';

/** Picks a view of the report page. */
async function view(page: Page, name: 'scores' | 'compare' | 'headline') {
  await page.goto('/scoring/report');
  // The page loads its chunk and the releases first: allow a loaded machine its time.
  await expect.poll(() => page.locator('cs-report-page #view').count(), { timeout: 30_000 }).toBe(1);
  await page.locator('cs-report-page #view').selectOption(name);
}

describe('model report: honest intervals, the comparison and the headline table', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await scoredRelease(server);
    // Model A becomes Korea's sovereign model; B stays a foreign one without a country.
    const scoring = createScoringService(server.t.repos);
    const a = (await scoring.listModels()).find((m) => m.name === 'Model A')!;
    await scoring.updateModel(a.id, { country: 'KR', sovereign: true });
    const minho = await server.addUser('minho', 'maintainer', ['ko']);
    await server.t.repos.users.update(minho.id, { uiLocale: 'ko' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('marks every figure with its n and, below 10, a visible "too few to read" label with its explanation', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    await page.goto('/scoring/report');
    const table = page.locator('cs-report-page table#scores');
    await poll(() => table.textContent()).toContain('Model B');
    // One Korean multiple-choice answer each: 1 of 1 right → 100.0% with its Wilson interval [20.7–100.0].
    const text = (await table.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain('100.0% [20.7–100.0] n=1 too few to read');
    const few = table.getByRole('note').first();
    await expect(few.textContent()).resolves.toBe('too few to read');
    await expect(few.getAttribute('aria-label')).resolves.toBe('n = 1, fewer than 10: too few to read');
    await context.close();
  });

  it('compares model A with model B item by item, reachable with the keyboard', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    await view(page, 'compare');
    const compare = page.locator('cs-report-compare');
    await poll(() => compare.locator('#run-a').count()).toBe(1);
    await compare.locator('#run-b').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const rows = compare.locator('tbody tr');
    await poll(() => rows.count()).toBeGreaterThan(0);
    // Overall accuracy: A right, B wrong on the one Korean item → +100.0 points, McNemar p = 1.
    const first = (await rows.first().textContent())!;
    expect(first).toContain('Overall');
    expect(first).toContain('A − B = +100.0 points');
    expect(first).toContain('p = 1.00');
    expect(first).toContain('n = 1');
    await expect(rows.first().getByRole('note').count()).resolves.toBe(1);
    await expect(compare.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).resolves.toContain(
      '/api/reports/compare/export?',
    );
    await context.close();
  });

  it('shows the headline table: sovereign models first, grouped by country, with the test against the best foreign model', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    await view(page, 'headline');
    const headline = page.locator('cs-report-headline');
    await poll(() => headline.locator('tbody tr').count()).toBe(4);
    const groups = await headline.locator('tr.group').allTextContents();
    expect(groups.map((g) => g.trim())).toEqual(['Sovereign · KR', 'Other · –']);
    const rowA = headline.locator('tbody tr', { hasText: 'Model A' });
    expect(await rowA.textContent()).toContain('Korean');
    expect(await rowA.textContent()).toContain('vs Model B: +100.0 points, p = 1.00 (n = 1)');
    await context.close();
  });

  it('reads in Korean on a laptop and a phone (screenshots)', async () => {
    const { context, page } = await signIn(browser, server, 'minho');
    for (const name of ['compare', 'headline'] as const) {
      await view(page, name);
      if (name === 'compare') {
        await page.locator('cs-report-compare button.primary').click();
        await poll(() => page.locator('cs-report-compare tbody tr').count()).toBeGreaterThan(0);
        expect(await page.locator('cs-report-compare tbody').textContent()).toContain('%p');
      } else {
        await poll(() => page.locator('cs-report-headline tbody tr').count()).toBe(4);
        expect(await page.locator('cs-report-headline tr.group').first().textContent()).toContain('소버린');
      }
      for (const v of VIEWPORTS) {
        await page.setViewportSize({ width: v.width, height: v.height });
        await page.screenshot({ path: `${SHOTS}/report-${name}-ko-${v.name}.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 1366, height: 900 });
    }
    await context.close();
  });
});
