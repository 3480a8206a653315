import { mkdirSync } from 'node:fs';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../schema/item.ts';
import { importer } from '../helpers/imports.ts';
import { createItem, createSubmittedItem } from '../helpers/items.ts';
import { sampleCsv, settled } from '../helpers/releases.ts';
import { completeTask, nextTask, tokenAgent } from '../helpers/validation.ts';
import { SCREENSHOTS, launchBrowser, signIn, startServer, type TestServer } from './helpers.ts';

// The screenshots of docs/ui.md: every page, in English and in Korean (with Arabic item text), on a laptop and
// on a phone, written to docs/screenshots/pages/. A generator, not a test: it runs only with CS_SCREENSHOTS=1,
// so the suite never writes into the checkout.
const WRITE = process.env.CS_SCREENSHOTS === '1';
const DIR = `${SCREENSHOTS}/pages`;
const WAIT = { timeout: 20_000 };
const VIEWPORTS = [
  { name: 'desktop', width: 1366, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Each page once, seen by the role for whom it is fullest. */
function tour(draft: Item, inReview: Item): { name: string; user: string | null; path: string }[] {
  return [
    { name: 'login', user: null, path: '/login' },
    { name: 'items', user: 'hana', path: '/items' },
    { name: 'new-item', user: 'hana', path: '/items/new' },
    { name: 'editor', user: 'hana', path: `/items/${draft.id}` },
    { name: 'validate', user: 'hana', path: '/validate' },
    { name: 'rate', user: 'hana', path: '/rate' },
    { name: 'review-queue', user: 'rev', path: '/review' },
    { name: 'review-item', user: 'rev', path: `/review/${inReview.id}` },
    { name: 'agreement', user: 'boss', path: '/agreement' },
    { name: 'releases', user: 'boss', path: '/releases' },
    { name: 'scoring', user: 'boss', path: '/scoring' },
    { name: 'report', user: 'boss', path: '/scoring/report' },
    { name: 'judges', user: 'boss', path: '/scoring/judges' },
    { name: 'import', user: 'boss', path: '/admin/import' },
    { name: 'users', user: 'boss', path: '/admin/users' },
    { name: 'taxonomies', user: 'boss', path: '/admin/taxonomies' },
    { name: 'tokens', user: 'hana', path: '/account/tokens' },
    { name: 'password', user: 'hana', path: '/account/password' },
    { name: 'not-for-role', user: 'hana', path: '/admin/users' },
  ];
}

describe.runIf(WRITE)('screenshot tour of every page (CS_SCREENSHOTS=1)', () => {
  let browser: Browser;
  let server: TestServer;
  let draft: Item;
  let inReview: Item;

  beforeAll(async () => {
    server = await startServer();
    const { t } = server;
    const ds = server.dataset.id;
    // Two validations per item, no automatic acceptance: validated items wait for a reviewer.
    await t.repos.datasets.update(ds, { validatorsPerItem: 2, autoAccept: false });
    await t.addUser('boss', 'maintainer');
    await t.addUser('rev', 'reviewer', ['ko', 'ar']);
    await t.addUser('hana', 'annotator', ['ko', 'ar']);
    await t.addUser('layla', 'annotator', ['ar']);
    const layla = await t.login('layla');
    inReview = await createSubmittedItem(
      layla,
      ds,
      { language: 'ar', format: 'true_false' },
      {
        country: 'EG',
        question: 'يُعدّ شمّ النسيم عيدًا يحتفل به المصريون في فصل الربيع.',
        questionEn: 'Sham el-Nessim is a spring festival celebrated by Egyptians.',
        primaryCategory: 'tradition/holidays',
      },
    );
    await createSubmittedItem(
      layla,
      ds,
      { language: 'ar', format: 'multiple_choice' },
      {
        country: 'SA',
        question: 'ما هو المشروب الذي يُقدَّم للضيوف عادةً في المجالس السعودية؟',
        questionEn: 'Which drink is usually served to guests in Saudi majlis gatherings?',
        options: ['القهوة العربية', 'الشاي الأخضر', 'عصير الليمون', 'الحليب'],
        correctIndex: 0,
      },
    );
    for (const name of ['karim', 'dahye']) {
      const validator = await tokenAgent(t, name, 'annotator', ['ar']);
      for (let n = 0; n < 2; n++) {
        const task = await nextTask(validator, `?dataset=${ds}`);
        const format = (task as unknown as { item: { format: string } }).item.format;
        const own = format === 'true_false' ? { value: true } : { choice: 0 };
        await completeTask(validator, task!, name === 'dahye' && n === 0 ? { correct: 'no' } : {}, own);
      }
    }
    // One more, left for hana to validate.
    await createSubmittedItem(
      layla,
      ds,
      { language: 'ar', format: 'short_answer' },
      {
        country: 'EG',
        question: 'ما اسم الخبز المصري التقليدي المصنوع من القمح الكامل؟',
        questionEn: 'What is the name of the traditional Egyptian whole-wheat bread?',
        acceptedAnswers: ['عيش بلدي', 'العيش البلدي'],
      },
    );
    draft = await createItem(
      await t.login('hana'),
      ds,
      { language: 'ar', format: 'multiple_choice' },
      {
        country: 'MA',
        question: 'ما هو الطبق الذي يُقدَّم تقليديًا عند الإفطار في رمضان في المغرب؟',
        questionEn: 'Which dish is traditionally served to break the fast during Ramadan in Morocco?',
        options: ['الحريرة', 'الكسكس', 'البسطيلة', 'الطاجين'],
        correctIndex: 0,
      },
    );
    const imp = await importer(t, ds, 'importer');
    await imp.upload(
      { format: 'csv', dryRun: false, status: 'accepted' },
      sampleCsv([
        { id: 'k1', question: '추석에 송편을 빚을 때 소로 흔히 넣는 재료는 무엇인가요?' },
        { id: 'a1', language: 'ar', question: 'ما هو طبق العيد التقليدي في مصر؟' },
        { id: 'a2', language: 'ar', format: 'short_answer', question: 'ما اسم الحلوى التي تُقدَّم في المولد؟' },
      ]),
    );
    const headers = { Authorization: `Bearer ${imp.token}` };
    const cut = await settled(
      t.app,
      headers,
      request(t.app)
        .post('/api/releases')
        .set(headers)
        .send({ datasetId: ds, version: '1.0.0', title: 'First' }),
    );
    expect(cut.body.state, cut.text).toBe('published');
    mkdirSync(DIR, { recursive: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function shoot(page: Page, name: string, locale: string, path: string) {
    for (const v of VIEWPORTS) {
      await page.setViewportSize({ width: v.width, height: v.height });
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await expect.poll(() => page.getByText(/^(Loading…|불러오는 중…)$/).count(), WAIT).toBe(0);
      await page.screenshot({
        path: `${DIR}/${name}-${locale}-${v.name}.png`,
        fullPage: v.name === 'desktop',
      });
    }
  }

  for (const locale of ['en', 'ko'] as const) {
    it(`photographs every page in ${locale}`, { timeout: 600_000 }, async () => {
      for (const u of ['boss', 'rev', 'hana']) {
        const agent = await server.t.login(u);
        expect((await agent.patch('/api/me', { uiLocale: locale })).status).toBe(200);
      }
      for (const stop of tour(draft, inReview)) {
        if (stop.user === null) {
          const context = await browser.newContext({
            baseURL: server.url,
            locale: locale === 'ko' ? 'ko-KR' : 'en-US',
          });
          await shoot(await context.newPage(), stop.name, locale, stop.path);
          await context.close();
          continue;
        }
        const { context, page } = await signIn(browser, server, stop.user);
        await shoot(page, stop.name, locale, stop.path);
        await context.close();
      }
    });
  }
});
