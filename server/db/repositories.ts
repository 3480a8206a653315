import type { Db } from './connection.ts';
import { createUserRepository } from './users.ts';

/**
 * The data-access layer: every SQL statement of the application lives behind these repositories,
 * so a PostgreSQL implementation can replace them without touching routes or domain code.
 */
export function createRepositories(db: Db) {
  return {
    db,
    users: createUserRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
