import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDataset, createSubmittedItem } from '../helpers/items.ts';
import { completeTask, nextTask, tokenAgent } from '../helpers/validation.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

const WAIT = { timeout: 15_000 };

/** The question table's header and body cells, column by column: their alignment and their start and end edges. */
function columns(page: Page) {
  return page.locator('#question-table').evaluate((table) => {
    type Cell = { getBoundingClientRect(): { left: number; right: number } };
    const edges = (c: Cell) => {
      const r = c.getBoundingClientRect();
      return { left: r.left, right: r.right };
    };
    const t = table as unknown as {
      querySelectorAll(s: string): ArrayLike<{ cells: ArrayLike<Cell> }>;
      ownerDocument: { defaultView: { getComputedStyle(e: unknown): { textAlign: string } } };
    };
    const rows = Array.from(t.querySelectorAll('tr'));
    const style = (c: Cell) => t.ownerDocument.defaultView.getComputedStyle(c).textAlign;
    return rows.map((r) => Array.from(r.cells).map((c) => ({ align: style(c), ...edges(c) })));
  });
}

describe('agreement page', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    const { t } = server;
    await t.addUser('boss', 'maintainer');
    // Two validations per item, four items: well under the small-sample line, with the validators
    // agreeing on everything but one "correct" answer.
    const dataset = await addDataset(t, {
      slug: 'ag',
      name: 'Agreement set',
      validatorsPerItem: 2,
      autoAccept: false,
    });
    const author = await t.addUser('jiwoo', 'annotator', ['ko']);
    const writer = await t.login(author.username);
    for (let i = 0; i < 4; i++) await createSubmittedItem(writer, dataset.id, { language: 'ko' });
    for (const name of ['val1', 'val2']) {
      const validator = await tokenAgent(t, name, 'annotator', ['ko']);
      for (let i = 0; i < 4; i++) {
        const task = await nextTask(validator, `?dataset=${dataset.id}`);
        expect(task).not.toBeNull();
        await completeTask(validator, task!, name === 'val2' && i === 0 ? { correct: 'no' } : {});
      }
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function agreementPage() {
    const session = await signIn(browser, server, 'boss');
    await session.page.goto('/agreement');
    await session.page.locator('#ag-dataset').selectOption({ label: 'Agreement set' });
    await expect
      .poll(() => session.page.locator('#question-table tbody tr').count(), WAIT)
      .toBeGreaterThan(0);
    return session;
  }

  it('aligns every column of the question table with its header', async () => {
    const { context, page } = await agreementPage();
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const [header, ...body] = await columns(page);
      expect(header.map((c) => c.align)).toEqual([
        'start',
        'start',
        'start',
        'end',
        'end',
        'end',
        'end',
        'end',
        'end',
      ]);
      for (const row of body) {
        row.forEach((cell, i) => {
          const head = header[i];
          expect(cell.align, `column ${i}`).toBe(head.align);
          // The cells of a column share its edges with the header cell.
          expect(Math.abs(cell.left - head.left), `column ${i} start`).toBeLessThan(1);
          expect(Math.abs(cell.right - head.right), `column ${i} end`).toBeLessThan(1);
        });
      }
    }
    await context.close();
  });

  it('explains α, κ and % agreement in tooltips, on hover and on keyboard focus', async () => {
    const { context, page } = await agreementPage();
    const alpha = page.locator('#question-table th .term').first();
    const tip = page.locator('#help-alpha');
    expect(await alpha.getAttribute('aria-describedby')).toBe('help-alpha');
    expect(await tip.isVisible()).toBe(false);
    await alpha.hover();
    await expect.poll(() => tip.isVisible(), WAIT).toBe(true);
    expect(await tip.textContent()).toContain("Krippendorff's α: agreement beyond chance");
    await page.mouse.move(0, 0);
    await page.locator('#question-table th .term').last().focus();
    await expect.poll(() => page.locator('#help-percent').isVisible(), WAIT).toBe(true);
    expect(await page.locator('#help-percent').textContent()).toContain('Not corrected for chance');
    for (const id of ['help-fleiss', 'help-cohen'])
      expect(await page.locator(`#${id}`).textContent()).toContain('chance-corrected agreement');
    await context.close();
  });

  it('warns that few items make α and κ unstable, and marks those rows', async () => {
    const { context, page } = await agreementPage();
    const warning = page.locator('#small-sample');
    await expect.poll(() => warning.textContent(), WAIT).toContain('fewer than 30 items');
    expect(await warning.textContent()).toContain('α can be 0 beside a high % agreement');
    const rows = await page.locator('#question-table tbody tr').count();
    expect(await page.locator('#question-table tbody tr.small').count()).toBe(rows);
    expect(await page.locator('#question-table tbody tr').first().locator('td').nth(3).textContent()).toMatch(
      /Few items\s*4/,
    );
    await context.close();
  });

  it('labels the threshold lines of the charts', async () => {
    const { context, page } = await agreementPage();
    const labels = page.locator('cs-agreement-chart').first().locator('text.mark-label');
    await expect.poll(() => labels.allTextContents(), WAIT).toEqual(['tentative 0.667', 'reliable 0.8']);
    expect(await page.locator('cs-agreement-chart svg').first().getAttribute('aria-label')).toContain(
      'tentative (0.667), reliable (0.8)',
    );
    await context.close();
  });
});
