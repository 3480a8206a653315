import { z } from 'zod';
import { createUserSchema, passwordSchema, type User } from '../../../schema/user.ts';
import { createAuthService } from '../../domain/auth.ts';
import { generatePassword } from '../../domain/passwords.ts';
import { createUser, setPassword } from '../../domain/users.ts';
import { CliError, invalidOptions, required, str, type CommandDefinition } from '../command.ts';

const describeUser = (u: User) =>
  `${u.username} (${u.role}${u.languages.length ? `; ${u.languages.join(', ')}` : ''})`;

/** Users and their API tokens. */
export const userCommands: CommandDefinition[] = [
  {
    name: 'user add',
    options: {
      username: { type: 'string', value: 'U', required: true },
      role: { type: 'string', value: 'annotator|reviewer|maintainer', required: true },
      languages: { type: 'string', value: 'ko,ar' },
      'display-name': { type: 'string', value: 'N' },
      password: { type: 'string', value: 'P' },
    },
    help: 'Creates a user; without --password one is generated and printed once.',
    migrates: true,
    async run({ repos, values, out }) {
      const given = str(values, 'password');
      const password = given ?? generatePassword();
      const parsed = createUserSchema.safeParse({
        username: required(values, 'username'),
        role: required(values, 'role'),
        languages: (str(values, 'languages') ?? '')
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
        password,
        ...(str(values, 'display-name') === undefined ? {} : { displayName: str(values, 'display-name') }),
      });
      if (!parsed.success) throw invalidOptions(parsed.error);
      const user = await createUser(repos.users, parsed.data);
      out(`Created ${describeUser(user)}.`);
      if (given === undefined) out(`One-time password (shown only now): ${password}`);
    },
  },

  {
    name: 'user list',
    options: {},
    help: 'Lists the users with their role, languages and status.',
    migrates: true,
    async run({ repos, out }) {
      const users = await repos.users.list();
      if (users.length === 0) {
        out('No users yet.');
        return;
      }
      const rows = [
        ['USERNAME', 'ROLE', 'LANGUAGES', 'STATUS', 'NAME'],
        ...users.map((u) => [
          u.username,
          u.role,
          u.languages.join(',') || '-',
          u.disabled ? 'disabled' : 'active',
          u.displayName,
        ]),
      ];
      const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
      for (const r of rows) {
        out(
          r
            .map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c] - [...cell].length)))
            .join('  '),
        );
      }
    },
  },

  {
    name: 'user set-password',
    options: {
      username: { type: 'string', value: 'U', required: true },
      password: { type: 'string', value: 'P' },
    },
    help: "Sets a password (generated and printed once if omitted); ends the user's sessions and revokes their API tokens.",
    migrates: true,
    async run({ repos, values, out }) {
      const username = required(values, 'username');
      const given = str(values, 'password');
      const password = given ?? generatePassword();
      const parsed = z.object({ password: passwordSchema }).safeParse({ password });
      if (!parsed.success) throw invalidOptions(parsed.error);
      const users = repos.users;
      if (!(await users.getByUsername(username))) throw new CliError(`no user named ${username}`);
      await setPassword(users, username, parsed.data.password);
      out(`Password of ${username} changed; their sessions have ended and their API tokens are revoked.`);
      if (given === undefined) out(`One-time password (shown only now): ${password}`);
    },
  },

  {
    name: 'token create',
    options: {
      username: { type: 'string', value: 'U', required: true },
      name: { type: 'string', value: 'N', required: true },
    },
    help: 'Creates an API token for U and prints it once.',
    migrates: true,
    async run({ repos, values, out }) {
      const username = required(values, 'username');
      const name = required(values, 'name').normalize('NFC');
      if (name.length > 100) throw new CliError('--name: At most 100 characters');
      const user = await repos.users.getByUsername(username);
      if (!user) throw new CliError(`no user named ${username}`);
      if (user.disabled) throw new CliError(`${username} is disabled`);
      const token = await createAuthService(repos.users).createToken(user.id, name);
      out(`Created API token "${name}" for ${username}; copy it now, it is not shown again:`);
      out(token.token);
    },
  },
];
