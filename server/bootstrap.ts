import type { Db } from './db/connection.ts';

export interface BootstrapOptions {
  adminUsername: string;
  adminPassword?: string;
  demo: boolean;
}

/**
 * First-start work: load the default taxonomies, create the first maintainer (printing a one-time
 * password unless one is configured) and, with --demo, the demo datasets, users and items.
 * Returns lines to print. Idempotent: later starts change nothing.
 */
export async function bootstrap(_db: Db, _options: BootstrapOptions): Promise<string[]> {
  return [];
}
