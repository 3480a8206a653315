import { AxeBuilder } from '@axe-core/playwright';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../schema/item.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset, createItem, createSubmittedItem } from '../helpers/items.ts';
import { sampleCsv, settled } from '../helpers/releases.ts';
import { completeTask, nextTask, tokenAgent } from '../helpers/validation.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

const WAIT = { timeout: 15_000 };
const ROLES = { annotator: 'ann', reviewer: 'rev', maintainer: 'boss' } as const;

/** Every page of the app (a maintainer's pages too: others get the "not for your role" page there). */
function pages(draft: Item, inReview: Item): string[] {
  return [
    '/items',
    '/items/new',
    `/items/${draft.id}`,
    '/validate',
    '/review',
    `/review/${inReview.id}`,
    '/agreement',
    '/releases',
    '/rate',
    '/scoring',
    '/scoring/report',
    '/admin/users',
    '/admin/taxonomies',
    '/admin/import',
    '/account/tokens',
    '/account/password',
    '/no-such-page',
  ];
}

/** The element that has the focus, through shadow roots: tag, text, and whether its focus is drawn. */
const deepFocus = () => {
  type El = {
    tagName: string;
    id: string;
    textContent: string | null;
    shadowRoot: { activeElement: El | null } | null;
    getBoundingClientRect(): { width: number; height: number; top: number; left: number };
  };
  const d = (globalThis as unknown as { document: unknown }).document as {
    activeElement: El | null;
    defaultView: { getComputedStyle(e: El): Record<string, string> };
  };
  let el = d.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  if (!el) return null;
  const s = d.defaultView.getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const outline = s['outlineStyle'] !== 'none' && parseFloat(s['outlineWidth'] ?? '0') > 0;
  const shadow = (s['boxShadow'] ?? 'none') !== 'none';
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.textContent ?? '').trim().slice(0, 40),
    drawn: outline || shadow,
    onScreen: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0,
  };
};

describe('accessibility', () => {
  let browser: Browser;
  let server: TestServer;
  let draft: Item;
  let inReview: Item;

  beforeAll(async () => {
    server = await startServer();
    const { t } = server;
    await t.addUser('boss', 'maintainer');
    await t.addUser('rev', 'reviewer', ['ko', 'ar']);
    await t.addUser('ann', 'annotator', ['ko', 'ar']);
    await t.addUser('jiwoo', 'annotator', ['ko']);
    // One validation per item and no automatic acceptance: a validated item waits for review.
    const dataset = await addDataset(t, {
      slug: 'a11y',
      name: 'Accessible set',
      validatorsPerItem: 1,
      autoAccept: false,
    });
    const jiwoo = await t.login('jiwoo');
    inReview = await createSubmittedItem(jiwoo, dataset.id, { language: 'ko' });
    await createSubmittedItem(jiwoo, dataset.id, { language: 'ko', format: 'multiple_choice' });
    const validator = await tokenAgent(t, 'val', 'annotator', ['ko']);
    await completeTask(validator, (await nextTask(validator, `?dataset=${dataset.id}`))!);
    // An Arabic multiple-choice draft of the annotator's, and a published release of accepted items.
    draft = await createItem(
      await t.login('ann'),
      dataset.id,
      { language: 'ar', format: 'multiple_choice' },
      {
        country: 'MA',
        question: 'ما هو الطبق الذي يُقدَّم تقليديًا عند الإفطار في رمضان في المغرب؟',
        options: ['الحريرة', 'الكسكس', 'البسطيلة', 'الطاجين'],
      },
    );
    const imp = await importer(t, dataset.id, 'importer');
    await imp.upload(
      { format: 'csv', dryRun: false, status: 'accepted' },
      sampleCsv([{ id: 'k1' }, { id: 'a1', language: 'ar', question: 'ما هو طبق العيد؟' }]),
    );
    const headers = { Authorization: `Bearer ${imp.token}` };
    const cut = await settled(
      t.app,
      headers,
      request(t.app)
        .post('/api/releases')
        .set(headers)
        .send({ datasetId: dataset.id, version: '1.0.0', title: 'First' }),
    );
    expect(cut.body.state, cut.text).toBe('published');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /**
   * Opens `path` and waits until the app has painted its data (no "Loading…", no request in flight). On a
   * loaded machine a navigation can come back as something other than the app: it is tried again then.
   */
  async function open(page: Page, path: string) {
    for (let attempt = 1; ; attempt++) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const app = (await page.title()) === 'Culture Studio' && (await page.locator('cs-app').count()) === 1;
      if (app) break;
      if (attempt === 3) throw new Error(`${path} did not load the app: ${await page.content()}`);
    }
    await expect
      .poll(() => page.getByText('Loading…', { exact: true }).count(), { ...WAIT, message: `${path} loads` })
      .toBe(0);
  }

  /** The serious and critical axe violations on the page, one line each. */
  async function violations(page: Page): Promise<string[]> {
    const result = await new AxeBuilder({ page }).analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }

  it('the sign-in page has no serious or critical axe violation', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await open(page, '/login');
    await expect.poll(() => page.getByLabel('Username').count(), WAIT).toBe(1);
    expect(await violations(page)).toEqual([]);
    await context.close();
  });

  for (const [role, username] of Object.entries(ROLES)) {
    it(
      `every page, for the ${role}, has no serious or critical axe violation (desktop and phone)`,
      { timeout: 400_000 },
      async () => {
        const { context, page } = await signIn(browser, server, username);
        const found: string[] = [];
        for (const path of pages(draft, inReview)) {
          for (const viewport of [
            { width: 1366, height: 900 },
            { width: 390, height: 844 },
          ]) {
            await page.setViewportSize(viewport);
            await open(page, path);
            for (const v of await violations(page)) found.push(`${path} @${viewport.width}: ${v}`);
          }
        }
        expect(found).toEqual([]);
        await context.close();
      },
    );
  }

  it('a skip link is the first Tab stop of every page, shows when focused, and moves focus into the page', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    for (const path of ['/items', '/releases', '/agreement', '/account/tokens']) {
      await open(page, path);
      await page.keyboard.press('Tab');
      const first = await page.evaluate(deepFocus);
      expect(first, path).toMatchObject({
        tag: 'a',
        text: 'Skip to main content',
        drawn: true,
        onScreen: true,
      });
      await page.keyboard.press('Enter');
      expect((await page.evaluate(deepFocus))?.tag, path).toBe('main');
      expect(new URL(page.url()).pathname).toBe(path);
    }
    await context.close();
  });

  it('draws the focus on every Tab stop of the main pages', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    const undrawn: string[] = [];
    for (const path of [
      '/items',
      `/items/${draft.id}`,
      '/releases',
      '/agreement',
      '/admin/users',
      '/validate',
    ]) {
      await open(page, path);
      await page.locator('body').click({ position: { x: 1, y: 1 } });
      for (let stop = 0; stop < 40; stop++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(deepFocus);
        if (!f || f.tag === 'body') break;
        if (!f.drawn) undrawn.push(`${path}: <${f.tag} id="${f.id}"> "${f.text}"`);
      }
    }
    expect(undrawn).toEqual([]);
    await context.close();
  });

  it('Tab goes from one option text to the next (the ✕ buttons are out of the way); Backspace in an empty option removes it', async () => {
    const { context, page } = await signIn(browser, server, 'ann');
    await open(page, `/items/${draft.id}`);
    await page.locator('#option-0').focus();
    for (const next of ['option-1', 'option-2', 'option-3']) {
      await page.keyboard.press('Tab');
      expect((await page.evaluate(deepFocus))?.id).toBe(next);
    }
    // Option 4 emptied, then Backspace once more: the row goes, the caret is at the end of option 3.
    await page.locator('#option-3').fill('');
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.locator('[id^="option-"]').count(), WAIT).toBe(3);
    expect((await page.evaluate(deepFocus))?.id).toBe('option-2');
    expect(await page.locator('#option-3').count()).toBe(0);
    await context.close();
  });
});
