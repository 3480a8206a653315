import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app.ts';
import { addDataset } from '../helpers/items.ts';
import { launchBrowser, signIn, type TestServer } from './helpers.ts';

describe('maintainer imports a BLEnD annotation file (one JSON document)', () => {
  let browser: Browser;
  let t: TestContext;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    t = await createTestContext({ staticDir: resolve('dist/client') });
    await addDataset(t, { slug: 'culture', name: 'Culture set' });
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

  it('takes the JSON format from the file name, checks it, then imports it', async () => {
    const { page } = await signIn(browser, { url } as TestServer, 'admin');
    await page.goto('/admin/import');
    await page
      .locator('#file')
      .setInputFiles(fileURLToPath(new URL('../fixtures/benchmarks/blend-KR.json', import.meta.url)));
    await expect.poll(() => page.locator('#format').inputValue()).toBe('json');
    await page.locator('#preset').selectOption('blend');
    await page
      .locator('#defaults')
      .fill('{"language": "Korean", "country": "South Korea", "primaryCategory": "tradition/food"}');
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 })
      .toContain('No problems in 2 rows');
    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 })
      .toContain('Imported: 2 new');
    expect(
      t.db.prepare('SELECT external_id, language, country, license FROM items ORDER BY id').all(),
    ).toEqual([
      { external_id: 'Al-en-06', language: 'ko', country: 'KR', license: 'cc-by-sa-4.0' },
      { external_id: 'Al-en-12', language: 'ko', country: 'KR', license: 'cc-by-sa-4.0' },
    ]);
  });
});
