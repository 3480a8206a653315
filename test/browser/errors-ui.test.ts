// Issue 14, point 6: errors people can read — in the interface language, next to the field, no raw JSON, no
// stale success, a page that says a page is for another role, a quiet /login, a release version pattern that works.
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternCompiles, patternMismatch } from './in-page.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

const SHOT_DIR = process.env.CS_SHOT_DIR;
const shot = async (page: Page, name: string) =>
  SHOT_DIR
    ? void (await page.screenshot({ path: join(SHOT_DIR, `${name}.png`), fullPage: true }))
    : undefined;

describe('errors people can read', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('boss', 'maintainer', []);
    // Switches to the Korean interface (kept on the account), so it has an account of its own.
    await server.addUser('kim', 'maintainer', []);
    await server.addUser('layla', 'annotator', ['ar']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function useKorean(page: Page) {
    await page.locator('cs-app summary').click();
    await page.locator('#ui-locale').selectOption('ko');
    await page.locator('cs-app summary').click();
  }

  const newUserForm = (page: Page) =>
    page.locator('cs-users-page section.card').first().locator('cs-user-form');

  async function createUser(page: Page, username: string) {
    const form = newUserForm(page);
    await form.getByLabel('Username').fill(username);
    await form.getByLabel('Password', { exact: true }).fill('a long enough password');
    await form.getByRole('button', { name: 'Create' }).click();
  }

  it('a taken username is said next to the field, without JSON, and the earlier success message goes', async () => {
    const { context, page } = await signIn(browser, server, 'kim');
    await page.goto('/admin/users');
    await createUser(page, 'omar');
    const notice = page.locator('cs-users-page p.notice.ok');
    await expect.poll(() => notice.textContent()).toContain('omar');

    await createUser(page, 'layla');
    const form = newUserForm(page);
    const alert = form.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('This username is already taken.');
    expect(await alert.textContent()).not.toMatch(/[{}[\]]|issues/);
    const username = form.getByLabel('Username');
    await expect(username.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(username.getAttribute('aria-describedby')).resolves.toBe('new-username-problem');
    await expect(form.locator('#new-username-problem').textContent()).resolves.toBe('Already taken');
    await expect(notice.count()).resolves.toBe(0);
    await shot(page, 'errors-username-taken-en');

    await useKorean(page);
    await expect.poll(() => form.locator('#new-username-problem').textContent()).toBe('이미 사용 중입니다');
    await shot(page, 'errors-username-taken-ko');
    await context.close();
  });

  it('a language stored before tags were checked is marked, and the server’s refusal is shown next to the languages', async () => {
    await server.addUser('legacy', 'annotator', ['arabic']);
    const { context, page } = await signIn(browser, server, 'boss');
    await page.goto('/admin/users');
    const row = page.locator('tr[data-username="legacy"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    const form = page.locator('cs-users-page td.edit cs-user-form');
    const picker = form.locator('cs-language-picker');
    await expect
      .poll(() => picker.locator('li.invalid').textContent())
      .toContain('arabic (not a language tag');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => picker.locator('#problem').textContent())
      .toBe('Not a language tag (e.g. ar, ko): choose a language from the list');
    await expect(form.getByRole('alert').textContent()).resolves.toBe('Check the marked fields');
    await shot(page, 'errors-legacy-language');
    await context.close();
  });

  it('an annotator opening a maintainer page gets a page saying so, in the interface language', async () => {
    const { context, page } = await signIn(browser, server, 'layla');
    for (const path of [
      '/admin/users',
      '/admin/taxonomies',
      '/admin/import',
      '/scoring',
      '/review',
      '/agreement',
    ]) {
      await page.goto(path);
      await expect.poll(() => page.locator('h1').first().textContent()).toBe('Not available for your role');
      expect(
        await page.locator('cs-user-form, cs-taxonomies-page, cs-import-page, cs-runs-page').count(),
      ).toBe(0);
    }
    await expect(page.locator('main').textContent()).resolves.toContain('signed in as Annotator');
    await expect(page.locator('main').textContent()).resolves.not.toContain('Requires role');
    await useKorean(page);
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('내 역할로는 열 수 없는 페이지');
    await shot(page, 'errors-role-page-ko');
    await context.close();
  });

  it('opening /login signed out logs no console error', async () => {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/login');
    await expect.poll(() => page.getByLabel('Username').count()).toBe(1);
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the release version field’s pattern compiles with the v flag and refuses "1.0"', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    const errors: string[] = [];
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto('/releases');
    const version = page.locator('cs-release-form #version');
    await expect.poll(() => version.count()).toBe(1);
    // What Chromium does with `pattern`: compile it with the v flag, anchored.
    const compiles = await version.evaluate(patternCompiles);
    expect(compiles).toBe(true);
    const mismatch = async (value: string) => {
      await version.fill(value);
      return version.evaluate(patternMismatch);
    };
    expect(await mismatch('1.0')).toBe(true);
    expect(await mismatch('1.0.0')).toBe(false);
    expect(await mismatch('1.0.0-rc.1')).toBe(false);
    expect(await mismatch('2.1.0+build-7')).toBe(false);
    expect(errors.filter((e) => e.includes('pattern'))).toEqual([]);
    await context.close();
  });
});
