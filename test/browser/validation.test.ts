import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubmittedItem } from '../helpers/items.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

describe('validation, review and the decision the author sees', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.t.repos.datasets.update(server.dataset.id, { validatorsPerItem: 2 });
    await server.addUser('jiwoo', 'annotator', ['ko']);
    await server.addUser('val1', 'annotator', ['ko']);
    await server.addUser('val2', 'annotator', ['ko']);
    await server.addUser('minho', 'reviewer', ['ko']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** One validator's pass with the keyboard: own answer, reveal, digits for the judgement, Enter. */
  async function validate(username: string, ownAnswer: string, keys: string[], comment?: string) {
    const { context, page } = await signIn(browser, server, username);
    await page.goto('/validate');
    await expect.poll(() => page.locator('#task-question').textContent()).toContain('설날');
    await expect(page.locator('#task-question').getAttribute('lang')).resolves.toBe('ko');
    await expect(page.locator('#task-question').getAttribute('dir')).resolves.toBe('auto');
    // The reference stays hidden until the validator has answered.
    await expect(page.locator('#ref-title').count()).resolves.toBe(0);
    await page.locator('#own-variants').fill(ownAnswer);
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('#own-match').count()).toBe(1);
    await page.locator('#own-match').click(); // focus leaves the textarea
    for (const key of keys) await page.keyboard.press(key);
    if (comment) await page.locator('#v-comment').fill(comment);
    await page.locator('#own-match').click();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#no-task').count()).toBe(1);
    await context.close();
  }

  it('two validators disagree, the reviewer asks for a revision, the author sees it', async () => {
    const author = await server.t.login('jiwoo');
    const item = await createSubmittedItem(author, server.dataset.id);

    await validate('val1', '떡국', ['1', '1', '1', '4']);
    await validate('val2', '송편', ['1', '2', '1', '2'], '정답이 틀렸어요');
    expect((await server.t.repos.items.get(item.id))?.status).toBe('in_review');

    const { context: rc, page: reviewer } = await signIn(browser, server, 'minho');
    await reviewer.goto('/review');
    const row = reviewer.locator(`tr[data-item="${item.id}"]`);
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole('link').click();
    // One column per validator; val2's comment in the comment row.
    await expect
      .poll(() => reviewer.locator('cs-review-validations thead th[data-validator]').count())
      .toBe(2);
    await expect(
      reviewer.locator('tr[data-row="comment"] td[data-validator="val2"]').textContent(),
    ).resolves.toContain('정답이 틀렸어요');
    await reviewer.getByLabel('Needs revision').check();
    await reviewer.locator('#decision-message').fill('참조 답에 설명을 더해 주세요');
    await reviewer.locator('#decide').click();
    await expect.poll(async () => (await server.t.repos.items.get(item.id))?.status).toBe('needs_revision');
    await rc.close();

    const { context: ac, page } = await signIn(browser, server, 'jiwoo');
    await page.goto(`/items/${item.id}`);
    const decisions = page.locator('#item-decisions');
    await expect.poll(() => decisions.count()).toBe(1);
    await expect(decisions.textContent()).resolves.toContain('참조 답에 설명을 더해 주세요');
    await expect(decisions.textContent()).resolves.toContain('Revision requested');
    await expect(page.locator('cs-status-chip span').first().textContent()).resolves.toContain(
      'Needs revision',
    );
    await ac.close();
  });

  it('a maintainer makes a submitted item gold with its expected answers, then takes it back', async () => {
    await server.addUser('chief', 'maintainer', []);
    const author = await server.t.login('jiwoo');
    const item = await createSubmittedItem(author, server.dataset.id);
    const chief = await server.t.login('chief');
    const gold = async () => (await chief.get(`/api/gold?dataset=${server.dataset.id}`)).body as unknown[];

    const { context, page } = await signIn(browser, server, 'chief');
    await page.goto(`/items/${item.id}`);
    const panel = page.locator('cs-gold-panel');
    await expect.poll(() => panel.getByRole('button', { name: 'Make gold' }).count()).toBe(1);
    await panel.getByLabel('Reference answer correct?').selectOption({ label: 'No' });
    await panel.getByRole('button', { name: 'Make gold' }).click();
    await expect.poll(() => panel.locator('#gold-state').textContent()).toContain('This is a gold item');
    expect(await gold()).toMatchObject([{ itemId: item.id, grounded: 'yes', correct: 'no' }]);
    if (process.env.CS_SCREENSHOTS === '1')
      await page.screenshot({ path: 'docs/screenshots/gold-item.png', fullPage: true });

    await panel.getByRole('button', { name: 'No longer gold' }).click();
    await expect.poll(() => panel.getByRole('button', { name: 'Make gold' }).count()).toBe(1);
    expect(await gold()).toEqual([]);
    await context.close();
  });
});
