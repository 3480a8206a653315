import { createUserSchema, type User } from '../schema/user.ts';
import type { Db } from './db/connection.ts';
import { createRepositories, type Repositories } from './db/repositories.ts';
import { seedDemo } from './demo/seed.ts';
import { reconcileImports } from './domain/import/reconcile.ts';
import { defaultStaleBefore, type AppInstance } from './domain/instances.ts';
import { generatePassword } from './domain/passwords.ts';
import { reconcileReleases } from './domain/releases/reconcile.ts';
import { reconcileCollections } from './domain/scoring/collection-job.ts';
import { reconcileJudgeRuns } from './domain/scoring/judge-job.ts';
import { syncDefaultTaxonomies } from './domain/taxonomies.ts';
import { createUser } from './domain/users.ts';
import { AppError } from './errors.ts';

export interface BootstrapOptions {
  adminUsername: string;
  adminPassword?: string;
  demo: boolean;
  /**
   * Where the demo writes its release (main.ts: CS_RELEASES_DIR, or DEMO_RELEASES_DIR of default-paths.ts).
   * Without it the demo stops short of the release and the model scores. With it, every start first clears
   * what killed release builds left there (reconcileReleases).
   */
  releasesDir?: string;
  /**
   * This app instance, registered (server/domain/instances.ts): jobs of instances it has not seen within its bound
   * are interrupted, a live instance's left alone. Without it, the default bound (30 s).
   */
  instance?: AppInstance;
}

/**
 * First-start work: load the default taxonomies, create the first maintainer (printing a one-time
 * password unless one is configured) and, with --demo, the demo datasets, users and items.
 * Returns lines to print. Idempotent: later starts change nothing.
 */
export async function bootstrap(database: Db | Repositories, options: BootstrapOptions): Promise<string[]> {
  // A SQLite connection (tests) or the repositories of either engine (main.ts).
  const repos = 'users' in database ? database : createRepositories(database);
  await syncDefaultTaxonomies(repos.taxonomies);
  const lines: string[] = [];
  // Jobs whose owner was not seen since then (or is gone, or unknown) were left by a dead process.
  const since = options.instance?.staleBefore() ?? defaultStaleBefore();
  if (options.releasesDir) lines.push(...(await reconcileReleases(repos, options.releasesDir, since)));
  lines.push(...(await reconcileImports(repos, since)));
  lines.push(...(await reconcileCollections(repos, since)));
  lines.push(...(await reconcileJudgeRuns(repos, since)));

  if (options.demo && (await repos.datasets.list()).length === 0) {
    // Demo accounts share a published password, so they only ever go into a database nobody uses yet.
    if ((await repos.users.count()) === 0) lines.push(...(await seedDemo(repos, options.releasesDir)));
    else
      lines.push(
        'Demo data not loaded: this database already has users. Use a fresh CS_DB_PATH for the demo.',
      );
  }

  if ((await repos.users.count()) === 0) {
    const password = options.adminPassword ?? generatePassword();
    const input = createUserSchema.safeParse({
      username: options.adminUsername,
      role: 'maintainer',
      languages: [],
      password,
    });
    if (!input.success) {
      const problems = input.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ');
      throw new Error(
        `Cannot create the first maintainer (CS_ADMIN_USERNAME / CS_ADMIN_PASSWORD): ${problems}`,
      );
    }
    let admin: User;
    try {
      admin = await createUser(repos.users, input.data);
    } catch (e) {
      // Another instance starting on the same empty database at the same moment created it (and said so).
      if (e instanceof AppError && e.code === 'username-taken') return lines;
      throw e;
    }
    lines.push(
      options.adminPassword === undefined
        ? `Created the first maintainer "${admin.username}" with the one-time password ${password} (shown only now; change it after logging in).`
        : `Created the first maintainer "${admin.username}" with the password from CS_ADMIN_PASSWORD.`,
    );
  }
  return lines;
}
