// Issue 14, point 5: one language picker wherever a language is chosen, with names in the interface language,
// and only BCP-47 tags going to the server.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

const SHOT_DIR = process.env.CS_SHOT_DIR;
const shot = async (page: Page, name: string) =>
  SHOT_DIR
    ? void (await page.screenshot({ path: join(SHOT_DIR, `${name}.png`), fullPage: true }))
    : undefined;

describe('the language picker', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('boss', 'maintainer', []);
    // Switches to the Korean interface (kept on the account), so it has an account of its own.
    await server.addUser('kim', 'maintainer', []);
    await server.addUser('layla', 'annotator', ['ar', 'ko']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const optionTexts = (picker: ReturnType<Page['locator']>) =>
    picker.locator('#pick option').allTextContents();

  it('a maintainer gives a new user languages by name and by tag; a word is refused before it is sent', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    await page.goto('/admin/users');
    const form = page.locator('cs-users-page section.card').first().locator('cs-user-form');
    const picker = form.locator('cs-language-picker');
    await expect.poll(async () => (await optionTexts(picker)).includes('Arabic (ar)')).toBe(true);
    await picker.locator('#pick').selectOption('ar');
    await expect
      .poll(() => picker.locator('li[data-tag]').allTextContents())
      .toEqual([expect.stringContaining('Arabic (ar)')]);
    // Not in the list: typed as a tag.
    await picker.locator('#pick').selectOption({ label: 'Other (language tag)…' });
    const other = picker.locator('#other');
    await other.fill('arabic');
    await other.press('Enter');
    await expect
      .poll(() => picker.locator('#other-problem').textContent())
      .toBe('“arabic” is not a language tag (e.g. ar, ko, zh-Hant)');
    await other.fill('YUE-hant');
    await other.press('Enter');
    await expect.poll(() => picker.locator('li[data-tag]').count()).toBe(2);
    await expect(picker.locator('li[data-tag="yue-Hant"]').textContent()).resolves.toContain('Cantonese');
    await shot(page, 'languages-user-form-en');

    await form.getByLabel('Username').fill('mei');
    await form.getByLabel('Password', { exact: true }).fill('a long enough password');
    await form.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(async () => (await server.t.repos.users.getByUsername('mei'))?.languages)
      .toEqual(['ar', 'yue-Hant']);
    await context.close();
  });

  it('names follow the interface language', async () => {
    const { context, page } = await signIn(browser, server, 'kim');
    await page.goto('/admin/users');
    await page.locator('cs-app summary').click();
    await page.locator('#ui-locale').selectOption('ko');
    const picker = page.locator('cs-users-page section.card').first().locator('cs-language-picker');
    await expect.poll(async () => (await optionTexts(picker)).includes('아랍어 (ar)')).toBe(true);
    expect(await optionTexts(picker)).toContain('한국어 (ko)');
    await shot(page, 'languages-user-form-ko');
    await context.close();
  });

  it('a new item offers an annotator their own languages by name, a maintainer any language', async () => {
    const annotator = await signIn(browser, server, 'layla');
    await annotator.page.goto('/items/new');
    const picker = annotator.page.locator('cs-new-item cs-language-picker');
    await expect.poll(() => optionTexts(picker)).toEqual(['Arabic (ar)', 'Korean (ko)']);
    await annotator.context.close();

    const maintainer = await signIn(browser, server, 'boss');
    await maintainer.page.goto('/items/new');
    const open = maintainer.page.locator('cs-new-item cs-language-picker');
    await expect.poll(async () => (await optionTexts(open)).length).toBeGreaterThan(50);
    expect(await optionTexts(open)).toContain('Other (language tag)…');
    await open.locator('#pick').selectOption('th');
    await maintainer.page.getByRole('button', { name: 'Create draft' }).click();
    await expect.poll(() => maintainer.page.url()).toMatch(/\/items\/\d+$/);
    const id = Number(/\/items\/(\d+)$/.exec(maintainer.page.url())![1]);
    expect((await server.t.repos.items.get(id))?.language).toBe('th');
    await maintainer.context.close();
  });

  it('the same picker chooses the language in the item filters, a release and the agreement dashboard', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    await page.goto('/items');
    const filter = page.locator('cs-item-filters cs-language-picker');
    await expect.poll(() => filter.count()).toBe(1);
    await filter.locator('#pick').selectOption('th');
    await expect.poll(() => page.url()).toContain('language=th');
    await page.goto('/releases');
    await expect.poll(() => page.locator('cs-release-form cs-language-picker').count()).toBe(1);
    await page.goto('/agreement');
    await expect.poll(() => page.locator('cs-agreement-page cs-language-picker').count()).toBe(1);
    await context.close();
  });
});
