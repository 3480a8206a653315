import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubmittedItem } from '../helpers/items.ts';
import { itemIdOf, launchBrowser, signIn, startServer, waitSaved, type TestServer } from './helpers.ts';

const PASSAGE =
  'يحتفل المصريون بشم النسيم يوم الاثنين التالي لعيد الفصح، فيخرجون إلى الحدائق ويأكلون الفسيخ والبيض الملوّن.';

/** The element's resolved direction (dir="auto" resolves from its text). */
const direction = (el: unknown) =>
  (el as { matches(selector: string): boolean }).matches(':dir(rtl)') ? 'rtl' : 'ltr';

/** Switches the interface to Korean through the account menu, and closes it again. */
async function korean(page: Page) {
  await page.locator('cs-app summary[aria-label]').first().click();
  await page.getByLabel('Interface language').selectOption('ko');
  await page.locator('cs-app summary[aria-label]').first().click();
}

/** Screenshots to look at (at 1366 and 390 wide), only when CS_SHOTS_DIR names a folder outside the repository. */
const SHOTS = process.env.CS_SHOTS_DIR;

async function shots(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const [w, h] of [
    [1366, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: join(SHOTS, `${name}-${w}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1360, height: 900 });
}

describe('the passage (context) of an item', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.addUser('layla', 'annotator', ['ar']);
    await server.addUser('omar', 'annotator', ['ar']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an author writes a passage in its own direction; it is saved and shown again', async () => {
    const { context, page } = await signIn(browser, server, 'layla');
    await page.getByRole('link', { name: 'New item' }).first().click();
    await page.getByLabel('Multiple choice').check();
    await page.getByRole('button', { name: 'Create draft' }).click();
    await expect.poll(() => page.locator('#f-question').count()).toBe(1);
    const id = itemIdOf(page);

    const field = page.getByLabel('Passage the question refers to (optional)');
    await field.fill(PASSAGE);
    await page.locator('#f-question').fill('حسب النص، متى يحتفل المصريون بشم النسيم؟');
    await expect(field.getAttribute('dir')).resolves.toBe('auto');
    await expect(field.getAttribute('lang')).resolves.toBe('ar');
    await expect(field.evaluate(direction)).resolves.toBe('rtl');
    await field.press('Control+s');
    await waitSaved(page);
    expect((await server.t.repos.items.get(id))?.context).toBe(PASSAGE);

    await page.reload();
    await expect.poll(() => page.locator('#f-context').inputValue()).toBe(PASSAGE);
    // Cleared, it is no passage at all (null), not an empty one.
    await page.locator('#f-context').fill('');
    await page.locator('#f-context').press('Control+s');
    await waitSaved(page);
    expect((await server.t.repos.items.get(id))?.context).toBeNull();
    await page.locator('#f-context').fill(PASSAGE);
    await page.locator('#f-context').press('Control+s');
    await waitSaved(page);

    await korean(page);
    await expect.poll(() => page.getByLabel('질문이 가리키는 지문 (선택)').count()).toBe(1);
    await shots(page, 'editor-context-ko');
    await context.close();
  });

  it('a validator sees the passage above the question, right to left', async () => {
    const author = await server.t.login('layla');
    await createSubmittedItem(
      author,
      server.dataset.id,
      { language: 'ar', format: 'short_answer' },
      {
        country: 'EG',
        context: PASSAGE,
        question: 'حسب النص، ماذا يأكل المصريون في شم النسيم؟',
        questionEn: 'According to the passage, what do Egyptians eat on Sham el-Nessim?',
        acceptedAnswers: ['الفسيخ', 'البيض الملون'],
      },
    );
    const { context, page } = await signIn(browser, server, 'omar');
    await korean(page);
    await page.goto('/validate');
    const passage = page.locator('#task-context');
    await expect.poll(() => passage.textContent()).toBe(PASSAGE);
    await expect(passage.getAttribute('lang')).resolves.toBe('ar');
    await expect(passage.evaluate(direction)).resolves.toBe('rtl');
    // Above the question.
    const passageBox = (await passage.boundingBox())!;
    const questionBox = (await page.locator('#task-question').boundingBox())!;
    expect(passageBox.y + passageBox.height).toBeLessThanOrEqual(questionBox.y);
    await expect.poll(() => page.getByText('지문', { exact: true }).count()).toBe(1);
    await shots(page, 'validate-context-ko');
    await context.close();
  });
});
