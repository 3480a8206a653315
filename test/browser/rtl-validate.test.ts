// Issue 14, point 7: Validate lays an Arabic item out right to left — the answer chips too — keeps the option
// letters inside the card, and says which option is correct in words after the reveal.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubmittedItem } from '../helpers/items.ts';
import { computedStyle } from './in-page.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

const SHOT_DIR = process.env.CS_SHOT_DIR;
const shot = async (page: Page, name: string) =>
  SHOT_DIR
    ? void (await page.screenshot({ path: join(SHOT_DIR, `${name}.png`), fullPage: true }))
    : undefined;

const SCREENS = [
  { name: 'desktop', width: 1366, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const ARABIC_MCQ = {
  country: 'EG',
  question: 'ما الطبق الذي يُؤكل تقليدياً في شم النسيم في مصر؟',
  options: ['الفسيخ', 'الكشري', 'الملوخية', 'الفول المدمس'],
  correctIndex: 0,
};

describe('Validate, right to left', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.t.repos.datasets.update(server.dataset.id, { validatorsPerItem: 4 });
    await server.addUser('omar', 'annotator', ['ar']);
    for (const name of ['layla', 'amina', 'huda', 'salma']) await server.addUser(name, 'annotator', ['ar']);
    const omar = await server.t.login('omar');
    await createSubmittedItem(
      omar,
      server.dataset.id,
      { language: 'ar', format: 'multiple_choice' },
      ARABIC_MCQ,
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const cases = [
    { user: 'layla', screen: SCREENS[0], ui: 'en', correct: 'Correct: A — \u2068الفسيخ\u2069' },
    { user: 'amina', screen: SCREENS[1], ui: 'en', correct: 'Correct: A — \u2068الفسيخ\u2069' },
    { user: 'huda', screen: SCREENS[1], ui: 'ko', correct: '정답: A — \u2068الفسيخ\u2069' },
  ] as const;

  it.each(cases)(
    '$screen.name, $ui interface: chips run right to left, letters inside the card, the answer in words',
    async (c) => {
      const { context, page } = await signIn(browser, server, c.user);
      await page.setViewportSize(c.screen);
      if (c.ui === 'ko') {
        await page.locator('cs-app summary').click();
        await page.locator('#ui-locale').selectOption('ko');
        await page.locator('cs-app summary').click();
      }
      await page.goto('/validate');
      await expect.poll(() => page.locator('#task-question').textContent()).toContain('شم النسيم');

      // The chips follow the item's direction: A is the rightmost of the first row.
      const choices = page.locator('.choices');
      await expect(choices.getAttribute('dir')).resolves.toBe('rtl');
      const chip = async (i: number) => (await page.locator('.choices label').nth(i).boundingBox())!;
      expect((await chip(0)).x).toBeGreaterThan((await chip(1)).x);

      // The option list runs right to left with its letters inside the card's padding, not on its edge.
      const list = page.locator('ol.options');
      await expect(list.getAttribute('dir')).resolves.toBe('rtl');
      expect(await list.evaluate(computedStyle, 'listStyleType')).toBe('upper-latin');
      const card = (await page.locator('section.card').first().boundingBox())!;
      const listBox = (await list.boundingBox())!;
      const firstItem = (await list.locator('li').first().boundingBox())!;
      // The letters sit in the list's right padding (≥ 24 px), which itself is inside the card's padding.
      expect(listBox.x + listBox.width - (firstItem.x + firstItem.width)).toBeGreaterThanOrEqual(24);
      expect(card.x + card.width - (listBox.x + listBox.width)).toBeGreaterThanOrEqual(12);
      await shot(page, `rtl-validate-${c.screen.name}-${c.ui}-before`);

      await page.keyboard.press('2');
      await page.keyboard.press('Enter');
      const correct = page.locator('#correct-answer');
      await expect.poll(() => correct.count()).toBe(1);
      expect((await correct.textContent())!.trim()).toBe(c.correct);
      await shot(page, `rtl-validate-${c.screen.name}-${c.ui}-after`);
      await context.close();
    },
  );
});
