import { createItemSchema, type Item } from '../../schema/item.ts';
import type { User } from '../../schema/user.ts';
import type { Repositories } from '../db/repositories.ts';
import { createDatasetService } from '../domain/datasets.ts';
import { createItemService } from '../domain/items.ts';
import { hashPassword } from '../domain/passwords.ts';
import { demoDatasets, demoItems } from './items.ts';
import { DEMO_PASSWORD, demoUsers } from './users.ts';
import { releaseDemo, scoreDemo, validateDemoItems, type DemoValidation } from './activity.ts';

/**
 * Who validates what: the first four submitted Korean culture items (jisoo, then reviewer) and the first
 * three Arabic ones (omar, then reviewer). Two carry a doubt and go to review; their second validator is
 * dahye or karim, not the reviewer, who may not decide an item they validated. The rest are accepted.
 * Later Arabic and all Thai items stay open for the reviewer on the Validate page.
 */
function validationPlan(submitted: Item[]): DemoValidation[] {
  const culture = (language: string, n: number) =>
    submitted.filter((i) => i.kind === 'culture' && i.language === language).slice(0, n);
  const plan: DemoValidation[] = [];
  for (const [language, n, validator, second] of [
    ['ko', 4, 'jisoo', 'dahye'],
    ['ar', 3, 'omar', 'karim'],
  ] as const) {
    for (const item of culture(language, n)) {
      const doubt =
        language === 'ko' && item.format === 'true_false'
          ? {
              correct: 'no' as const,
              ownAnswerWrong: true,
              comment: 'I learned it the other way round; a reviewer should check the source.',
            }
          : language === 'ar' && item.format === 'short_answer'
            ? {
                grounded: 'unsure' as const,
                comment: 'The source does not clearly say this; please add one.',
              }
            : undefined;
      plan.push({ validator, item, doubt }, { validator: doubt ? second : 'reviewer', item });
    }
  }
  return plan;
}

/**
 * Loads the demo users, datasets and items through the same domain services the API uses, so every
 * item passes the same checks (taxonomy ids, submission completeness), then the work done on them:
 * validations (some accepted, some in review) in one transaction with the items. With a releases
 * directory it also cuts release 1.0.0 of the accepted items and scores two fictional models on it.
 * Returns lines to print: what was loaded and the demo logins.
 */
export async function seedDemo(repos: Repositories, releasesDir?: string): Promise<string[]> {
  // One hash for all demo accounts: they share a published password anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const datasetService = createDatasetService(repos);
  const itemService = createItemService(repos);

  const counts = await repos.transaction(async () => {
    const users = new Map<string, User>();
    for (const u of demoUsers) {
      users.set(u.username, await repos.users.create({ ...u, passwordHash, uiLocale: 'en' }));
    }
    const datasetIds = {
      culture: (await datasetService.create(demoDatasets.culture)).id,
      safety: (await datasetService.create(demoDatasets.safety)).id,
    };
    const submittedItems: Item[] = [];
    for (const demo of demoItems) {
      const author = users.get(demo.author);
      if (!author) throw new Error(`demo item author ${demo.author} is not a demo user`);
      const input = createItemSchema.parse({ ...demo.fields, datasetId: datasetIds[demo.dataset] });
      const item = await itemService.create(author, input);
      if (demo.status === 'submitted') {
        submittedItems.push(await itemService.submit(author, item.id, item.version));
      }
    }
    const plan = validationPlan(submittedItems);
    await validateDemoItems(repos, users, datasetIds.culture, plan);
    const firsts = plan.filter((v) => v.validator === 'jisoo' || v.validator === 'omar');
    return {
      users,
      cultureId: datasetIds.culture,
      items: demoItems.length,
      submitted: submittedItems.length,
      accepted: firsts.filter((v) => !v.doubt).length,
      inReview: firsts.filter((v) => v.doubt).length,
    };
  });

  const lines = [
    `Demo data loaded: 2 datasets, ${counts.items} items (${counts.submitted} submitted, ${counts.items - counts.submitted} drafts); ` +
      `${counts.accepted} validated and accepted, ${counts.inReview} waiting in review.`,
  ];
  if (releasesDir !== undefined) {
    // The release writes files, so it cannot share the transaction above. If it fails, the demo still
    // starts with everything else (the server must not refuse to start over demo data).
    try {
      const admin = counts.users.get('admin')!;
      const release = await releaseDemo(repos, admin, counts.cultureId, releasesDir);
      const runs = await scoreDemo(repos, counts.users, release);
      lines.push(
        `Demo release ${release.version} of "${demoDatasets.culture.name}" (${release.itemCount} items) in ${releasesDir}; ` +
          `${runs} fictional demo models scored on it, with a rating campaign open.`,
      );
    } catch (e) {
      lines.push(`Demo release and model scores not loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const logins = demoUsers.map(
    (u) =>
      `    ${u.username.padEnd(10)} ${u.role}${u.languages.length ? ` (${u.languages.join(', ')})` : ''}`,
  );
  return [...lines, `Demo logins, all with the password "${DEMO_PASSWORD}":`, ...logins];
}
