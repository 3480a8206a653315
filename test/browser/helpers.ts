import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../../schema/common.ts';
import type { Dataset } from '../../schema/dataset.ts';
import type { User } from '../../schema/user.ts';
import type { AppOptions } from '../../server/app.ts';
import { createTestContext, scratchDir, TEST_PASSWORD, type TestContext } from '../helpers/app.ts';
import { addDataset } from '../helpers/items.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = 'docs/screenshots';

/** Debian's Chromium, headless. No fallback: if it is missing the test fails. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A real server over a fresh in-memory database, serving the built client on 127.0.0.1. */
export interface TestServer {
  t: TestContext;
  dataset: Dataset;
  url: string;
  port: number;
  addUser(username: string, role: Role, languages?: string[]): Promise<User>;
  /** Stops listening and drops every open connection (the server "goes away"). */
  stop(): Promise<void>;
  /** Listens again on the same port, same database. */
  start(): Promise<void>;
}

export async function startServer(options: Partial<AppOptions> = {}): Promise<TestServer> {
  // Releases go to the test file's temp folder, never into the checkout's data/releases.
  const t = await createTestContext({
    staticDir: resolve('dist/client'),
    releasesDir: scratchDir('releases-'),
    ...options,
  });
  const dataset = await addDataset(t, { slug: 'culture', name: 'Culture set' });
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((req, res) => t.app(req, res));
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });
  await listen();
  const stop = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      if (!s) return resolve();
      s.close(() => resolve());
      s.closeAllConnections();
    });
  return {
    t,
    dataset,
    url: `http://127.0.0.1:${port}`,
    port,
    addUser: (username, role, languages) => t.addUser(username, role, languages),
    stop,
    start: listen,
  };
}

/** A fresh browser context (its own cookies, storage and service workers) signed in as `username`. */
export async function signIn(
  browser: Browser,
  server: TestServer,
  username: string,
  options: { locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1360, height: 900 },
    locale: options.locale ?? 'en-US',
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  await page.goto('/items');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A busy machine (the suite beside other work) can take seconds to sign in and paint the list.
  await expect.poll(() => page.locator('cs-item-list').count(), { timeout: 15_000 }).toBe(1);
  return { context, page };
}

/** The editor's save state, as shown to the user. */
export function saveStatus(page: Page) {
  return page.locator('cs-save-status');
}

/** Waits until the editor shows "Saved". */
export async function waitSaved(page: Page): Promise<void> {
  await expect.poll(() => saveStatus(page).getAttribute('status'), { timeout: 10_000 }).toBe('saved');
}

/** Waits until this page is controlled by the service worker (so a reload can be served offline). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  // A string: the test tsconfig has no DOM types.
  await page.evaluate(`(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  })()`);
}

/** The item id from the editor URL. */
export function itemIdOf(page: Page): number {
  const m = /\/items\/(\d+)/.exec(new URL(page.url()).pathname);
  if (!m) throw new Error(`not on an item page: ${page.url()}`);
  return Number(m[1]);
}
