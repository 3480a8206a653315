import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { tempDir } from '../helpers/releases.ts';
import { launchBrowser, signIn, type TestServer } from './helpers.ts';

describe('cutting a release of share-alike items under another licence', () => {
  let browser: Browser;
  let t: TestContext;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // Its own server: releases go to a temporary directory, never into the checkout.
    t = await createTestContext({ staticDir: resolve('dist/client'), releasesDir: tempDir() });
    const dataset = await addDataset(t, { slug: 'culture', name: 'Culture set' });
    const imp = await importer(t, dataset.id, 'admin');
    const imported = await imp.upload(
      {
        format: 'json',
        preset: 'blend',
        fileName: 'South_Korea_data.json',
        defaults: { language: 'ko', country: 'KR', primaryCategory: 'tradition/food' },
        dryRun: false,
        status: 'accepted',
      },
      readFileSync(new URL('../fixtures/benchmarks/blend-KR.json', import.meta.url)),
      'application/octet-stream',
    );
    expect(imported.job.state).toBe('imported');
    server = createServer((req, res) => t.app(req, res)).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('the form says why it is refused and publishes once the maintainer confirms', async () => {
    const { page } = await signIn(browser, { url } as TestServer, 'admin');
    await page.goto('/releases');
    await page.locator('#version').fill('1.0.0');
    await page.locator('#title').fill('BLEnD Korea');
    await page.locator('#license').fill('cc-by-4.0');
    await page.getByRole('button', { name: 'Cut release' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('Some items carry a share-alike licence');
    expect(await t.repos.releases.list()).toEqual([]);

    const confirm = page.getByLabel(
      'Publish anyway: I may release the share-alike items (cc-by-sa-4.0) under the licence above',
    );
    await confirm.check();
    if (process.env.CS_SHOTS_DIR)
      await page
        .locator('cs-release-form')
        .screenshot({ path: `${process.env.CS_SHOTS_DIR}/release-license.png` });
    await page.getByRole('button', { name: 'Cut release' }).click();
    const card = page.locator('cs-release-card').first();
    await expect
      .poll(() => card.locator('article').textContent(), { timeout: 10_000 })
      .toContain('published');
    expect((await t.repos.releases.list()).map((r) => [r.version, r.license, r.state])).toEqual([
      ['1.0.0', 'cc-by-4.0', 'published'],
    ]);
  });
});
