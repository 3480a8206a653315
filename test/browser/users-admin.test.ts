import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../helpers/app.ts';
import { createSubmittedItem } from '../helpers/items.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

describe('maintainer manages users', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('admin', 'maintainer');
    await server.addUser('minji', 'annotator', ['ko']);
    await server.addUser('layla', 'annotator', ['ar']);
    await server.addUser('somchai', 'annotator', ['th']);
    const ds = server.dataset.id;
    await createSubmittedItem(await server.t.login('minji'), ds, { language: 'ko' });
    await createSubmittedItem(
      await server.t.login('layla'),
      ds,
      { language: 'ar' },
      {
        country: 'EG',
        question: 'ما هو الطبق الوطني في مصر؟',
      },
    );
    await createSubmittedItem(
      await server.t.login('somchai'),
      ds,
      { language: 'th' },
      {
        country: 'TH',
        question: 'อาหารประจำชาติของไทยคืออะไร',
      },
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a user created in the UI with two languages signs in and sees only items in those languages', async () => {
    const { context, page } = await signIn(browser, server, 'admin');
    await page.getByRole('link', { name: 'Users' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Username').fill('farida');
    await form.getByLabel('Display name').fill('Farida');
    await form.getByLabel('Role').selectOption('annotator');
    // The language picker: chosen by name, one at a time.
    await form.getByLabel('Languages').selectOption({ label: 'Arabic (ar)' });
    await form.getByLabel('Languages').selectOption({ label: 'Korean (ko)' });
    await form.getByLabel('Password').fill(TEST_PASSWORD);
    await form.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('tr[data-username="farida"]').count()).toBe(1);
    expect(await server.t.repos.users.getByUsername('farida')).toMatchObject({
      role: 'annotator',
      displayName: 'Farida',
      languages: ['ar', 'ko'],
    });
    await context.close();

    const farida = await signIn(browser, server, 'farida');
    const rows = farida.page.locator('cs-item-list tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const languages = await farida.page.locator('cs-item-list tbody .badge').allTextContents();
    expect(languages.sort()).toEqual(['ar', 'ko']);
    const arabic = farida.page.locator('cs-item-list td.question a[lang="ar"]');
    await expect(arabic.getAttribute('dir')).resolves.toBe('auto');
    await farida.context.close();
  });

  it('a maintainer changes a user’s languages and disables them', async () => {
    const { context, page } = await signIn(browser, server, 'admin');
    await page.goto('/admin/users');
    const row = page.locator('tr[data-username="somchai"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit somchai' });
    await form.getByLabel('Languages').selectOption({ label: 'Lao (lo)' });
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.locator('tr[data-username="somchai"] .badge').allTextContents())
      .toEqual(['lo', 'th']);
    await page.locator('tr[data-username="somchai"]').getByRole('button', { name: 'Disable' }).click();
    await expect
      .poll(() => page.locator('tr[data-username="somchai"]').getAttribute('class'))
      .toBe('disabled');
    await context.close();
  });
});
