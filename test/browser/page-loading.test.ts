import request from 'supertest';
import type { Browser, Request, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { sampleCsv, settled } from '../helpers/releases.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

const WAIT = { timeout: 15_000 };

describe('page loading', () => {
  let browser: Browser;
  let server: TestServer;
  let released: number;
  let empty: number;

  beforeAll(async () => {
    server = await startServer();
    // Dataset "Released" has a release; dataset "Empty" has none.
    const d = await addDataset(server.t, { slug: 'released', name: 'Released' });
    released = d.id;
    empty = (await addDataset(server.t, { slug: 'empty', name: 'Empty' })).id;
    const imp = await importer(server.t, d.id, 'admin');
    const upload = await imp.upload(
      { format: 'csv', dryRun: false, status: 'accepted' },
      sampleCsv([{ id: 'k1' }]),
    );
    expect(upload.job.state).toBe('imported');
    const headers = { Authorization: `Bearer ${imp.token}` };
    const res = await settled(
      server.t.app,
      headers,
      request(server.t.app)
        .post('/api/releases')
        .set(headers)
        .send({ datasetId: d.id, version: '1.0.0', title: 'Old' }),
    );
    expect(res.body).toMatchObject({ state: 'published' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("when the dataset is switched while the earlier one's releases load, that request is aborted and its releases never show", async () => {
    const { context, page } = await signIn(browser, server, 'admin');
    // The released dataset's list is held at the network until the test lets it go.
    let held: Route | undefined;
    let arrived!: () => void;
    const routed = new Promise<void>((resolve) => (arrived = resolve));
    await page.route(`**/api/releases?dataset=${released}`, (route) => {
      held = route;
      arrived();
    });
    const aborted = page.waitForEvent('requestfailed', {
      predicate: (r: Request) => r.url().endsWith(`/api/releases?dataset=${released}`),
      timeout: 15_000,
    });
    await page.goto('/releases');
    await expect.poll(() => page.locator('#dataset option').count(), WAIT).toBe(3);
    await page.locator('#dataset').selectOption(String(released));
    await routed;
    await page.locator('#dataset').selectOption(String(empty));

    const failed = await aborted;
    expect(failed.failure()?.errorText).toBe('net::ERR_ABORTED');
    // Even let through now, the earlier answer has nowhere to land.
    await held!.continue().catch(() => undefined);
    await expect
      .poll(() => page.locator('cs-releases-page .list').textContent(), WAIT)
      .toContain('No releases yet.');
    expect(await page.locator('cs-release-card').count()).toBe(0);
    expect(await page.locator('#dataset').inputValue()).toBe(String(empty));

    // Back on the released dataset, its release is there.
    await page.unroute(`**/api/releases?dataset=${released}`);
    await page.locator('#dataset').selectOption(String(released));
    await expect.poll(() => page.locator('cs-release-card').count(), WAIT).toBe(1);
    await context.close();
  });
});
