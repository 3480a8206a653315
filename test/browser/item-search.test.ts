import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/app.ts';
import { createItem } from '../helpers/items.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

describe('searching the item list', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('jiwoo', 'annotator', ['ko']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('marks what was found in the question and in other fields, and shows markup in the text as text', async () => {
    const agent = await server.t.login('jiwoo');
    const blank = { questionEn: null, notes: null, rationale: null };
    await createItem(
      agent,
      server.dataset.id,
      { language: 'ko' },
      {
        ...blank,
        question: '추석에 먹는 송편은 어떤 모양인가요?',
        referenceAnswer: '반달 모양으로 빚은 송편',
      },
    );
    await createItem(
      agent,
      server.dataset.id,
      { language: 'ko' },
      {
        ...blank,
        question: '<img src=x onerror="document.title=1">차례상 음식은?',
        referenceAnswer: '송편과 과일',
      },
    );

    const { context, page } = await signIn(browser, server, 'jiwoo', { locale: 'ko-KR' });
    await page.goto('/items?q=' + encodeURIComponent('송편'));
    const list = page.locator('cs-item-list');
    await expect.poll(() => list.locator('tbody tr').count()).toBe(2);
    await expect.poll(() => list.locator('mark').allTextContents()).toEqual(['송편', '송편', '송편']);
    // One mark in the question, one in the reference answer shown under it.
    const first = list.locator('tbody tr', { hasText: '추석에' });
    await expect(first.locator('a mark').allTextContents()).resolves.toEqual(['송편']);
    await expect(first.locator('[data-field="referenceAnswer"]').textContent()).resolves.toContain(
      '반달 모양으로',
    );
    // Markup typed into a question is text: no element is made from it.
    const second = list.locator('tbody tr', { hasText: '차례상' });
    await expect(second.locator('img').count()).resolves.toBe(0);
    await expect(second.locator('a').textContent()).resolves.toContain('<img src=x');

    const shot = join(scratchDir('search-shot-'), 'item-search-ko.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
    await context.close();
  });
});
