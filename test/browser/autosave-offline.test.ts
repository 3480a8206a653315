import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  itemIdOf,
  launchBrowser,
  saveStatus,
  signIn,
  startServer,
  waitForServiceWorker,
  waitSaved,
  type TestServer,
} from './helpers.ts';

describe('autosave while offline', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('minji', 'annotator', ['ko']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps every character typed offline across a reload served by the service worker, and saves it when back online', async () => {
    const { context, page } = await signIn(browser, server, 'minji');
    await page.getByRole('link', { name: 'New item' }).first().click();
    await page.getByRole('button', { name: 'Create draft' }).click();
    await expect.poll(() => page.locator('#f-question').count()).toBe(1);
    const id = itemIdOf(page);
    const question = async () => (await server.t.repos.items.get(id))?.question;

    const online = '설날에 가족이 ';
    await page.locator('#f-question').pressSequentially(online);
    await waitSaved(page);
    expect(await question()).toBe(online);
    await waitForServiceWorker(page);

    // Offline for the browser, and the server unreachable as well: Chromium lets the page's pagehide flush
    // (a keepalive request sent while the page unloads) past the emulated offline state now and then.
    await context.setOffline(true);
    await server.stop();
    const offline = '함께 먹는 음식은?';
    await page.locator('#f-question').pressSequentially(offline);
    await expect.poll(() => saveStatus(page).getAttribute('status')).toBe('offline');
    await expect(page.locator('cs-save-status [role=status]').textContent()).resolves.toBe(
      'Offline — kept on this device',
    );
    expect(await question()).toBe(online);

    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await expect.poll(() => page.locator('#f-question').inputValue()).toBe(online + offline);
    await expect.poll(() => saveStatus(page).getAttribute('status')).toBe('offline');
    expect(await question()).toBe(online);

    await server.start();
    await context.setOffline(false);
    await expect.poll(question, { timeout: 15_000 }).toBe(online + offline);
    await waitSaved(page);
    await context.close();
  });

  it('when the server goes away mid-edit, then the edits are kept and saved once it is back', async () => {
    const { context, page } = await signIn(browser, server, 'minji');
    await page.goto('/items/new');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await expect.poll(() => page.locator('#f-question').count()).toBe(1);
    const id = itemIdOf(page);
    await page.locator('#f-question').pressSequentially('한글날은 ');
    await waitSaved(page);

    await server.stop();
    await page.locator('#f-question').pressSequentially('언제인가요?');
    await expect.poll(() => saveStatus(page).getAttribute('status')).toBe('offline');
    await server.start();
    await expect
      .poll(async () => (await server.t.repos.items.get(id))?.question, { timeout: 20_000 })
      .toBe('한글날은 언제인가요?');
    await waitSaved(page);
    await context.close();
  });
});
