import type { Db } from './connection.ts';

/** An app instance (a server process, or a CLI command running a job) as registered (migration 024). */
export interface InstanceRecord {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  seenAt: string;
}

interface InstanceRow {
  id: string;
  host: string;
  pid: number;
  started_at: string;
  seen_at: string;
}

const toInstance = (r: InstanceRow): InstanceRecord => ({
  id: r.id,
  host: r.host,
  pid: r.pid,
  startedAt: r.started_at,
  seenAt: r.seen_at,
});

/**
 * The registry of app instances on this database (migration 024): who is alive, so that a starting instance
 * interrupts only the jobs of dead ones. Times are ISO strings; an instance seen at or after `since` is alive.
 */
export function createInstanceRepository(db: Db) {
  const register = db.prepare<{ id: string; host: string; pid: number; at: string }>(
    `INSERT INTO instances (id, host, pid, started_at, seen_at) VALUES (@id, @host, @pid, @at, @at)
     ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`,
  );
  const beat = db.prepare<[string, string]>('UPDATE instances SET seen_at = ? WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM instances WHERE id = ?');
  const alive = db
    .prepare<[string, string], number>('SELECT 1 FROM instances WHERE id = ? AND seen_at >= ?')
    .pluck();
  const all = db.prepare<[], InstanceRow>(
    'SELECT id, host, pid, started_at, seen_at FROM instances ORDER BY started_at, id',
  );
  const prune = db.prepare<[string]>('DELETE FROM instances WHERE seen_at < ?');

  return {
    /** Registers instance `id` as seen at `at` (again, if its row was pruned while it was away). */
    register: (id: string, host: string, pid: number, at: string): void => {
      register.run({ id, host, pid, at });
    },
    /** Records that instance `id` is alive at `at`; false if it has no row (deregistered or pruned as dead). */
    beat: (id: string, at: string): boolean => beat.run(at, id).changes === 1,
    /** Removes instance `id` (it stops): its running jobs are orphaned from now on. */
    deregister: (id: string): void => {
      remove.run(id);
    },
    /** Whether instance `id` is registered and was seen at or after `since`. */
    alive: (id: string, since: string): boolean => alive.get(id, since) === 1,
    /** Every registered instance, oldest first. */
    list: (): InstanceRecord[] => all.all().map(toInstance),
    /** Deletes the instances last seen before `before` (long dead); how many. */
    prune: (before: string): number => prune.run(before).changes,
  };
}
