// Who builds a release: `<host>:<pid>` is stored with a release while it is `building`, so that a server
// starting up can tell the builds of stopped processes from those a live process (the CLI, another server
// on the same database) is still running.
import { hostname } from 'node:os';

export const THIS_BUILDER = `${hostname()}:${process.pid}`;
/** Release builds running in this process: one at a time per release. */
export const building = new Set<number>();

/** Whether `builder` is a process still running release `id`'s build (this one: only if it is building it). */
export function builderAlive(builder: string | null, id: number): boolean {
  if (builder === null) return false;
  const at = builder.lastIndexOf(':');
  const pid = Number(builder.slice(at + 1));
  if (builder.slice(0, at) !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return building.has(id);
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
