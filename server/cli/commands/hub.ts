import { hubPushSchema } from '../../../schema/hub.ts';
import { pushReleaseToHub, releaseHubFiles } from '../../domain/hub-push.ts';
import { createReleaseService } from '../../domain/releases/service.ts';
import { CliError, required, type CommandDefinition } from '../command.ts';
import { datasetIdOf } from '../lookups.ts';
import { releasesDirOf, releasesDirOption } from './releases.ts';

/** A published release pushed to a Hugging Face Hub dataset repository. */
export const hubCommands: CommandDefinition[] = [
  {
    name: 'release push',
    options: {
      username: { type: 'string', value: 'U', required: true },
      dataset: { type: 'string', value: 'ID|SLUG', required: true },
      version: { type: 'string', value: 'V', required: true },
      repo: { type: 'string', value: 'NAMESPACE/NAME', required: true },
      private: { type: 'boolean' },
      'releases-dir': releasesDirOption,
    },
    help: 'Pushes the release to a Hugging Face Hub dataset repo as one commit tagged V (token from $CS_HF_TOKEN, Hub from $CS_HF_ENDPOINT).',
    migrates: true,
    async run({ repos, values, out, env }) {
      const username = required(values, 'username');
      const user = await repos.users.getByUsername(username);
      if (!user || user.disabled || user.role !== 'maintainer')
        throw new CliError(`no active maintainer named ${username}`);
      const datasetId = await datasetIdOf(repos, required(values, 'dataset'));
      const version = required(values, 'version');
      const release = await repos.releases.byVersion(datasetId, version);
      if (!release) throw new CliError(`no release ${version} of dataset ${datasetId}`);
      const input = hubPushSchema.safeParse({
        repo: required(values, 'repo'),
        private: values.private === true,
      });
      if (!input.success) throw new CliError(`--repo: ${input.error.issues[0]?.message ?? 'invalid'}`);
      const releases = createReleaseService(repos, {
        releasesDir: releasesDirOf({ values, env }),
        log: (message) => console.error(message),
      });
      const endpoint = env.CS_HF_ENDPOINT ?? 'https://huggingface.co';
      const files = releaseHubFiles(releases, user, release);
      const pushed = await pushReleaseToHub(
        { endpoint, token: env.CS_HF_TOKEN ?? null },
        release,
        files,
        input.data,
      );
      out(`Pushed release ${version} to ${pushed.url}${pushed.created ? ' (new repository)' : ''}:`);
      out(
        `  commit ${pushed.commit.oid}, tag ${pushed.tag}; ${pushed.uploaded} files, ${pushed.deleted.length} deleted.`,
      );
    },
  },
];
