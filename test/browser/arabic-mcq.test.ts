import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemIdOf, launchBrowser, signIn, startServer, waitSaved, type TestServer } from './helpers.ts';

/** The element's resolved direction (dir="auto" resolves from its text). */
const direction = (el: unknown) =>
  (el as { matches(selector: string): boolean }).matches(':dir(rtl)') ? 'rtl' : 'ltr';

describe('writing a multiple-choice item in Arabic', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('layla', 'annotator', ['ar']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an annotator writes, tags and submits an RTL item with the keyboard shortcuts', async () => {
    const { context, page } = await signIn(browser, server, 'layla');
    await page.getByRole('link', { name: 'New item' }).first().click();
    await page.getByLabel('Multiple choice').check();
    await page.getByRole('button', { name: 'Create draft' }).click();
    await expect.poll(() => page.locator('#f-question').count()).toBe(1);
    const id = itemIdOf(page);

    const question = 'ما هو الطبق التقليدي الذي يُقدَّم في عيد الفطر في المغرب؟';
    const options = ['الكسكس', 'الحريرة', 'البسطيلة', 'الطاجين'];
    await page.locator('#f-question').fill(question);
    await page
      .getByLabel('English gloss of the question (optional)')
      .fill('Which dish is served at Eid al-Fitr in Morocco?');
    for (const [i, o] of options.entries()) await page.getByLabel(`Option ${i + 1}`, { exact: true }).fill(o);
    await page.getByLabel('Option 2 is correct').check();
    await page.getByLabel('Country (ISO code, e.g. KR)').fill('MA');
    await page.locator('#f-primaryCategory select').selectOption('tradition/food');
    await page.locator('cs-tag-picker select').selectOption('tradition/holidays');
    await page
      .getByLabel('Rationale', { exact: true })
      .fill('الحريرة حساء تقليدي يُقدَّم عند الإفطار وفي الأعياد.');

    // Fields carry the item's language and direction.
    const q = page.locator('#f-question');
    await expect(q.getAttribute('dir')).resolves.toBe('auto');
    await expect(q.getAttribute('lang')).resolves.toBe('ar');
    await expect(q.evaluate(direction)).resolves.toBe('rtl');
    const option = page.getByLabel('Option 1', { exact: true });
    await expect(option.getAttribute('dir')).resolves.toBe('auto');
    await expect(option.getAttribute('lang')).resolves.toBe('ar');
    await expect(option.evaluate(direction)).resolves.toBe('rtl');
    const gloss = page.locator('#f-questionEn');
    await expect(gloss.getAttribute('lang')).resolves.toBe('en');
    await expect(gloss.evaluate(direction)).resolves.toBe('ltr');
    await expect(page.locator('#f-rationale').getAttribute('lang')).resolves.toBe('ar');

    // Ctrl+S saves at once.
    await q.press('Control+s');
    await waitSaved(page);
    const saved = await server.t.repos.items.get(id);
    expect(saved).toMatchObject({
      question,
      options,
      correctIndex: 1,
      country: 'MA',
      primaryCategory: 'tradition/food',
      secondaryTags: ['tradition/holidays'],
      status: 'draft',
    });

    // Ctrl+Enter submits once nothing blocks it.
    await expect(page.locator('#submit').isEnabled()).resolves.toBe(true);
    await q.press('Control+Enter');
    await expect.poll(async () => (await server.t.repos.items.get(id))?.status).toBe('submitted');
    await expect.poll(() => page.locator('.top cs-status-chip span').textContent()).toBe('Submitted');
    await expect(page.getByText('Submitted for validation.').isVisible()).resolves.toBe(true);
    // Submitted items are read-only in the editor.
    await expect(q.isDisabled()).resolves.toBe(true);
    await context.close();
  });

  it('does not submit an incomplete item: Submit names the problems next to their fields', async () => {
    const { context, page } = await signIn(browser, server, 'layla');
    await page.goto('/items/new');
    await page.getByLabel('Multiple choice').check();
    await page.getByRole('button', { name: 'Create draft' }).click();
    await expect.poll(() => page.locator('#f-question').count()).toBe(1);
    const id = itemIdOf(page);
    await page.locator('#submit').click();
    await expect.poll(() => page.locator('#p-question').textContent()).toBe('Write the question');
    await page.locator('#f-question').fill('سؤال');
    await expect.poll(() => page.locator('#p-question').count()).toBe(0);
    await page.locator('#submit').click();
    expect((await server.t.repos.items.get(id))?.status).toBe('draft');
    await context.close();
  });
});
