// Who builds a release: the id of the app instance running the build (server/domain/instances.ts) is stored with
// a release while it is \`building\`, so that an instance starting up, or asked to build it again, can tell the
// builds of dead instances from those a live one (the CLI, another server, on any host) is still running.
import type { AppInstance } from '../instances.ts';

/** Release builds running in this process: one at a time per release. */
export const building = new Set<number>();

/**
 * Whether \`builder\` is an instance still running release \`id\`'s build: this instance only if this process is
 * building it; another while its heartbeat is fresh (instances.ts).
 */
export async function builderAlive(
  instance: AppInstance,
  builder: string | null,
  id: number,
): Promise<boolean> {
  if (builder === instance.id) return building.has(id);
  return instance.alive(builder);
}
