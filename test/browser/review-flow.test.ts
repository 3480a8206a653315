import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../schema/item.ts';
import type { Agent } from '../helpers/app.ts';
import { createSubmittedItem } from '../helpers/items.ts';
import { tokenAgent, validateNext, type TokenAgent } from '../helpers/validation.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';
import { focused, poll, SHOTS, VIEWPORTS } from './viewports.ts';

const ARABIC = [
  'ما هو الطبق الذي يُقدَّم في عيد الفطر في المغرب؟',
  'ماذا يقول الضيف بعد الطعام في بلاد الشام؟',
  'ما اسم الحلوى التي تُصنع في رمضان في مصر؟',
];

describe('review that flows: decide, and the next item opens', () => {
  let browser: Browser;
  let server: TestServer;
  let author: TokenAgent;
  let validators: TokenAgent[];
  let reviewerAsValidator: TokenAgent;

  beforeAll(async () => {
    server = await startServer();
    await server.t.repos.datasets.update(server.dataset.id, { validatorsPerItem: 2 });
    author = await tokenAgent(server.t, 'layla', 'annotator', ['ar']);
    validators = [
      await tokenAgent(server.t, 'omar', 'annotator', ['ar']),
      await tokenAgent(server.t, 'karim', 'annotator', ['ar']),
    ];
    reviewerAsValidator = await tokenAgent(server.t, 'rania', 'reviewer', ['ar']);
    await server.addUser('samir', 'reviewer', ['ar']);
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const submit = (question: string): Promise<Item> =>
    createSubmittedItem(
      author as unknown as Agent,
      server.dataset.id,
      { language: 'ar' },
      {
        question,
        country: 'MA',
        referenceAnswer: 'الحريرة',
      },
    );

  /** An item the two validators disagree on ("is the reference correct?"): it goes to review. */
  async function inReview(question: string, second: TokenAgent = validators[1]): Promise<Item> {
    const item = await submit(question);
    await validateNext(validators[0], {}, { variants: ['الحريرة'] });
    await validateNext(second, { correct: 'no', comment: 'الجواب ناقص' }, { variants: ['الكسكس'] });
    expect((await server.t.repos.items.get(item.id))?.status).toBe('in_review');
    return (await server.t.repos.items.get(item.id))!;
  }

  async function openQueue(page: Page) {
    await page.goto('/review');
    await poll(() => page.locator('#queue-count').count()).toBe(1);
  }

  it.each(VIEWPORTS.map((v, i) => [v.name, v, i] as const))(
    'on %s: no decision preselected, keys decide, the next item opens, and the item rania validated waits for someone else',
    async (name, viewport, run) => {
      // rania (a reviewer) validated one of the three: she may not decide it. Each run adds one more of those.
      const conflicted = await inReview(`${ARABIC[0]} (${name})`, reviewerAsValidator);
      const first = await inReview(`${ARABIC[1]} (${name})`);
      const second = await inReview(`${ARABIC[2]} (${name})`);
      const { context, page } = await signIn(browser, server, 'rania');
      await page.setViewportSize(viewport);
      await openQueue(page);
      // Two for her; the one she validated (and, on the second run, the first run's) count in the total.
      await expect(page.locator('#queue-count').textContent()).resolves.toBe(
        run === 0 ? '2 of 3 left in your languages' : '2 of 4 left in your languages',
      );
      await expect(page.locator(`tr[data-item="${conflicted.id}"]`).count()).resolves.toBe(0);
      await page.locator('#review-start').click();
      await poll(() => page.locator('#summary-question').textContent()).toContain(ARABIC[1]);

      // Compact: the item read, not a disabled editor; each validator in a column, the split row marked.
      await expect(page.locator('cs-item-form').count()).resolves.toBe(0);
      await expect(page.locator('#summary-question').getAttribute('lang')).resolves.toBe('ar');
      await poll(() => page.locator('#summary-category').textContent()).toBe('Food');
      await expect(page.locator('#summary-answer').textContent()).resolves.toContain('الحريرة');
      await expect(page.locator('cs-review-validations thead th[data-validator]').count()).resolves.toBe(2);
      const correct = page.locator('tr[data-row="correct"]');
      await expect(correct.getAttribute('class')).resolves.toBe('disagree');
      await expect(correct.textContent()).resolves.toContain('Disagree');
      await expect(page.locator('tr[data-row="grounded"]').getAttribute('class')).resolves.toBe('');
      await expect(page.locator('tr[data-row="comment"]').textContent()).resolves.toContain('الجواب ناقص');

      // Nothing chosen; the keys are shown.
      await expect(page.locator('input[name="decision"]:checked').count()).resolves.toBe(0);
      await expect(page.locator('#decide').isDisabled()).resolves.toBe(true);
      await expect(page.locator('#decide-keys').textContent()).resolves.toContain('1 accept');
      await expect(page.locator('cs-review-decision-form kbd').allTextContents()).resolves.toEqual([
        '1',
        '2',
        '3',
      ]);
      await page.screenshot({ path: `${SHOTS}/review-item-${name}.png`, fullPage: true });

      // 1 accepts, Enter records: the next item opens with a confirmation.
      await page.keyboard.press('1');
      await expect(page.getByLabel('Accept').isChecked()).resolves.toBe(true);
      await page.keyboard.press('Enter');
      await poll(() => new URL(page.url()).pathname).toBe(`/review/${second.id}`);
      await poll(() => page.locator('#decided').textContent()).toBe('Accepted. Next item.');
      expect((await server.t.repos.items.get(first.id))?.status).toBe('accepted');
      await poll(() => page.locator('#queue-count').textContent()).toContain('1 of');

      // 3 rejects and takes the reviewer to the message; Ctrl+Enter records it. That was the last one for her.
      await poll(() => page.locator('#summary-question').textContent()).toContain(ARABIC[2]);
      await page.keyboard.press('3');
      await poll(() => page.locator('#decision-message').evaluate(focused)).toBe(true);
      await page.keyboard.type('لا يوجد مصدر');
      await page.keyboard.press('Control+Enter');
      await poll(() => new URL(page.url()).pathname).toBe('/review');
      await poll(() => page.locator('#decided').textContent()).toBe('Rejected. That was the last one.');
      expect((await server.t.repos.items.get(second.id))?.status).toBe('rejected');
      const empty = page.locator('#queue-empty');
      await poll(() => empty.getAttribute('data-reason')).toBe('only-own');
      await expect(empty.textContent()).resolves.toContain(
        'Only items you wrote or validated are waiting; another reviewer or a maintainer decides them.',
      );
      await page.screenshot({ path: `${SHOTS}/review-queue-empty-${name}.png`, fullPage: true });

      // The item she validated: not hers to decide, even by its address.
      await page.goto(`/review/${conflicted.id}`);
      await poll(() => page.locator('cs-review-item [role="alert"]').textContent()).toContain(
        'You validated this item',
      );
      await context.close();

      // samir, the other Arabic reviewer, has it.
      const { context: other, page: samir } = await signIn(browser, server, 'samir');
      await samir.setViewportSize(viewport);
      await openQueue(samir);
      await expect(samir.locator(`tr[data-item="${conflicted.id}"]`).count()).resolves.toBe(1);
      await other.close();
    },
  );

  it('in Korean, the review page reads in the interface language with the Arabic item right to left', async () => {
    const item = await inReview(ARABIC[0]);
    const user = (await server.t.repos.users.list()).find((u) => u.username === 'samir')!;
    await server.t.repos.users.update(user.id, { uiLocale: 'ko' });
    for (const viewport of VIEWPORTS) {
      const { context, page } = await signIn(browser, server, 'samir');
      await page.setViewportSize(viewport);
      await page.goto('/review');
      await poll(() => page.locator('#queue-count').textContent()).toMatch(/남음/);
      await page.screenshot({ path: `${SHOTS}/review-queue-ko-${viewport.name}.png`, fullPage: true });
      await page.goto(`/review/${item.id}`);
      await poll(() => page.locator('#decide-keys').textContent()).toContain('1 승인');
      await expect(page.locator('tr[data-row="correct"] th').textContent()).resolves.toContain('불일치');
      await page.screenshot({ path: `${SHOTS}/review-item-ko-${viewport.name}.png`, fullPage: true });
      await context.close();
    }
  });
});
