import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { sampleCsv, settled, tempDir, type SampleRow } from '../helpers/releases.ts';
import { launchBrowser, signIn, type TestServer } from './helpers.ts';

// The XSS payloads the suite already uses: the changelog test's (exports-changelog.test.ts) and the item
// search test's (item-search.test.ts). Both reach CHANGELOG.md as item questions.
const CHANGELOG_PAYLOAD = 'x` <img src=x onerror=alert(1)> [link](http://evil) ``';
const SEARCH_PAYLOAD = '<img src=x onerror="document.title=1">차례상 음식은?';

/** Loads, builds and the first task on the reads thread take a while on a busy machine. */
const WAIT = { timeout: 15_000 };

const ITEMS: SampleRow[] = [
  { id: 'k1', question: SEARCH_PAYLOAD },
  { id: 'k2', format: 'multiple_choice', category: 'history' },
  { id: 'a1', language: 'ar', question: 'ما هو الطبق الذي يُقدَّم في العيد؟' },
];

describe('releases page', () => {
  let browser: Browser;
  let t: TestContext;
  let server: Server;
  let url: string;
  let n = 0;

  /** A dataset of its own for each test (accepted items: ITEMS), with a maintainer's importer. */
  async function dataset() {
    const d = await addDataset(t, { slug: `culture-${++n}`, name: `Culture set ${n}` });
    const imp = await importer(t, d.id, `boss${n}`);
    const accepted = async (rows: SampleRow[]) => {
      const res = await imp.upload({ format: 'csv', dryRun: false, status: 'accepted' }, sampleCsv(rows));
      expect(res.job.state).toBe('imported');
    };
    await accepted(ITEMS);
    const headers = { Authorization: `Bearer ${imp.token}` };
    /** Cuts a release through the API and waits for it. */
    const release = async (version: string) => {
      const res = await settled(
        t.app,
        headers,
        request(t.app)
          .post('/api/releases')
          .set(headers)
          .send({ datasetId: d.id, version, title: `Release ${version}` }),
      );
      expect(res.body.state, res.text).toBe('published');
    };
    return { id: d.id, accepted, release };
  }

  /** The releases page of dataset `id`, for the maintainer; dialogs are recorded (and dismissed). */
  async function releasesPage(id: number) {
    const { context, page } = await signIn(browser, { url } as TestServer, 'admin');
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto('/releases');
    await expect.poll(() => page.locator('#dataset option').count(), WAIT).toBeGreaterThanOrEqual(1);
    await page.locator('#dataset').selectOption(String(id));
    const form = page.locator('cs-release-form');
    const card = (version: string) =>
      page
        .locator('cs-release-card')
        .filter({ has: page.locator('h2', { hasText: new RegExp(`^${version.replace(/\./g, '\\.')}$`) }) });
    return { context, page, dialogs, form, card };
  }

  beforeAll(async () => {
    // Its own server: releases go to a temporary directory, never into the checkout.
    t = await createTestContext({ staticDir: resolve('dist/client'), releasesDir: tempDir() });
    await t.addUser('admin', 'maintainer');
    server = createServer((req, res) => t.app(req, res)).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('suggests 1.0.0 for a first release, previews that there is nothing to compare with, then suggests 1.1.0', async () => {
    const d = await dataset();
    const { context, page, form, card } = await releasesPage(d.id);
    await expect.poll(() => page.locator('#version').inputValue(), WAIT).toBe('1.0.0');
    expect(await form.getByRole('button', { name: 'first release 1.0.0' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => form.locator('form').textContent(), WAIT).toContain('3 items would be released.');
    expect(await form.locator('form').textContent()).toContain(
      'First release: there is no earlier release to compare with.',
    );
    await page.locator('#title').fill('First');
    await page.getByRole('button', { name: 'Cut release' }).click();
    await expect.poll(() => card('1.0.0').locator('.badge').textContent(), WAIT).toBe('published');
    // The next suggestion follows the release just cut.
    await expect.poll(() => page.locator('#version').inputValue(), WAIT).toBe('1.1.0');
    await context.close();
  });

  it('takes categories from the taxonomy by their labels, and previews what they select', async () => {
    const d = await dataset();
    const { context, page, form } = await releasesPage(d.id);
    const picker = form.locator('#categories');
    await picker.getByLabel('Add a tag').selectOption('history');
    // A chip named by its label, not the id; the preview counts only the history item.
    await expect
      .poll(() => picker.locator('li').allTextContents(), WAIT)
      .toEqual([expect.stringContaining('History')]);
    expect((await picker.locator('li').textContent())!.replace('✕', '').trim()).toBe('History');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => form.locator('form').textContent(), WAIT).toContain('1 item would be released.');
    await context.close();
  });

  it('after 1.0.0 suggests minor 1.1.0 with patch 1.0.1 one click away; after a pre-release, its final version', async () => {
    const d = await dataset();
    await d.release('1.0.0');
    let { context, page, form } = await releasesPage(d.id);
    await expect.poll(() => page.locator('#version').inputValue(), WAIT).toBe('1.1.0');
    expect(await form.getByRole('button', { name: 'minor 1.1.0' }).getAttribute('aria-pressed')).toBe('true');
    const patch = form.getByRole('button', { name: 'patch 1.0.1' });
    await patch.click();
    expect(await page.locator('#version').inputValue()).toBe('1.0.1');
    expect(await patch.getAttribute('aria-pressed')).toBe('true');
    await context.close();

    await d.release('2.0.0-rc.9');
    await d.release('2.0.0-rc.10');
    ({ context, page, form } = await releasesPage(d.id));
    await expect.poll(() => page.locator('#version').inputValue(), WAIT).toBe('2.0.0');
    expect(
      (await form.locator('#version-suggestions button').allTextContents()).map((b) => b.trim()),
    ).toEqual(['final 2.0.0', 'next pre-release 2.0.0-rc.11']);
    await context.close();
  });

  it('warns when nothing changed since the previous release, and counts what did change', async () => {
    const d = await dataset();
    await d.release('1.0.0');
    const { context, page, form } = await releasesPage(d.id);
    await expect.poll(() => page.locator('#version').inputValue(), WAIT).toBe('1.1.0');
    await page.getByRole('button', { name: 'Preview' }).click();
    const warning = form.getByRole('alert');
    await expect
      .poll(() => warning.textContent(), WAIT)
      .toContain('Nothing changed since 1.0.0: this release would hold exactly the same items.');
    expect(await form.locator('#release-changes').textContent()).toBe(
      'Compared with 1.0.0: 0 added, 0 removed, 0 changed.',
    );
    // One item edited, one new.
    await d.accepted([
      { id: 'k2', format: 'multiple_choice', category: 'history', question: 'Edited' },
      { id: 'k3' },
    ]);
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => form.locator('#release-changes').textContent(), WAIT)
      .toBe('Compared with 1.0.0: 1 added, 0 removed, 1 changed.');
    expect(await warning.count()).toBe(0);
    await context.close();
  });

  it("renders the changelog as Markdown, and the suite's XSS payloads stay text", async () => {
    const d = await dataset();
    await d.release('1.0.0');
    await d.accepted([
      { id: 'k2', format: 'multiple_choice', category: 'history', question: CHANGELOG_PAYLOAD },
      { id: 'k3' },
    ]);
    await d.release('1.1.0');
    const { context, page, dialogs, card } = await releasesPage(d.id);
    const latest = card('1.1.0');
    await latest.getByRole('button', { name: 'Changelog' }).click();
    const log = latest.locator('.changelog');
    await expect.poll(() => log.locator('h1').textContent(), WAIT).toBe('Changelog');
    expect(await log.locator('h2').textContent()).toMatch(/^1\.1\.0 \(\d{4}-\d{2}-\d{2}\)$/);
    expect(await log.locator('h3').allTextContents()).toEqual(['Added', 'Changed']);
    expect(await log.locator('li').count()).toBeGreaterThanOrEqual(3);
    const text = await log.textContent();
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('[link](http://evil)');
    expect(await log.locator('img, script, iframe').count()).toBe(0);
    expect(await log.locator('a').count()).toBe(0);

    // The first release lists the search test's payload as an added question: text as well.
    await card('1.0.0').getByRole('button', { name: 'Changelog' }).click();
    await expect
      .poll(() => card('1.0.0').locator('.changelog').textContent(), WAIT)
      .toContain('First release: 3 items.');
    expect(await card('1.0.0').locator('.changelog img').count()).toBe(0);
    expect(await page.title()).not.toBe('1');
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('sanitises a changelog that carries raw HTML: nothing runs, no javascript: link survives', async () => {
    const d = await dataset();
    await d.release('1.0.0');
    const { context, page, dialogs, card } = await releasesPage(d.id);
    await page.route('**/api/releases/*/changelog', (route) =>
      route.fulfill({
        contentType: 'text/markdown; charset=utf-8',
        body: [
          '# Changelog',
          '',
          `<img src=x onerror="document.title='pwned'">`,
          `<script>document.title='pwned'</script>`,
          `<svg onload="document.title='pwned'"></svg>`,
          `<iframe src="javascript:document.title='pwned'"></iframe>`,
          '',
          `- [click](javascript:document.title='pwned')`,
          `- <a href="javascript:alert(1)" onclick="alert(2)">raw link</a>`,
          `- <b onmouseover="alert(3)">bold</b> and [a real link](https://example.org/x)`,
          '',
        ].join('\n'),
      }),
    );
    try {
      const first = card('1.0.0');
      await first.getByRole('button', { name: 'Changelog' }).click();
      const log = first.locator('.changelog');
      await expect.poll(() => log.locator('h1').textContent(), WAIT).toBe('Changelog');
      expect(await log.locator('img, script, svg, iframe').count()).toBe(0);
      const hrefs = await log
        .locator('a')
        .evaluateAll((links) =>
          links.map((a) => (a as { getAttribute(name: string): string | null }).getAttribute('href')),
        );
      expect(hrefs.filter((h) => h !== null && /^\s*javascript:/i.test(h))).toEqual([]);
      expect(hrefs).toContain('https://example.org/x');
      const handlers = await log
        .locator('*')
        .evaluateAll((nodes) =>
          nodes
            .flatMap((el) => (el as { getAttributeNames(): string[] }).getAttributeNames())
            .filter((n) => n.startsWith('on')),
        );
      expect(handlers).toEqual([]);
      await log.getByText('bold').hover();
      expect(await page.title()).not.toBe('pwned');
      expect(dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
