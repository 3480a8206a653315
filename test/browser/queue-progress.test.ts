import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../helpers/app.ts';
import { createSubmittedItem } from '../helpers/items.ts';
import { tokenAgent, validateNext, type TokenAgent } from '../helpers/validation.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';
import { scoredRelease } from './scored-release.ts';
import { poll, SHOTS, VIEWPORTS } from './viewports.ts';

const viewports = VIEWPORTS.map((v) => [v.name, v] as const);

/** The empty queue: its reason, text and next step. */
async function emptyQueue(page: Page) {
  const empty = page.locator('#queue-empty');
  await poll(() => empty.count()).toBe(1);
  const next = page.locator('#queue-next-step');
  return {
    reason: await empty.getAttribute('data-reason'),
    text: (await empty.locator('p').first().textContent())?.trim(),
    next: (await next.count()) ? [(await next.textContent())?.trim(), await next.getAttribute('href')] : null,
  };
}

describe('queues with progress', () => {
  let browser: Browser;
  let server: TestServer;
  let validators: Record<string, TokenAgent>;

  beforeAll(async () => {
    server = await startServer();
    await server.t.repos.datasets.update(server.dataset.id, { validatorsPerItem: 3 });
    const author = await tokenAgent(server.t, 'minji', 'annotator', ['ko']);
    validators = {
      desktop: await tokenAgent(server.t, 'jisoo', 'annotator', ['ko']),
      phone: await tokenAgent(server.t, 'dahye', 'annotator', ['ko']),
    };
    for (let i = 0; i < 3; i++) await createSubmittedItem(author as unknown as Agent, server.dataset.id);
    await server.addUser('amani', 'annotator', ['sw']);
    await server.addUser('nolang', 'annotator', []);
    await server.addUser('somsak', 'reviewer', ['th']);
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(viewports)(
    'on %s: Validate counts what is left in your languages and moves on',
    async (name, viewport) => {
      const username = validators[name].user.username;
      const { context, page } = await signIn(browser, server, username);
      await page.setViewportSize(viewport);
      await page.goto('/validate');
      const count = page.locator('#queue-count');
      await poll(() => count.textContent()).toBe('3 of 3 left in your languages');
      const bar = page.locator('cs-queue-progress [role="progressbar"]');
      await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('0');
      await expect(bar.getAttribute('aria-valuemax')).resolves.toBe('3');
      await page.screenshot({ path: `${SHOTS}/validate-progress-${name}.png`, fullPage: true });

      await page.locator('#own-variants').fill('떡국');
      await page.keyboard.press('Control+Enter');
      await poll(() => page.locator('#own-match').count()).toBe(1);
      await page.locator('#own-match').click();
      for (const key of ['1', '1', '1', '4']) await page.keyboard.press(key);
      await page.keyboard.press('Enter');
      await poll(() => count.textContent()).toBe('2 of 3 left in your languages');
      await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('1');
      await context.close();
    },
  );

  it.each(viewports)('on %s: an empty Validate says why and what to do next', async (_name, viewport) => {
    const cases = [
      [
        'minji',
        'only-own',
        'Only your own items are waiting; other people validate them.',
        ['Write an item', '/items/new'],
      ],
      [
        'amani',
        'nothing-waiting',
        'Nothing has been submitted for validation in your languages.',
        ['Write an item', '/items/new'],
      ],
      ['nolang', 'no-languages', 'You have no languages yet, so there is nothing to validate.', null],
    ] as const;
    for (const [username, reason, text, next] of cases) {
      const { context, page } = await signIn(browser, server, username);
      await page.setViewportSize(viewport);
      await page.goto('/validate');
      await expect(emptyQueue(page)).resolves.toEqual({ reason, text, next });
      await context.close();
    }
  });

  it('when the validator did every item they may, then Validate says all done', async () => {
    const jisoo = validators.desktop;
    // The desktop test validated one and holds the second; these two finish the three.
    await validateNext(jisoo);
    await validateNext(jisoo);
    for (const viewport of VIEWPORTS) {
      const { context, page } = await signIn(browser, server, 'jisoo');
      await page.setViewportSize(viewport);
      await page.goto('/validate');
      await expect(emptyQueue(page)).resolves.toEqual({
        reason: 'all-done',
        text: 'All done: you have validated every item you can.',
        next: ['Back to the items', '/items'],
      });
      await expect(page.locator('#queue-count').textContent()).resolves.toBe('0 of 3 left in your languages');
      await page.screenshot({ path: `${SHOTS}/validate-all-done-${viewport.name}.png`, fullPage: true });
      await context.close();
    }
  });

  it.each(viewports)('on %s: an empty review queue says why and what to do next', async (_name, viewport) => {
    const { context, page } = await signIn(browser, server, 'somsak');
    await page.setViewportSize(viewport);
    await page.goto('/review');
    await expect(emptyQueue(page)).resolves.toEqual({
      reason: 'nothing-waiting',
      text: 'Nothing waits for review in your languages.',
      next: ['Validate items', '/validate'],
    });
    await context.close();
  });

  it('Rate counts the answers left in your languages, and says when there are none', async () => {
    await server.addUser('layla', 'annotator', ['ar']);
    await scoredRelease(server);
    for (const viewport of VIEWPORTS) {
      const { context, page } = await signIn(browser, server, 'minji');
      await page.setViewportSize(viewport);
      await page.goto('/rate');
      await expect(emptyQueue(page)).resolves.toEqual({
        reason: 'nothing-waiting',
        text: 'Nothing in this campaign is in your languages.',
        next: ['Validate items', '/validate'],
      });
      await expect(page.locator('#no-rating-task').count()).resolves.toBe(1);
      await context.close();
    }
    const { context, page } = await signIn(browser, server, 'layla');
    await page.goto('/rate');
    const count = page.locator('#queue-count');
    await poll(() => count.textContent()).toBe('2 of 2 left in your languages');
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: `${SHOTS}/rate-progress-${viewport.name}.png`, fullPage: true });
    }
    await poll(() => page.locator('#rating-response').count()).toBe(1);
    await page.keyboard.press('1');
    await page.getByRole('radio', { name: '4' }).first().check();
    await page.getByRole('radio', { name: '5' }).nth(1).check();
    await page.keyboard.press('Enter');
    await poll(() => count.textContent()).toBe('1 of 2 left in your languages');
    await context.close();
  });

  it('in Korean, Rate says what is left with the Arabic answer right to left', async () => {
    const layla = (await server.t.repos.users.list()).find((u) => u.username === 'layla')!;
    await server.t.repos.users.update(layla.id, { uiLocale: 'ko' });
    for (const viewport of VIEWPORTS) {
      const { context, page } = await signIn(browser, server, 'layla');
      await page.setViewportSize(viewport);
      await page.goto('/rate');
      // She holds the second answer: it still counts as left for her.
      await poll(() => page.locator('#queue-count').textContent()).toBe('내 언어에서 2개 중 1개 남음');
      await poll(() => page.locator('#rating-response').count()).toBe(1);
      await page.screenshot({ path: `${SHOTS}/rate-ko-${viewport.name}.png`, fullPage: true });
      await context.close();
    }
  });
});
