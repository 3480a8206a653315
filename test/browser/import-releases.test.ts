import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { tempDir } from '../helpers/releases.ts';
import { launchBrowser, SCREENSHOTS, signIn, type TestServer } from './helpers.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

describe('maintainer imports a file and cuts a release', () => {
  let browser: Browser;
  let t: TestContext;
  let server: Server;
  let url: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  // Each test has its own database, server and signed-in page: none depends on what another wrote.
  beforeEach(async () => {
    // Its own server: releases go to a temporary directory, never into the checkout.
    t = await createTestContext({ staticDir: resolve('dist/client'), releasesDir: tempDir() });
    await addDataset(t, { slug: 'culture', name: 'Culture set' });
    await t.addUser('admin', 'maintainer');
    server = createServer((req, res) => t.app(req, res)).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ({ context, page } = await signIn(browser, { url } as TestServer, 'admin'));
  });
  afterEach(async () => {
    await context?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it('shows every problem of a bad file by row and column, and writes nothing', async () => {
    await page.goto('/admin/import');
    await page.locator('#file').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'externalId,language,kind,format,question\nx-1,ko_!,culture,open_ended,q\nx-2,ko,culture,essay,q\n',
      ),
    });
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('problems; nothing was written');
    const problems = page.locator('cs-import-errors tbody tr');
    await expect.poll(() => problems.count()).toBeGreaterThan(0);
    // One line per problem: its data row, its line in the file (the header is line 1), its column, its code.
    const table: string[][] = [];
    for (const tr of await problems.all()) {
      const cells = (await tr.locator('td').allTextContents()).map((c) => c.trim());
      table.push([cells[0], cells[1], cells[2], cells[3].split(' ')[0]]);
    }
    expect(table).toEqual([
      ['1', '2', 'language', 'invalid-language'],
      ['2', '3', 'format', 'invalid-value'],
    ]);
    if (process.env.CS_SCREENSHOTS === '1')
      await page.screenshot({ path: `${SCREENSHOTS}/import-errors.png` });
    expect((t.db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n).toBe(0);
  });

  it('checks a good file, then imports it', async () => {
    await page.goto('/admin/import');
    await page.locator('#file').setInputFiles(fixture('native.csv'));
    await page.locator('#status').selectOption('accepted');
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('No problems in 5 rows');
    await page.getByRole('button', { name: 'Import 5 rows' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Imported: 5 new');
    expect(
      (t.db.prepare("SELECT count(*) AS n FROM items WHERE status = 'accepted'").get() as { n: number }).n,
    ).toBe(5);
  });

  it('previews the counts, cuts 1.0.0, and offers the download and the changelog', async () => {
    const datasetId = (t.db.prepare("SELECT id FROM datasets WHERE slug = 'culture'").get() as { id: number })
      .id;
    const imported = await (
      await importer(t, datasetId)
    ).upload({ format: 'csv', dryRun: false, status: 'accepted' }, readFileSync(fixture('native.csv')));
    expect(imported.job.state).toBe('imported');
    await page.goto('/releases');
    // The form is ready once the page has given it the dataset and its releases (it suggests a first version).
    const form = page.locator('cs-release-form form');
    await expect.poll(() => form.textContent()).toContain('first release 1.0.0');
    await page.locator('#version').fill('1.0.0');
    await page.locator('#title').fill('First release');
    await page.getByRole('button', { name: 'Preview' }).click();
    // The preview reads the whole selection and its changes: on a busy machine that takes more than a second.
    await expect.poll(() => form.textContent(), { timeout: 10_000 }).toContain('5 items would be released');
    await page.getByRole('button', { name: 'Cut release' }).click();
    const card = page.locator('cs-release-card').first();
    await expect
      .poll(() => card.locator('article').textContent(), { timeout: 10_000 })
      .toContain('published');
    const href = await card.getByRole('link', { name: 'Download (.tar.gz)' }).getAttribute('href');
    const archive = await page.request.get(href!);
    expect(archive.status()).toBe(200);
    expect((await archive.body()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    await card.getByRole('button', { name: 'Changelog' }).click();
    await expect.poll(() => card.locator('.changelog').textContent()).toContain('First release: 5 items.');
    expect(await card.locator('svg rect').count()).toBeGreaterThan(0);
    if (process.env.CS_SCREENSHOTS === '1')
      await page.screenshot({ path: `${SCREENSHOTS}/releases.png`, fullPage: true });
  });
});
