import type { AsyncRepository } from '../async-repository.ts';
import type { createInstanceRepository, InstanceRecord } from '../instances.ts';
import type { PgDatabase } from './database.ts';

/**
 * The registry of app instances (schema/postgres/024-instances.sql); the same contract and results as
 * server/db/instances.ts. Each method is one statement: a heartbeat and another instance's liveness test never
 * need more than the row's lock.
 */
export function createPgInstanceRepository(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof createInstanceRepository>> {
  return {
    async register(id: string, host: string, pid: number, at: string): Promise<void> {
      await db.execute(
        `INSERT INTO instances (id, host, pid, started_at, seen_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`,
        [id, host, pid, at],
      );
    },

    async beat(id: string, at: string): Promise<boolean> {
      return (await db.execute('UPDATE instances SET seen_at = $1 WHERE id = $2', [at, id])) === 1;
    },

    async deregister(id: string): Promise<void> {
      await db.execute('DELETE FROM instances WHERE id = $1', [id]);
    },

    async alive(id: string, since: string): Promise<boolean> {
      const rows = await db.query('SELECT 1 FROM instances WHERE id = $1 AND seen_at >= $2', [id, since]);
      return rows.length === 1;
    },

    async list(): Promise<InstanceRecord[]> {
      return db.query<InstanceRecord>(
        `SELECT id, host, pid, started_at AS "startedAt", seen_at AS "seenAt" FROM instances
         ORDER BY started_at, id COLLATE "C"`,
      );
    },

    async prune(before: string): Promise<number> {
      return db.execute('DELETE FROM instances WHERE seen_at < $1', [before]);
    },
  };
}
