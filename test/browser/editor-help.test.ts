import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemIdOf, launchBrowser, signIn, startServer, waitSaved, type TestServer } from './helpers.ts';
import { focused, poll, SHOTS, VIEWPORTS } from './viewports.ts';

const QUESTION = 'ما هو الطبق التقليدي الذي يُقدَّم في عيد الفطر في المغرب؟';
const OPTIONS = ['الكسكس', 'الحريرة', 'البسطيلة', 'الطاجين'];

/** Creates a multiple-choice draft from the New item page; returns when the editor shows it. */
async function newMultipleChoice(page: Page) {
  await page.goto('/items/new');
  await page.getByLabel('Multiple choice').check();
  await page.getByRole('button', { name: 'Create draft' }).click();
  await poll(() => page.locator('#f-question').count()).toBe(1);
}

describe('an editor that helps', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('layla', 'annotator', ['ar']);
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(VIEWPORTS.map((v) => [v.name, v] as const))(
    'on %s: a new draft is calm, problems come with touch or Submit, and a submitted item reads clean',
    async (name, viewport) => {
      await server.t.repos.datasets.update(server.dataset.id, { description: '' });
      const { context, page } = await signIn(browser, server, 'layla');
      await page.setViewportSize(viewport);
      await newMultipleChoice(page);
      const id = itemIdOf(page);

      // Create draft puts the caret in the question; nothing is red yet; Submit says how much is left.
      await poll(() => page.locator('#f-question').evaluate(focused)).toBe(true);
      await expect(page.locator('p.problem').count()).resolves.toBe(0);
      await expect(page.locator('#submit-blocked').innerText()).resolves.toBe(
        'Left to finish before you can submit: 8',
      );
      await expect(page.locator('#submit').isEnabled()).resolves.toBe(true);
      // No guidelines for this dataset: no empty panel.
      await expect(page.locator('#guidelines-title').count()).resolves.toBe(0);
      await page.screenshot({ path: `${SHOTS}/editor-new-${name}.png`, fullPage: true });

      // Leaving the question empty shows its problem, and only its problem.
      await page.keyboard.press('Tab');
      await poll(() => page.locator('#p-question').textContent()).toBe('Write the question');
      await expect(page.locator('p.problem').count()).resolves.toBe(1);

      // Ctrl+Enter on an incomplete item: the list, and focus on the first problem (the first option).
      await page.locator('#f-question').fill(QUESTION);
      await page.locator('#f-question').press('Control+Enter');
      await poll(() => page.locator('#option-0').evaluate(focused)).toBe(true);
      await expect(page.locator('.submit ul[role="alert"] li').count()).resolves.toBe(7);
      await expect(page.locator('#p-options\\.0').textContent()).resolves.toBe('Option 1 is empty');
      expect((await server.t.repos.items.get(id))?.status).toBe('draft');

      // Four empty options are not "duplicates".
      const problems = await page.locator('.submit ul[role="alert"] li').allTextContents();
      expect(problems.map((p) => p.trim())).not.toContain('Options must be distinct');

      for (const [i, o] of OPTIONS.entries()) await page.locator(`#option-${i}`).fill(o);
      await page.getByLabel('Option 2 is correct').check();
      await page.getByLabel('Country (ISO code, e.g. KR)').fill('MA');
      await page.locator('#f-primaryCategory select').selectOption('tradition/food');

      // The tag picker is back on "Choose…" after each tag, so a second one can be added at once.
      const picker = page.locator('cs-tag-picker select');
      await picker.selectOption('tradition/holidays');
      await poll(() => picker.inputValue()).toBe('');
      await poll(() => picker.evaluate(focused)).toBe(true);
      await picker.selectOption('tradition/folklore');
      await poll(() => page.locator('cs-tag-picker li').count()).toBe(2);
      await waitSaved(page);
      expect((await server.t.repos.items.get(id))?.secondaryTags).toEqual([
        'tradition/holidays',
        'tradition/folklore',
      ]);

      await page.locator('#f-question').press('Control+Enter');
      await poll(async () => (await server.t.repos.items.get(id))?.status).toBe('submitted');
      // A confirmation with where to go next; focus on "Write another".
      await poll(() => page.locator('#submitted').textContent()).toContain('Submitted for validation.');
      await poll(() => page.locator('#write-another').evaluate(focused)).toBe(true);
      await expect(page.locator('#back-to-list').getAttribute('href')).resolves.toBe('/items');
      // Read-only: no ✕, no "+ Add", no tag picker.
      await expect(page.locator('cs-answer-fields button').count()).resolves.toBe(0);
      await expect(page.locator('cs-sources-editor button').count()).resolves.toBe(0);
      await expect(page.locator('cs-tag-picker select').count()).resolves.toBe(0);
      await expect(page.locator('cs-tag-picker button').count()).resolves.toBe(0);
      await expect(page.locator('cs-tag-picker li').count()).resolves.toBe(2);
      await page.screenshot({ path: `${SHOTS}/editor-submitted-${name}.png`, fullPage: true });

      await page.locator('#write-another').click();
      await poll(() => new URL(page.url()).pathname).toBe('/items/new');
      await context.close();
    },
  );

  it('shows the dataset’s guidelines when it has some', async () => {
    await server.t.repos.datasets.update(server.dataset.id, {
      description: 'اكتب السؤال كما يطرحه أهل البلد.\nOne fact per item.',
    });
    const { context, page } = await signIn(browser, server, 'layla');
    await newMultipleChoice(page);
    await poll(() => page.locator('#guidelines-title').count()).toBe(1);
    await expect(page.locator('.guidelines p').textContent()).resolves.toContain('One fact per item.');
    await context.close();
  });

  it('in Korean, with an Arabic item', async () => {
    const user = (await server.t.repos.users.list()).find((u) => u.username === 'layla')!;
    await server.t.repos.users.update(user.id, { uiLocale: 'ko' });
    for (const viewport of VIEWPORTS) {
      const { context, page } = await signIn(browser, server, 'layla');
      await page.setViewportSize(viewport);
      await page.goto('/items/new');
      await page.locator('input[value="multiple_choice"]').check();
      await page.locator('button[type="submit"]').click();
      await poll(() => page.locator('#f-question').count()).toBe(1);
      await page.locator('#f-question').fill(QUESTION);
      await page.locator('#f-question').press('Control+Enter');
      await poll(() => page.locator('#option-0').evaluate(focused)).toBe(true);
      // The problems in the interface language, by their codes (the server's English words nowhere).
      const listed = await page.locator('ul[role="alert"] li').allTextContents();
      expect(listed).toContain('선택지 1이(가) 비어 있습니다');
      expect(listed).toContain('정답 선택지를 표시하세요');
      expect(listed.join(' ')).not.toMatch(/[A-Za-z]{3,}/);
      await page.screenshot({ path: `${SHOTS}/editor-ko-${viewport.name}.png`, fullPage: true });
      await context.close();
    }
    await server.t.repos.users.update(user.id, { uiLocale: 'en' });
  });
});
