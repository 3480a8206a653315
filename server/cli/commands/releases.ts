import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createReleaseSchema } from '../../../schema/release.ts';
import { DEFAULT_RELEASES_DIR } from '../../default-paths.ts';
import { canReadReleaseContents } from '../../domain/releases/access.ts';
import { createReleaseService } from '../../domain/releases/service.ts';
import {
  CliError,
  invalidOptions,
  required,
  str,
  type CommandContext,
  type CommandDefinition,
  type OptionDefinition,
} from '../command.ts';
import { datasetIdOf, maintainer } from '../lookups.ts';

/** The releases folder option of the commands that read or write release files. */
export const releasesDirOption: OptionDefinition = { type: 'string', value: 'DIR' };

export const releasesDirOf = ({ values, env }: Pick<CommandContext, 'values' | 'env'>) =>
  str(values, 'releases-dir') ?? env.CS_RELEASES_DIR ?? DEFAULT_RELEASES_DIR;

/** Dataset releases: cut one, list them, download one's archive. */
export const releaseCommands: CommandDefinition[] = [
  {
    name: 'release create',
    options: {
      username: { type: 'string', value: 'U', required: true },
      dataset: { type: 'string', value: 'ID|SLUG', required: true },
      version: { type: 'string', value: 'V', required: true },
      title: { type: 'string', value: 'T', required: true },
      notes: { type: 'string', value: 'N' },
      license: { type: 'string', value: 'L' },
      languages: { type: 'string', value: 'ko,ar' },
      kinds: { type: 'string', value: 'culture,safety' },
      categories: { type: 'string', value: 'a,b' },
      'include-submitted': { type: 'boolean' },
      'confirm-license': { type: 'boolean' },
      'releases-dir': releasesDirOption,
    },
    help: 'Builds and publishes a release as the maintainer U (--confirm-license: publish share-alike items under another licence anyway).',
    migrates: true,
    async run({ repos, values, out, env, instance }) {
      const user = await maintainer(repos, required(values, 'username'));
      const list = (name: string) =>
        (str(values, name) ?? '')
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
      const parsed = createReleaseSchema.safeParse({
        datasetId: await datasetIdOf(repos, required(values, 'dataset')),
        version: required(values, 'version'),
        title: required(values, 'title'),
        ...(str(values, 'notes') === undefined ? {} : { notes: str(values, 'notes') }),
        ...(str(values, 'license') === undefined ? {} : { license: str(values, 'license') }),
        ...(values['confirm-license'] === true ? { confirmLicense: true } : {}),
        filter: {
          languages: list('languages'),
          kinds: list('kinds'),
          categories: list('categories'),
          includeSubmitted: values['include-submitted'] === true,
        },
      });
      if (!parsed.success) throw invalidOptions(parsed.error);
      // This CLI owns the build while it runs: a server starting meanwhile leaves it alone.
      const releases = createReleaseService(repos, {
        releasesDir: releasesDirOf({ values, env }),
        instance: await instance(),
      });
      const release = await releases.createAndWait(user, parsed.data);
      out(
        `Published release ${release.version} of dataset ${parsed.data.datasetId}: ${release.itemCount} items.`,
      );
      out(
        `Archive: ${release.archive?.name} (${release.archive?.size} bytes, sha256 ${release.archive?.sha256})`,
      );
    },
  },

  {
    name: 'release list',
    options: { dataset: { type: 'string', value: 'ID|SLUG' } },
    help: 'Lists the releases (of one dataset).',
    migrates: true,
    async run({ repos, values, out }) {
      const dataset = str(values, 'dataset');
      const releases = await createReleaseService(repos, { releasesDir: DEFAULT_RELEASES_DIR }).list(
        dataset === undefined ? undefined : await datasetIdOf(repos, dataset),
      );
      if (releases.length === 0) {
        out('No releases yet.');
        return;
      }
      for (const r of releases) {
        out(
          `${r.version}  ${r.state}  ${r.itemCount} items  ${r.releasedAt}  dataset ${r.datasetId}  ${r.title}`,
        );
      }
    },
  },

  {
    name: 'release download',
    options: {
      username: { type: 'string', value: 'U', required: true },
      dataset: { type: 'string', value: 'ID|SLUG', required: true },
      version: { type: 'string', value: 'V', required: true },
      out: { type: 'string', value: 'FILE', required: true },
      'releases-dir': releasesDirOption,
    },
    help: 'Saves the release archive (.tar.gz) as U may read it.',
    migrates: true,
    async run({ repos, values, out, env }) {
      const username = required(values, 'username');
      // Read as that user: the same rule as the API (a release they may not read is "no release").
      const user = await repos.users.getByUsername(username);
      if (!user || user.disabled) throw new CliError(`no active user named ${username}`);
      const datasetId = await datasetIdOf(repos, required(values, 'dataset'));
      const version = required(values, 'version');
      const release = await repos.releases.byVersion(datasetId, version);
      if (!release || !(await canReadReleaseContents(repos, user, release)))
        throw new CliError(`no release ${version} of dataset ${datasetId} that ${username} may read`);
      const target = resolve(required(values, 'out'));
      if (existsSync(target)) throw new CliError(`${target} already exists; choose a new file`);
      const archive = await createReleaseService(repos, {
        releasesDir: releasesDirOf({ values, env }),
        // A damaged release: the path and both hashes, for the operator (the error line follows).
        log: (message) => console.error(message),
      }).archive(user, release.id);
      mkdirSync(dirname(target), { recursive: true });
      try {
        await pipeline(archive.stream, createWriteStream(target, { flags: 'wx' }));
      } catch (e) {
        // Only a file this command created (wx never opens one that exists).
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(target, { force: true });
        throw e;
      }
      out(`Saved ${archive.name} to ${target}.`);
    },
  },
];
