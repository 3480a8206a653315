import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

const WAIT = { timeout: 15_000 };

/** Every page of the route table with a link, for a maintainer (who sees them all): its link and its element. */
const MAIN_NAV: [href: string, element: string][] = [
  ['/items', 'cs-item-list'],
  ['/items/new', 'cs-new-item'],
  ['/validate', 'cs-validation-page'],
  ['/review', 'cs-review-queue'],
  ['/agreement', 'cs-agreement-page'],
  ['/admin/taxonomies', 'cs-taxonomies-page'],
  ['/admin/users', 'cs-users-page'],
  ['/admin/import', 'cs-import-page'],
  ['/releases', 'cs-releases-page'],
  ['/rate', 'cs-rating-page'],
  ['/scoring', 'cs-runs-page'],
  ['/scoring/report', 'cs-report-page'],
  ['/scoring/judges', 'cs-judge-page'],
];
const ACCOUNT_MENU: [href: string, element: string][] = [
  ['/account/tokens', 'cs-tokens-page'],
  ['/account/password', 'cs-password-page'],
];

/** The tag of the page element the shell shows in <main>. */
const shown = (page: Page) =>
  page.locator('cs-app main > *').evaluate((el) => (el as unknown as { localName: string }).localName);

describe('the route table', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('boss', 'maintainer', ['ko']);
    await server.addUser('layla', 'annotator', ['ar']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('every page in the navigation opens from its link and from its URL, its link marked current', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    const nav = page.locator('#main-nav');
    expect(
      await nav
        .locator('a')
        .evaluateAll((as) => as.map((a) => (a as unknown as { pathname: string }).pathname)),
    ).toEqual(MAIN_NAV.map(([href]) => href));
    for (const [href, element] of MAIN_NAV) {
      await page.goto('/items?page=1');
      await nav.locator(`a[href="${href}"]`).click();
      await expect.poll(() => new URL(page.url()).pathname, WAIT).toBe(href);
      await expect.poll(() => shown(page), WAIT).toBe(element);
      expect(await nav.locator('a[aria-current="page"]').getAttribute('href')).toBe(href);
      await page.goto(href);
      await expect.poll(() => shown(page), WAIT).toBe(element);
    }
    for (const [href, element] of ACCOUNT_MENU) {
      await page.goto('/items');
      await page.locator('details.account > summary').click();
      await page.locator(`details.account a[href="${href}"]`).click();
      await expect.poll(() => shown(page), WAIT).toBe(element);
      await page.goto(href);
      await expect.poll(() => shown(page), WAIT).toBe(element);
    }
    await context.close();
  });

  it("a page's roles decide its link and its URL: an annotator sees no maintainer links and gets the role page", async () => {
    const { context, page } = await signIn(browser, server, 'layla');
    expect(
      await page
        .locator('#main-nav a')
        .evaluateAll((as) => as.map((a) => (a as unknown as { pathname: string }).pathname)),
    ).toEqual(['/items', '/items/new', '/validate', '/releases', '/rate']);
    await page.goto('/admin/users');
    await expect.poll(() => page.locator('[data-page="role-restricted"]').count(), WAIT).toBe(1);
    // An item's page is under Items: that link is current; an id that is not a number is no page.
    await page.goto('/items/12345');
    await expect
      .poll(() => page.locator('#main-nav a[aria-current="page"]').getAttribute('href'), WAIT)
      .toBe('/items');
    await page.goto('/items/abc');
    await expect.poll(() => page.locator('cs-app main h1').textContent(), WAIT).toBe('Page not found');
    await context.close();
  });
});
