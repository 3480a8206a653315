import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem } from '../helpers/items.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

const WAIT = { timeout: 15_000 };

/** Switches the interface language from the account menu. */
async function useKorean(page: Page) {
  await page.locator('details.account > summary').click();
  await page.getByLabel('Interface language').selectOption('ko');
  await page.locator('details.account > summary').click();
}

describe('plurals through Intl.PluralRules', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    // One user per test: switching the interface language is kept with the user.
    await server.addUser('hana', 'annotator', ['ko', 'ar']);
    await server.addUser('minji', 'annotator', ['ko']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('counts "1 item" and "2 items" in English, "항목 2개" in Korean', async () => {
    const hana = await server.t.login('hana');
    await createItem(hana, server.dataset.id, { language: 'ar' });
    const { context, page } = await signIn(browser, server, 'hana');
    const count = page.locator('cs-item-list [role="status"]');
    await expect.poll(() => count.textContent(), WAIT).toBe('1 item');
    await createItem(hana, server.dataset.id, { language: 'ko' });
    await page.reload();
    await expect.poll(() => count.textContent(), WAIT).toBe('2 items');
    await useKorean(page);
    await expect.poll(() => count.textContent(), WAIT).toBe('항목 2개');
    await context.close();
  });

  it('asks to fix "1 problem" or "2 problems" before submitting, never "problem(s)"', async () => {
    const hana = await server.t.login('minji');
    // Complete but for the reference answer: one problem. Without a category as well: two.
    const one = await createItem(hana, server.dataset.id, { language: 'ko' }, { referenceAnswer: '' });
    const two = await createItem(
      hana,
      server.dataset.id,
      { language: 'ko' },
      { referenceAnswer: '', primaryCategory: null },
    );
    const { context, page } = await signIn(browser, server, 'minji');
    for (const [item, text] of [
      [one, 'Fix 1 problem before submitting.'],
      [two, 'Fix 2 problems before submitting.'],
    ] as const) {
      await page.goto(`/items/${item.id}`);
      await expect.poll(() => page.locator('#f-question').inputValue(), WAIT).toBe(item.question);
      await page.locator('#f-question').press('Control+Enter');
      await expect.poll(() => page.locator('#submit-blocked').textContent(), WAIT).toBe(text);
    }
    await useKorean(page);
    await expect
      .poll(() => page.locator('#submit-blocked').textContent(), WAIT)
      .toBe('제출하려면 문제 2개를 해결하세요.');
    await context.close();
  });
});
