import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../schema/item.ts';
import { createItem } from '../helpers/items.ts';
import { launchBrowser, saveStatus, signIn, startServer, waitSaved, type TestServer } from './helpers.ts';

describe('stale writes in the editor', () => {
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

  async function openDraft(item: Item): Promise<Page> {
    const { page } = await signIn(browser, server, 'minji');
    await page.goto(`/items/${item.id}`);
    await expect.poll(() => page.locator('#f-question').inputValue()).toBe(item.question);
    return page;
  }

  it('when two windows edit the same draft, the stale one sees both versions and can keep its own', async () => {
    const agent = await server.t.login('minji');
    const item = await createItem(agent, server.dataset.id, {}, { question: '김치의 재료는?' });
    const first = await openDraft(item);
    const second = await openDraft(item);

    await first.locator('#f-question').fill('김치의 주재료는 무엇인가요?');
    await waitSaved(first);
    await second.locator('#f-question').fill('김치를 담글 때 쓰는 채소는?');

    await expect.poll(() => saveStatus(second).getAttribute('status')).toBe('conflict');
    const panel = second.locator('cs-conflict-panel');
    await expect(panel.getByRole('heading').textContent()).resolves.toContain('Someone else saved this item');
    await expect(panel.locator('td.yours').first().textContent()).resolves.toBe(
      '김치를 담글 때 쓰는 채소는?',
    );
    await expect(panel.locator('td.theirs').first().textContent()).resolves.toBe(
      '김치의 주재료는 무엇인가요?',
    );
    await expect(panel.locator('td.yours').first().getAttribute('lang')).resolves.toBe('ko');
    // Nothing was overwritten.
    expect((await server.t.repos.items.get(item.id))?.question).toBe('김치의 주재료는 무엇인가요?');

    await panel.getByRole('button', { name: /Keep mine/ }).click();
    await waitSaved(second);
    expect((await server.t.repos.items.get(item.id))?.question).toBe('김치를 담글 때 쓰는 채소는?');
    await expect.poll(() => second.locator('cs-conflict-panel').count()).toBe(0);
    await first.context().close();
    await second.context().close();
  });

  it('taking the server version drops the local change', async () => {
    const agent = await server.t.login('minji');
    const item = await createItem(agent, server.dataset.id, {}, { question: '한복의 구성은?' });
    const first = await openDraft(item);
    const second = await openDraft(item);
    await first.locator('#f-question').fill('한복은 무엇으로 이루어지나요?');
    await waitSaved(first);
    await second.locator('#f-question').fill('한복 저고리란?');
    await expect.poll(() => saveStatus(second).getAttribute('status')).toBe('conflict');
    await second
      .locator('cs-conflict-panel')
      .getByRole('button', { name: /Take the server version/ })
      .click();
    await waitSaved(second);
    await expect.poll(() => second.locator('#f-question').inputValue()).toBe('한복은 무엇으로 이루어지나요?');
    expect((await server.t.repos.items.get(item.id))?.question).toBe('한복은 무엇으로 이루어지나요?');
    await first.context().close();
    await second.context().close();
  });
});
