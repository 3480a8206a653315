// Who may read a release's contents.
import { isPreRelease, type Release } from '../../../schema/release.ts';
import type { User } from '../../../schema/user.ts';
import type { Repositories } from '../../db/repositories.ts';
import { notFound } from '../../errors.ts';

/**
 * Whether `user` may read the contents of `release`: its archive, its files (card, changelog, data), and
 * anything else derived from its items with their answers (report drill-downs, downloads from the CLI).
 * Maintainers read every release. Reviewers and annotators only a release that is published and final (not a pre-release:
 * no semver pre-release tag and built without submitted items, so every item in it was accepted), all of
 * whose languages they are registered for, and none of whose items is a gold item now (gold items are
 * handed to validators as tests, so their answers must not be readable). The release list and metadata are
 * open to everyone signed in. This is the one place the rule is written; every path calls it.
 */
export async function canReadReleaseContents(
  repos: Repositories,
  user: User,
  release: Release,
): Promise<boolean> {
  if (user.role === 'maintainer') return true;
  // An unpublished release's snapshot may be incomplete (staged by a build job): nothing of it is readable yet.
  if (release.state !== 'published') return false;
  if (!release.counts.languages.every((l) => user.languages.includes(l))) return false;
  if (release.filter.includeSubmitted || isPreRelease(release.version)) return false;
  return !(await repos.releases.hasGoldItem(release.id));
}

/**
 * The release whose contents `user` is about to read. A release whose contents they may not read is 404,
 * exactly like an unknown release, so hidden contents tell nothing.
 */
export async function readableRelease(repos: Repositories, user: User, id: number): Promise<Release> {
  const release = await repos.releases.get(id);
  if (!release || !(await canReadReleaseContents(repos, user, release))) throw notFound('Release');
  return release;
}
