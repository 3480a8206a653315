// Issue 14, point 8: people see labels in the interface language, not ids — taxonomy nodes, formats, item field
// names in revisions, and multiple-choice answers as letters in the report.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem, createSubmittedItem } from '../helpers/items.ts';
import { definitions } from './in-page.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';
import { scoredRelease } from './scored-release.ts';

const SHOT_DIR = process.env.CS_SHOT_DIR;
const shot = async (page: Page, name: string) =>
  SHOT_DIR
    ? void (await page.screenshot({ path: join(SHOT_DIR, `${name}.png`), fullPage: true }))
    : undefined;

describe('labels, not ids', () => {
  let browser: Browser;
  let server: TestServer;
  let editedId = 0;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('minji', 'annotator', ['ko']);
    await server.addUser('jisoo', 'annotator', ['ko']);
    const minji = await server.t.login('minji');
    await createSubmittedItem(minji, server.dataset.id, { format: 'multiple_choice' });
    const draft = await createItem(minji, server.dataset.id, { format: 'multiple_choice' });
    const res = await minji.patch(`/api/items/${draft.id}`, {
      version: draft.version,
      changes: { questionEn: 'Which food is eaten on Seollal?', correctIndex: 1 },
    });
    expect(res.status).toBe(200);
    editedId = draft.id;
    const releaseId = await scoredRelease(server);
    // A next release still building, with its counts by language × category as a build records them.
    const boss = (await server.t.repos.users.getByUsername('boss'))!;
    const at = new Date().toISOString();
    const next = await server.t.repos.releases.insert({
      datasetId: server.dataset.id,
      version: '1.1.0',
      title: 'Second',
      notes: '',
      filter: { languages: [], kinds: [], categories: [], includeSubmitted: false },
      datasetMeta: { slug: 'culture', name: 'Culture set', description: '', license: 'cc-by-4.0', url: null },
      releasedAt: at.slice(0, 10),
      previousId: releaseId,
      createdBy: boss.id,
      createdAt: at,
      filesDir: 'culture/1.1.0~nofiles',
      builder: 'fixture',
    });
    await server.t.repos.releases.setCounts(next, 2, {
      total: 2,
      languages: ['ar', 'ko'],
      categories: ['tradition/food'],
      cells: [
        ['ar', 'tradition/food', 1],
        ['ko', 'tradition/food', 1],
      ],
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('Validate names the category and the format, in English and in Korean', async () => {
    const { context, page } = await signIn(browser, server, 'jisoo');
    await page.goto('/validate');
    const category = page.locator('#task-category');
    await expect.poll(() => category.textContent()).toBe('Food');
    const head = await page.locator('#task-category').locator('..').textContent();
    expect(head).toContain('Multiple choice');
    expect(head).not.toMatch(/tradition\/food|multiple_choice/);
    await page.locator('cs-app summary').click();
    await page.locator('#ui-locale').selectOption('ko');
    await expect.poll(() => category.textContent()).not.toBe('Food');
    expect(await category.textContent()).not.toContain('/');
    await shot(page, 'labels-validate-ko');
    await context.close();
  });

  it('revisions name the fields that changed and show values as labels and letters', async () => {
    const { context, page } = await signIn(browser, server, 'minji');
    await page.goto(`/items/${editedId}`);
    const panel = page.locator('cs-revisions-panel');
    await panel.locator('summary').click();
    const fields = panel.locator('.fields');
    await expect.poll(() => fields.count()).toBe(2);
    const changed = (await fields.first().textContent())!.split(', ').sort();
    expect(changed).toEqual(['Correct option', 'English gloss']);
    await panel.getByRole('button', { name: 'View' }).first().click();
    const snapshot = panel.locator('dl.snapshot');
    await expect.poll(() => snapshot.count()).toBe(1);
    const entries = await snapshot.evaluate(definitions);
    expect(entries).toEqual(
      expect.arrayContaining([
        'Format: Multiple choice',
        'Kind: Culture',
        'Correct option: B',
        'Primary category: Food',
        'English gloss: Which food is eaten on Seollal?',
      ]),
    );
    expect(JSON.stringify(entries)).not.toMatch(/questionEn|correctIndex|tradition\/food|multiple_choice/);
    await shot(page, 'labels-revisions');
    await context.close();
  });

  it('the report names the format and gives multiple-choice answers as letters', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    await page.goto('/scoring/report');
    const mcq = page.locator('cs-report-items article', { hasText: '설날 음식은?' });
    await expect.poll(() => mcq.count()).toBe(1);
    await expect(mcq.locator('p.muted').textContent()).resolves.toContain('Multiple choice');
    await expect(mcq.locator('td.verdict').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^\s*[✓✗]\s+C\s*$/),
      expect.stringMatching(/^\s*[✓✗]\s+A\s*$/),
    ]);
    await shot(page, 'labels-report');
    await context.close();
  });

  it('the release chart names categories by their labels', async () => {
    const { context, page } = await signIn(browser, server, 'boss');
    await page.goto('/releases');
    const chart = page.locator('cs-release-card', { hasText: '1.1.0' }).locator('cs-release-chart svg');
    await expect.poll(() => chart.count()).toBe(1);
    await expect.poll(() => chart.textContent()).toContain('Food');
    expect(await chart.textContent()).not.toContain('tradition/food');
    await shot(page, 'labels-release-chart');
    await context.close();
  });
});
