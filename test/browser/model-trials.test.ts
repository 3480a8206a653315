// "Try on models" in the editor (cs-model-trials): a Korean interface, an Arabic item, the keyboard only.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../schema/item.ts';
import type { User } from '../../schema/user.ts';
import { createItemService } from '../../server/domain/items.ts';
import { createScoringService } from '../../server/domain/scoring/service.ts';
import { createTrialThrottle, DEFAULT_TRIAL_RATE_LIMIT } from '../../server/domain/trial-throttle.ts';
import { createTrialService } from '../../server/domain/trials.ts';
import { startChatServer } from '../fixtures/scoring/chat-server.ts';
import { completeItemBody } from '../helpers/items.ts';
import { launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';
import { poll, SHOTS, VIEWPORTS } from './viewports.ts';

/** The element's resolved direction (dir="auto" resolves from its text). */
const direction = (el: unknown) =>
  (el as { matches(selector: string): boolean }).matches(':dir(rtl)') ? 'rtl' : 'ltr';

const QUESTION = 'ما الطبق الذي يأكله المصريون في شم النسيم؟';
const OPTIONS = ['الفسيخ', 'الكشري', 'الملوخية', 'الفول'];

async function shots(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  for (const v of VIEWPORTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await page.locator('cs-model-trials').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `trials-${name}-${v.name}.png`) });
  }
  await page.setViewportSize({ width: 1360, height: 900 });
}

describe('Try on models (editor panel)', () => {
  let browser: Browser;
  let server: TestServer;
  let chat: Awaited<ReturnType<typeof startChatServer>>;
  let author: User;
  let boss: User;
  let modelIds: number[];

  /** An Arabic multiple-choice draft by the author (الفسيخ, أ, is right). */
  const draft = async (): Promise<Item> => {
    const { datasetId: _d, ...body } = completeItemBody(server.dataset.id, {
      language: 'ar',
      format: 'multiple_choice',
    });
    return createItemService(server.t.repos).create(author, {
      ...(body as Parameters<ReturnType<typeof createItemService>['create']>[1]),
      datasetId: server.dataset.id,
      country: 'EG',
      question: QUESTION,
      questionEn: null,
      options: OPTIONS,
      correctIndex: 0,
    });
  };

  beforeAll(async () => {
    // Two models on one scripted server, told apart by the model name they are asked with: both miss.
    chat = await startChatServer(() => ({ reply: 'الإجابة هي ب' }));
    server = await startServer({ outbound: { allowPrivate: true } });
    author = await server.addUser('layla', 'annotator', ['ar']);
    await server.t.repos.users.update(author.id, { uiLocale: 'ko' });
    boss = await server.addUser('boss', 'maintainer', []);
    const reviewer = await server.addUser('karim', 'reviewer', ['ar']);
    await server.t.repos.users.update(reviewer.id, { uiLocale: 'ko' });
    const scoring = createScoringService(server.t.repos);
    const model = (name: string) =>
      scoring.createModel(boss, {
        name,
        developer: 'Lab',
        country: null,
        sovereign: false,
        baseUrl: chat.baseUrl,
        endpointModel: name.toLowerCase(),
        apiKeyEnv: null,
      });
    const alpha = await model('Alpha');
    const beta = await model('Beta');
    await server.t.repos.transaction(() =>
      server.t.repos.trials.saveSettings(server.dataset.id, true, null, [
        { modelId: alpha.id, promptTemplate: null },
        { modelId: beta.id, promptTemplate: null },
      ]),
    );
    modelIds = [alpha.id, beta.id];
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await chat?.close();
  });

  it('the author asks the ticked models with the keyboard; Arabic answers read right to left, scored, in a Korean interface; submission first asks for a trial', async () => {
    const item = await draft();
    const { context, page } = await signIn(browser, server, 'layla');
    await page.goto(`/items/${item.id}`);
    const panel = page.locator('cs-model-trials');
    await poll(() => panel.locator('h2').textContent()).toBe('모델에 시험하기');
    await poll(() => panel.locator('input[type=checkbox]').count()).toBe(2);

    // The dataset requires a trial: Submit says so, in Korean, as a submission problem.
    await page.locator('#submit').click();
    await poll(() => page.locator('.submit li[data-path="trials"]').textContent()).toBe(
      '먼저 한 번 이상 모델에 시험하세요',
    );

    // Keyboard only: untick Alpha (Space), Tab to Beta, Tab to the button, Enter.
    const boxes = panel.locator('input[type=checkbox]');
    await boxes.nth(0).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await poll(() =>
      boxes.nth(1).evaluate((el) => (el as { matches(s: string): boolean }).matches(':focus')),
    ).toBe(true);
    await page.keyboard.press('Tab');
    await poll(() => panel.locator('#try-models:focus').count()).toBe(1);
    await page.keyboard.press('Enter');

    const answers = panel.locator('li[data-model]');
    await poll(() => answers.count()).toBe(1);
    expect(chat.requests.map((r) => r.model)).toEqual(['beta']);
    await expect(answers.first().locator('strong').textContent()).resolves.toBe('Beta');
    await expect(answers.first().locator('.verdict').textContent()).resolves.toBe('오답');
    const answer = answers.first().locator('.answer');
    await expect(answer.getAttribute('lang')).resolves.toBe('ar');
    await expect(answer.evaluate(direction)).resolves.toBe('rtl');
    await expect(answers.first().locator('bdi').textContent()).resolves.toBe('أ. الفسيخ');
    await poll(() => panel.locator('#trials-summary').textContent()).toContain('맞힌 모델이 없습니다');
    // The trial cleared the submission problem it answered.
    await poll(() => page.locator('.submit li[data-path="trials"]').count()).toBe(0);
    await poll(() => page.locator('.submit .notice.error').count()).toBe(0);

    // Both models now: two more answers of the same revision, newest first.
    await boxes.nth(0).check();
    await panel.locator('#try-models').click();
    await poll(() => answers.count()).toBe(3);
    await shots(page, 'editor-ko-ar');
    await context.close();
  });

  it('the reviewer reads the trials read-only on the review page, answers right to left', async () => {
    const item = await draft();
    const trials = createTrialService(server.t.repos, {
      throttle: createTrialThrottle(DEFAULT_TRIAL_RATE_LIMIT),
      outbound: { allowPrivate: true },
    });
    await trials.tryModels(author, item.id, { version: item.version, modelIds });
    const items = createItemService(server.t.repos);
    const submitted = await items.submit(author, item.id, item.version);
    await items.transition(boss, submitted, 'in_review');
    const { context, page } = await signIn(browser, server, 'karim');
    await page.goto(`/review/${item.id}`);
    const panel = page.locator('cs-model-trials');
    await poll(() => panel.locator('li[data-model]').count()).toBe(2);
    await expect(panel.locator('h2').textContent()).resolves.toBe('모델 시험 결과');
    await expect(panel.locator('#try-models').count()).resolves.toBe(0);
    await expect(panel.locator('input[type=checkbox]').count()).resolves.toBe(0);
    await expect(panel.locator('.answer').first().evaluate(direction)).resolves.toBe('rtl');
    await expect(panel.locator('#trials-summary').textContent()).resolves.toContain('맞힌 모델이 없습니다');
    await shots(page, 'review-ko-ar');
    await context.close();
  });
});
