import type { User } from '../../schema/user.ts';
import type { Repositories } from '../db/repositories.ts';
import { CliError } from './command.ts';

export async function maintainer(repos: Repositories, username: string): Promise<User> {
  const user = await repos.users.getByUsername(username);
  if (!user) throw new CliError(`no user named ${username}`);
  if (user.role !== 'maintainer' || user.disabled)
    throw new CliError(`${username} is not an active maintainer`);
  return user;
}

/** A dataset by numeric id or slug. */
export async function datasetIdOf(repos: Repositories, idOrSlug: string): Promise<number> {
  const dataset = (await repos.datasets.list()).find((d) => String(d.id) === idOrSlug || d.slug === idOrSlug);
  if (!dataset) throw new CliError(`no dataset ${idOrSlug}`);
  return dataset.id;
}
