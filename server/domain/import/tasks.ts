// The import task: runs on a job thread (server/jobs), never on the request thread. It reads the file the
// upload saved, checks every row and, for a real import, writes them (see check.ts).
import { createReadStream } from 'node:fs';
import type { ImportJob } from '../../../schema/import.ts';
import { notFound } from '../../errors.ts';
import type { TaskContext } from '../../jobs/task.ts';
import { remoteHook } from '../../jobs/hook-channel.ts';
import { createImportService, type ImportHook } from './service.ts';

export interface ImportTaskInput {
  importId: number;
  /** The attempt of the job this task carries out (see ImportRepository.attemptOf). */
  attempt: number;
  userId: number;
  /** The file to read (the upload's temporary copy, or the CLI's file). */
  path: string;
  /** The channel of the starting thread's ImportHook (tests; jobs/hook-channel.ts); null: no hook. */
  hookChannel: string | null;
}

export async function importTask(ctx: TaskContext, input: ImportTaskInput): Promise<ImportJob> {
  const repos = ctx.repos;
  const user = await repos.users.get(input.userId);
  if (!user) throw notFound('User');
  const remote = remoteHook<Parameters<ImportHook>[0]>(input.hookChannel);
  try {
    const service = createImportService(repos, { hook: remote.hook });
    return await service.check(
      user,
      input.importId,
      input.attempt,
      createReadStream(input.path),
      ctx.cancelRequested,
    );
  } finally {
    remote.close();
  }
}
