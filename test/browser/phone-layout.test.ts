// Issue 14, point 4: at 390 px wide no page scrolls sideways, for any role; the navigation folds behind a Menu
// button; the item list is a list of cards; Validate's controls are big enough for a thumb.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../schema/common.ts';
import { createItem, createSubmittedItem } from '../helpers/items.ts';
import { computedStyle, htmlStart } from './in-page.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

const PHONE = { width: 390, height: 844 };
/** Set CS_SHOT_DIR to a folder outside the repository to look at the screens. */
const SHOT_DIR = process.env.CS_SHOT_DIR;
const shot = async (page: Page, name: string) =>
  SHOT_DIR
    ? void (await page.screenshot({ path: join(SHOT_DIR, `${name}.png`), fullPage: true }))
    : undefined;
const USERS: Record<Role, string> = { annotator: 'layla', reviewer: 'minho', maintainer: 'boss' };
const ARABIC_MCQ = {
  country: 'EG',
  question: 'ما الطبق الذي يُؤكل تقليدياً في شم النسيم في مصر؟',
  questionEn: 'Which dish is traditionally eaten on Sham el-Nessim in Egypt?',
  options: ['الفسيخ', 'الكشري', 'الملوخية', 'الفول المدمس'],
  correctIndex: 0,
};

describe('phones: 390 × 844', () => {
  let browser: Browser;
  let server: TestServer;
  let draftId = 0;
  let submittedId = 0;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('layla', 'annotator', ['ar', 'ko']);
    await server.addUser('omar', 'annotator', ['ar']);
    await server.addUser('minho', 'reviewer', ['ar', 'ko']);
    await server.addUser('boss', 'maintainer', []);
    const omar = await server.t.login('omar');
    submittedId = (
      await createSubmittedItem(
        omar,
        server.dataset.id,
        { language: 'ar', format: 'multiple_choice' },
        ARABIC_MCQ,
      )
    ).id;
    const layla = await server.t.login('layla');
    draftId = (
      await createItem(layla, server.dataset.id, { language: 'ar', format: 'multiple_choice' }, ARABIC_MCQ)
    ).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function onPhone(role: Role, locale = 'en-US'): Promise<Page> {
    const { page } = await signIn(browser, server, USERS[role], { locale });
    await page.setViewportSize(PHONE);
    return page;
  }

  /** Opens `path` and waits until the page has loaded its code and data. */
  async function open(page: Page, path: string) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    await expect.poll(() => page.locator('cs-app main').count()).toBe(1);
  }

  /** The first few elements (shadow roots included) that reach past the screen's edge, to say what to fix. */
  const overflowing = (page: Page) =>
    page.evaluate(`(() => {
      const out = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.right > innerWidth + 0.5 && r.width > 0 && out.length < 6)
            out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') + ' ' + Math.round(r.right));
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      return out.join(', ');
    })()`);

  const pages = () => [
    '/items',
    '/items/new',
    `/items/${draftId}`,
    `/items/${submittedId}`,
    '/validate',
    '/rate',
    '/releases',
    '/review',
    `/review/${submittedId}`,
    '/agreement',
    '/admin/taxonomies',
    '/admin/users',
    '/admin/import',
    '/scoring',
    '/scoring/report',
    '/account/tokens',
    '/account/password',
    '/no-such-page',
  ];

  it.each(['annotator', 'reviewer', 'maintainer'] as const)(
    'as a %s, no page is wider than the screen',
    async (role) => {
      const page = await onPhone(role);
      const tooWide: string[] = [];
      for (const path of pages()) {
        await open(page, path);
        const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
          '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
        );
        if (scrollWidth > innerWidth)
          tooWide.push(`${path}: ${scrollWidth} px (${String(await overflowing(page))})`);
        await shot(page, `${role}${path.replaceAll('/', '_')}`);
      }
      expect(tooWide).toEqual([]);
      await page.context().close();
    },
  );

  it('the navigation folds behind a Menu button with thumb-sized links, and closes after a choice', async () => {
    const page = await onPhone('maintainer');
    await open(page, '/items');
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.locator('#main-nav');
    await expect(nav.isVisible()).resolves.toBe(false);
    expect((await menu.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
    await menu.click();
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true');
    await shot(page, 'menu-open');
    const links = nav.getByRole('link');
    expect(await links.count()).toBe(13);
    for (const link of await links.all()) {
      const box = (await link.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    }
    await nav.getByRole('link', { name: 'Validate' }).click();
    await expect.poll(() => page.url()).toContain('/validate');
    await expect.poll(() => nav.isVisible()).toBe(false);
    await shot(page, 'menu-closed');

    // On a wide screen the links are in the bar and there is no Menu button.
    await page.setViewportSize({ width: 1366, height: 900 });
    await expect.poll(() => nav.isVisible()).toBe(true);
    await expect(menu.isVisible()).resolves.toBe(false);
    await page.context().close();
  });

  it('the item list is a list of cards, one per item, as wide as the screen', async () => {
    const page = await onPhone('annotator', 'ko-KR');
    await open(page, '/items');
    const rows = page.locator('cs-item-list tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    // The column headings are there for screen readers only.
    expect((await page.locator('cs-item-list thead').boundingBox())!.height).toBeLessThanOrEqual(1);
    for (const row of await rows.all()) {
      expect(await row.evaluate(computedStyle, 'display')).toBe('flex');
      const box = (await row.boundingBox())!;
      expect(box.width).toBeGreaterThan(PHONE.width - 60);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    }
    await shot(page, 'items-cards-ko');
    await page.context().close();
  });

  it('Validate: answer chips and the reveal button are at least 44 px high', async () => {
    const page = await onPhone('annotator');
    await open(page, '/validate');
    await expect.poll(() => page.locator('#task-question').textContent()).toContain('شم النسيم');
    const chips = page.locator('.choices label');
    expect(await chips.count()).toBe(4);
    for (const chip of await chips.all())
      expect((await chip.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await chips.nth(1).click();
    const reveal = page.locator('#reveal');
    expect((await reveal.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await shot(page, 'validate-phone');
    await page.context().close();
  });

  it('the editor: option fields, their controls and Submit are at least 44 px high', async () => {
    const page = await onPhone('annotator');
    await open(page, `/items/${draftId}`);
    const answers = page.locator('cs-answer-fields');
    await expect.poll(() => answers.locator('input[type="text"], input:not([type])').count()).toBe(4);
    const targets = [
      ...(await answers.locator('input:not([type="radio"]), button').all()),
      page.getByRole('button', { name: 'Submit for validation' }),
    ];
    const small: string[] = [];
    for (const t of targets) {
      const box = (await t.boundingBox())!;
      if (box.height < 44) small.push(`${await t.evaluate(htmlStart)}: ${box.height}`);
    }
    expect(small).toEqual([]);
    await page.context().close();
  });
});
