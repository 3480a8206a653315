import { createItemSchema } from '../../schema/item.ts';
import type { User } from '../../schema/user.ts';
import type { Repositories } from '../db/repositories.ts';
import { createDatasetService } from '../domain/datasets.ts';
import { createItemService } from '../domain/items.ts';
import { hashPassword } from '../domain/passwords.ts';
import { demoDatasets, demoItems } from './items.ts';
import { DEMO_PASSWORD, demoUsers } from './users.ts';

/**
 * Loads the demo users, datasets and items through the same domain services the API uses, so every
 * item passes the same checks (taxonomy ids, submission completeness). All or nothing.
 * Returns lines to print: the demo logins.
 */
export async function seedDemo(repos: Repositories): Promise<string[]> {
  // One hash for all demo accounts: they share a published password anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const datasetService = createDatasetService(repos);
  const itemService = createItemService(repos);

  const counts = repos.transaction(() => {
    const users = new Map<string, User>();
    for (const u of demoUsers) {
      users.set(u.username, repos.users.create({ ...u, passwordHash, uiLocale: 'en' }));
    }
    const datasetIds = {
      culture: datasetService.create(demoDatasets.culture).id,
      safety: datasetService.create(demoDatasets.safety).id,
    };
    let submitted = 0;
    for (const demo of demoItems) {
      const author = users.get(demo.author);
      if (!author) throw new Error(`demo item author ${demo.author} is not a demo user`);
      const input = createItemSchema.parse({ ...demo.fields, datasetId: datasetIds[demo.dataset] });
      const item = itemService.create(author, input);
      if (demo.status === 'submitted') {
        itemService.submit(author, item.id, item.version);
        submitted++;
      }
    }
    return { items: demoItems.length, submitted };
  });

  const logins = demoUsers.map(
    (u) =>
      `    ${u.username.padEnd(10)} ${u.role}${u.languages.length ? ` (${u.languages.join(', ')})` : ''}`,
  );
  return [
    `Demo data loaded: 2 datasets, ${counts.items} items (${counts.submitted} submitted, ${counts.items - counts.submitted} drafts).`,
    `Demo logins, all with the password "${DEMO_PASSWORD}":`,
    ...logins,
  ];
}
